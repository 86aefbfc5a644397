import AccordTesting
import Foundation
import Gateway
import Testing

/// The README's commands work as printed: the walkthrough block in an empty directory, line by
/// line, and the log verification while `accord demo` runs. `swift run accord` is replaced by
/// the built binary; nothing else of a line changes.
@Suite(.serialized) struct ReadmeCommandTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("README.md")

    /// The `swift run accord …` lines of the fenced block after `marker`.
    static func commands(after marker: String) throws -> [String] {
        let text = try String(contentsOf: readme, encoding: .utf8)
        guard let start = text.range(of: marker), let open = text.range(of: "```sh\n", range: start.upperBound..<text.endIndex),
              let close = text.range(of: "```", range: open.upperBound..<text.endIndex) else { return [] }
        return text[open.upperBound..<close.lowerBound].split(separator: "\n").map(String.init).filter { $0.hasPrefix("swift run ") }
    }

    static func shell(_ line: String, in directory: URL) throws -> ExternalTool.Result {
        var command = line
        if let comment = command.range(of: "  #") { command = String(command[..<comment.lowerBound]) }
        let binary = "'" + AccordProcess.executable.path + "'"
        command = command.replacingOccurrences(of: "swift run -c release accord", with: binary).replacingOccurrences(of: "swift run accord", with: binary)
        return try ExternalTool.run("sh", ["-c", command], in: directory)
    }

    @Test func theWalkthroughRunsAsPrinted() throws {
        let lines = try Self.commands(after: "<!-- readme-walkthrough -->")
        #expect(lines.count >= 10)
        let directory = try ExternalTool.temporaryDirectory()
        for line in lines {
            let run = try Self.shell(line, in: directory)
            #expect(run.status == 0, "\(line)\n\(run.output.suffix(1500))\n\(run.errors.suffix(1500))")
        }
    }

    @Test func theLogVerifiesWhileTheDemoRuns() async throws {
        let lines = try Self.commands(after: "<!-- readme-while-demo-runs -->")
        #expect(lines.count == 1)
        let directory = try ExternalTool.temporaryDirectory()
        let demo = Process()
        demo.executableURL = AccordProcess.executable
        demo.arguments = ["demo", "--cases", "0", "--port", "0", "--partner-port", "0", "--quick-win-port", "0"]
        demo.currentDirectoryURL = directory
        let output = Pipe()
        demo.standardOutput = output
        demo.standardError = output
        try demo.run()
        let reader = PipeReader(output)
        defer {
            if demo.isRunning { demo.interrupt() }
            demo.waitUntilExit()
        }
        // Ready once it prints its sign-ins.
        var seen = ""
        let deadline = Date().addingTimeInterval(180)
        while !seen.contains("Press Ctrl-C"), Date() < deadline, demo.isRunning {
            try await Task.sleep(for: .milliseconds(100))
            seen = reader.text
        }
        try #require(seen.contains("Press Ctrl-C"), "the demo did not start:\n\(seen.suffix(2000))")
        for line in lines {
            let run = try Self.shell(line, in: directory)
            #expect(run.status == 0 && run.output.contains("intact"), "\(line)\n\(run.output.suffix(1500))\n\(run.errors.suffix(1500))")
        }
    }
}
