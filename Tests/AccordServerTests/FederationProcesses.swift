import AccordServer
import AccordTesting
import Exchange
import Federation
import Foundation
import Gateway
import Storage

/// A separate `accord` process (hub or node) that a test can SIGKILL and start again.
final class AccordProcess: @unchecked Sendable {
    let name: String
    let arguments: [String]
    let readyPort: Int
    let logFile: URL
    private(set) var process: Process?
    private(set) var starts = 0

    init(name: String, arguments: [String], readyPort: Int, logDirectory: URL) {
        self.name = name
        self.arguments = arguments
        self.readyPort = readyPort
        self.logFile = logDirectory.appendingPathComponent("\(name).log")
    }

    /// The `accord` executable built beside the test bundle.
    static var executable: URL {
        if let path = ProcessInfo.processInfo.environment["ACCORD_BINARY"] { return URL(fileURLWithPath: path) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("accord")
            if FileManager.default.isExecutableFile(atPath: candidate.path), !candidate.hasDirectoryPath { return candidate }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/accord")
    }

    /// Starts the process and waits until it accepts connections on `readyPort`.
    func start() async throws {
        if !FileManager.default.fileExists(atPath: logFile.path) { FileManager.default.createFile(atPath: logFile.path, contents: nil) }
        let log = try FileHandle(forWritingTo: logFile)
        try log.seekToEnd()
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
        starts += 1
        for _ in 0..<600 {
            if LoopbackPorts.isListening(readyPort) { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw GatewayError(code: "test.process_not_ready", reason: "\(name) did not listen on \(readyPort); log:\n\(tail())")
    }

    /// SIGKILL: no shutdown code runs.
    func kill9() {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// SIGTERM and wait.
    func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
    }

    func tail(_ lines: Int = 40) -> String {
        let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    deinit { kill9() }

    /// Runs an `accord` command to its end (in `directory`, with `environment` changed: nil
    /// removes a variable); returns its exit status and standard and error output.
    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String?] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty {
            var env = ProcessInfo.processInfo.environment
            for (key, value) in environment { env[key] = value }
            process.environment = env
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = PipeReader(output).readToEnd()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// A hub and Morocco's node as separate processes on one database kind, with Belgium's sending
/// side in the test process; the PKI and registry are generated in a temporary directory.
struct ProcessFederation {
    let directory: URL
    let pki: PKIDirectory
    let hub: AccordProcess
    let morocco: AccordProcess
    let hubEndpoint: FederationEndpoint
    let hubDatabase: DatabaseLocation
    let moroccoDatabase: DatabaseLocation
    let schemas: [String]

    static let hubID = ParticipantID("EUE-HUB")!
    static let belgium = ParticipantID("BEL-DOFI")!
    static let morocco = ParticipantID("MAR-INTERIOR")!

    static func make(_ database: TestDatabase) throws -> ProcessFederation {
        let directory = try ExternalTool.temporaryDirectory()
        let pki = PKIDirectory(directory.appendingPathComponent("pki"))
        let now = Date()
        _ = try pki.initialise(name: "Crash Test CA", now: now, crlValidity: 86_400)
        for (participant, role) in [(hubID, CertificateRole.hub), (belgium, .node), (morocco, .node)] {
            try pki.issue(role: role, participant: participant, dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"], now: now, validityDays: 30)
            try pki.issue(role: .signer, participant: participant, dnsNames: [], ipAddresses: [], now: now, validityDays: 30)
        }
        let hubPort = try LoopbackPorts.free(), moroccoPort = try LoopbackPorts.free()
        let registry = directory.appendingPathComponent("registry.yaml")
        try """
            hub: EUE-HUB
            participants:
              - {id: EUE-HUB, name: Hub}
              - {id: BEL-DOFI, name: Belgium, delivery: pull}
              - {id: MAR-INTERIOR, name: Morocco, delivery: push, endpoint: "127.0.0.1:\(moroccoPort)"}
            agreements:
              - {id: EU-MAR-2026, parties: [BEL-DOFI, MAR-INTERIOR], messageTypes: all}
            """.write(to: registry, atomically: true, encoding: .utf8)

        var schemas: [String] = []
        func location(_ name: String) throws -> DatabaseLocation {
            switch database {
            case .sqlite:
                return .sqlite(path: directory.appendingPathComponent("\(name).sqlite").path)
            case .postgres:
                guard let url = ProcessInfo.processInfo.environment["ACCORD_TEST_POSTGRES_URL"] else { throw StorageError.unavailable("ACCORD_TEST_POSTGRES_URL is not set") }
                let schema = "crash_\(name)_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(10).lowercased()
                schemas.append(schema)
                return .postgres(url: url + (url.contains("?") ? "&" : "?") + "schema=\(schema)")
            }
        }
        let hubDatabase = try location("hub"), moroccoDatabase = try location("mar")
        let url = Self.url
        let hub = AccordProcess(name: "hub", arguments: [
            "hub", "serve", "--database-url", url(hubDatabase), "--data-dir", directory.appendingPathComponent("hub").path,
            "--pki", pki.url.path, "--registry", registry.path, "--port", "\(try LoopbackPorts.free())", "--federation-port", "\(hubPort)",
            "--retry-initial", "0.1", "--retry-maximum", "1", "--retry-attempts", "10000", "--log-level", "warning",
        ], readyPort: hubPort, logDirectory: directory)
        let morocco = AccordProcess(name: "morocco", arguments: [
            "node", "serve", "--database-url", url(moroccoDatabase), "--data-dir", directory.appendingPathComponent("mar").path,
            "--port", "\(try LoopbackPorts.free())", "--hub", "127.0.0.1:\(hubPort)", "--pki", pki.url.path,
            "--participant", "MAR-INTERIOR", "--federation-listen", "127.0.0.1:\(moroccoPort)", "--log-level", "warning",
        ], readyPort: moroccoPort, logDirectory: directory)
        return ProcessFederation(
            directory: directory, pki: pki, hub: hub, morocco: morocco, hubEndpoint: FederationEndpoint(host: "127.0.0.1", port: hubPort),
            hubDatabase: hubDatabase, moroccoDatabase: moroccoDatabase, schemas: schemas
        )
    }

    /// The command-line form of a database location.
    static func url(_ location: DatabaseLocation) -> String {
        switch location {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url): url
        }
    }

    /// Opens one of the processes' databases from the test (read side).
    func open(_ location: DatabaseLocation) async throws -> SQLStore {
        try await SQLStore.open(location, configuration: StoreConfiguration(postgresConnectionsPerEventLoop: 1))
    }

    func cleanUp() async {
        hub.kill9()
        morocco.kill9()
        if !schemas.isEmpty, let url = ProcessInfo.processInfo.environment["ACCORD_TEST_POSTGRES_URL"],
           let admin = try? await SQLStore.open(.postgres(url: url), configuration: StoreConfiguration(postgresConnectionsPerEventLoop: 1)) {
            for schema in schemas { try? await admin.database.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run() }
            await admin.shutdown()
        }
        try? FileManager.default.removeItem(at: directory)
    }
}
