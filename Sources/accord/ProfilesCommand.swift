import AccordCore
import AccordServer
import ArgumentParser
import Casework
import Foundation

struct ProfilesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "Check the data in Profiles/ and Adapters/: readmission agreements, workflows, office calendars, triage rules and adapter manifests.",
        subcommands: [Validate.self]
    )

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate agreement profiles and workflows; every problem is reported as file:line.",
            discussion: """
                With no arguments, validates $ACCORD_PROFILES/agreements and $ACCORD_PROFILES/workflows, else the \
                profiles shipped with Accord. Arguments may be files or directories; a file with a top-level \
                `workflow:` key is a workflow, calendars.yaml the office calendars, anything else an agreement. \
                Workflows are checked for unknown and unreachable states, dead ends, unknown permissions, \
                guards naming unknown fields and tasks for unknown teams. Exits 1 when any error is found; \
                warnings are printed but do not fail.
                """
        )

        @Argument(help: "Profile files or directories.")
        var paths: [String] = []

        @Option(help: "The access policy whose roles workflow tasks may name (default: the standard roles).")
        var accessPolicy: String?

        func run() async throws {
            var configuration = NodeConfiguration()
            configuration.accessPolicyFile = accessPolicy
            let roles = Set(try configuration.accessPolicy().roles.keys)
            var problems: [AgreementProfileFile.Problem] = []
            var agreementFiles: [URL] = []
            var workflowFiles: [URL] = []
            var calendarFiles: [URL] = []
            var triageFiles: [URL] = []
            var manifestFiles: [URL] = []
            let targets = paths.isEmpty ? [ReadmissionRuntime.defaultAgreementsDirectory().path, configuration.workflowsFolder.path, configuration.triageFolder.path] : paths
            for path in targets {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                    problems.append(.init(file: path, diagnostic: .init(code: "profiles.not_found", message: "no such file or directory")))
                    continue
                }
                let files: [URL]
                if isDirectory.boolValue {
                    let entries = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
                    // Adapter manifests sit one folder down: Adapters/<System>/manifest.yaml.
                    let found = entries.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
                        + entries.map { "\($0)/manifest.yaml" }.filter { FileManager.default.fileExists(atPath: path + "/" + $0) }
                    if found.isEmpty { problems.append(.init(file: path, diagnostic: .init(code: "profiles.none", message: "no profiles (*.yaml) in this directory"))) }
                    files = found.map { URL(fileURLWithPath: path).appendingPathComponent($0) }
                } else {
                    files = [URL(fileURLWithPath: path)]
                }
                for file in files {
                    let text = FileManager.default.contents(atPath: file.path).map { String(decoding: $0, as: UTF8.self) } ?? ""
                    let lines = text.split(separator: "\n")
                    if lines.contains(where: { $0.hasPrefix("system:") }) && lines.contains(where: { $0.hasPrefix("kind:") }) {
                        manifestFiles.append(file)
                    } else if file.lastPathComponent == WorkflowProfileFile.calendarsFileName {
                        calendarFiles.append(file)
                    } else if text.split(separator: "\n").contains(where: { $0.hasPrefix("workflow:") }) {
                        workflowFiles.append(file)
                    } else if text.split(separator: "\n").contains(where: { $0.hasPrefix("caseType:") }) {
                        triageFiles.append(file)
                    } else {
                        agreementFiles.append(file)
                    }
                }
            }
            let (profiles, loadProblems) = AgreementProfileFile.load(agreementFiles)
            problems += loadProblems
            var workflows: [String] = []
            var versions: [String: String] = [:]
            var loaded: [Workflow] = []
            for file in workflowFiles {
                let (workflow, diagnostics) = WorkflowProfileFile.load(file, roles: roles)
                problems += diagnostics.map { .init(file: file.path, diagnostic: $0) }
                guard let workflow else { continue }
                loaded.append(workflow)
                let key = "\(workflow.caseType.rawValue)@\(workflow.version)"
                if let other = versions[key] {
                    problems.append(.init(file: file.path, diagnostic: .init(code: "workflow.duplicate_version", message: "\(key) is also defined in \(other)", line: 1)))
                }
                versions[key] = file.lastPathComponent
                workflows.append(key)
            }
            for file in calendarFiles {
                let text = FileManager.default.contents(atPath: file.path).map { String(decoding: $0, as: UTF8.self) } ?? ""
                problems += WorkflowProfileFile.parseCalendars(text).1.map { .init(file: file.path, diagnostic: $0) }
            }
            // Triage rules are checked against the workflows given, else the node's.
            if !triageFiles.isEmpty {
                if loaded.isEmpty { loaded = WorkflowProfileFile.loadDirectory(configuration.workflowsFolder, roles: roles).workflows }
                var unique: [String: Workflow] = [:]
                for workflow in loaded where unique["\(workflow.caseType.rawValue)@\(workflow.version)"] == nil { unique["\(workflow.caseType.rawValue)@\(workflow.version)"] = workflow }
                let catalog = try WorkflowCatalog(Array(unique.values))
                for file in triageFiles {
                    let text = FileManager.default.contents(atPath: file.path).map { String(decoding: $0, as: UTF8.self) } ?? ""
                    problems += TriageProfileFile.parse(text, workflows: catalog).1.map { .init(file: file.path, diagnostic: $0) }
                }
            }
            for file in manifestFiles {
                problems += AdapterManifestFile.load(file).1.map { .init(file: file.path, diagnostic: $0) }
            }
            for problem in problems { print(problem) }
            let errors = problems.filter { $0.diagnostic.severity == .error }.count
            let warnings = problems.count - errors
            let count = agreementFiles.count + workflowFiles.count + calendarFiles.count + triageFiles.count + manifestFiles.count
            print("\(count) file(s): \(profiles.count) valid agreement(s)\(profiles.isEmpty ? "" : " (\(profiles.map(\.id).joined(separator: ", ")))"), "
                  + "\(workflows.count) valid workflow(s)\(workflows.isEmpty ? "" : " (\(workflows.joined(separator: ", ")))"), \(triageFiles.count) triage file(s), \(manifestFiles.count) adapter manifest(s); \(errors) error(s), \(warnings) warning(s)")
            if errors > 0 { throw ExitCode(1) }
        }
    }
}
