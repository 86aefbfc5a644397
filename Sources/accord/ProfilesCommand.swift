import AccordServer
import ArgumentParser
import Foundation

struct ProfilesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "Check the data in Profiles/: readmission agreements.",
        subcommands: [Validate.self]
    )

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate agreement profiles; every problem is reported as file:line.",
            discussion: """
                With no arguments, validates $ACCORD_PROFILES/agreements, else the profiles shipped with Accord. \
                Arguments may be files or directories. Exits 1 when any error is found; warnings \
                are printed but do not fail.
                """
        )

        @Argument(help: "Agreement profile files or directories.")
        var paths: [String] = []

        func run() async throws {
            var files: [URL] = []
            var problems: [AgreementProfileFile.Problem] = []
            let targets = paths.isEmpty ? [ReadmissionRuntime.defaultAgreementsDirectory().path] : paths
            for path in targets {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                    problems.append(.init(file: path, diagnostic: .init(code: "profiles.not_found", message: "no such file or directory")))
                    continue
                }
                if isDirectory.boolValue {
                    let found = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                    if found.isEmpty { problems.append(.init(file: path, diagnostic: .init(code: "profiles.none", message: "no agreement profiles (*.yaml) in this directory"))) }
                    files += found.map { URL(fileURLWithPath: path).appendingPathComponent($0) }
                } else {
                    files.append(URL(fileURLWithPath: path))
                }
            }
            let (profiles, loadProblems) = AgreementProfileFile.load(files)
            problems += loadProblems
            for problem in problems { print(problem) }
            let errors = problems.filter { $0.diagnostic.severity == .error }.count
            let warnings = problems.count - errors
            print("\(files.count) file(s), \(profiles.count) valid agreement(s): \(profiles.map(\.id).joined(separator: ", ")); \(errors) error(s), \(warnings) warning(s)")
            if errors > 0 { throw ExitCode(1) }
        }
    }
}
