public import Foundation

/// Runs an independent tool (xmlsec1, openssl, python3) as an oracle for interop tests.
public enum ExternalTool {
    public struct Result: Sendable {
        public let status: Int32
        public let output: String
        public let errors: String
    }

    /// The tool's path if it is installed.
    public static func find(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Whether interop tests must run (scripts/test.sh installs the oracles and sets this) or
    /// may be skipped on a developer machine without them.
    public static var required: Bool {
        ProcessInfo.processInfo.environment["ACCORD_TEST_REQUIRE_ORACLES"] == "1"
    }

    /// True when the oracle is installed, or when it is required (so the test fails loudly).
    public static func available(_ name: String) -> Bool {
        required || find(name) != nil
    }

    public static func run(_ name: String, _ arguments: [String], input: Data? = nil, in directory: URL? = nil) throws -> Result {
        guard let path = find(name) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "\(name) is not installed"])
        }
        // Standard input, output and error go through files, not pipes: a pipe write or read
        // interrupted by a signal (EINTR) traps inside Foundation's FileHandle, and reading two
        // pipes one after the other can deadlock on a tool that writes much to the second.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("accord-tool-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let inputFile = scratch.appendingPathComponent("stdin"), outputFile = scratch.appendingPathComponent("stdout"), errorFile = scratch.appendingPathComponent("stderr")
        try (input ?? Data()).write(to: inputFile)
        FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let standardInput = try FileHandle(forReadingFrom: inputFile)
        let output = try FileHandle(forWritingTo: outputFile), errors = try FileHandle(forWritingTo: errorFile)
        defer { try? standardInput.close(); try? output.close(); try? errors.close() }
        process.standardInput = standardInput
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: try Data(contentsOf: outputFile), as: UTF8.self),
                      errors: String(decoding: try Data(contentsOf: errorFile), as: UTF8.self))
    }

    /// A fresh temporary directory, removed by the caller.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("accord-oracle-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

extension ExternalTool {
    /// `run` on a thread of its own, so that a long-running tool does not hold one of the few
    /// cooperative threads a live server in the same process needs.
    public static func runDetached(_ name: String, _ arguments: [String], input: Data? = nil, in directory: URL? = nil) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Swift.Result { try run(name, arguments, input: input, in: directory) })
            }
        }
    }
}
