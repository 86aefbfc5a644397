import AccordServer
import AdapterKit
import AdapterSimulators
import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

extension SimulatedSystem: ExpressibleByArgument {}

/// `accord simulate national-id|civil-registry|border|police`: one national system as its own
/// HTTP server, for the demo, the tests and a partner's IT team trying their adapters.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run a simulated national system (national ID, civil registry, border, police) as its own HTTP server.",
        discussion: """
            The simulator authenticates callers the way the adapter's manifest says (--manifest): \
            an API key, OAuth 2.0 client credentials, or client certificates (then it serves \
            HTTPS with --tls-certificate and --tls-key and accepts clients of --client-ca). \
            Its people, documents and crossings come from --data (default: the bundled \
            population, names in several scripts). --latency and --fail-rate make it slow or \
            unreliable; --quota makes it refuse after so many requests.
            """
    )

    @Argument(help: "national-id, civil-registry, border or police.")
    var system: SimulatedSystem

    @Option(help: "Port to listen on (0 picks a free one and prints it).")
    var port = 0

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The adapter manifest whose authentication the simulator expects (its secrets are read from the files or variables it names).")
    var manifest: String?

    @Option(help: "A population file (JSON) instead of the bundled one.")
    var data: String?

    @Option(help: "Milliseconds to wait before answering each request.")
    var latency = 0

    @Option(help: "Share of requests answered 503 at random, 0 to 1.")
    var failRate = 0.0

    @Option(help: "Requests per credential before answering 429 (quota exceeded).")
    var quota: Int?

    @Flag(help: "Exit when the process that started this one exits (the demo's simulators).")
    var exitWithParent = false

    @Option(help: "Server certificate (PEM) for mutual TLS.")
    var tlsCertificate: String?

    @Option(help: "Server private key (PEM) for mutual TLS.")
    var tlsKey: String?

    @Option(help: "CA certificate(s) (PEM) whose client certificates are accepted.")
    var clientCA: String?

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        guard (0...1).contains(failRate) else { throw ValidationError("--fail-rate must be between 0 and 1") }
        guard (0...120_000).contains(latency) else { throw ValidationError("--latency must be 0 to 120000 ms") }
    }

    func authentication() throws -> SimulatorAuthentication {
        guard let manifest else { return .none }
        let (loaded, problems) = AdapterManifestFile.load(URL(fileURLWithPath: manifest))
        guard let loaded else { throw ServerError(code: "simulate.invalid_manifest", reason: problems.map { "\(manifest):\($0.line ?? 1): \($0.message)" }.joined(separator: "\n")) }
        return try SimulatorAuthentication.expected(by: loaded, certificate: tlsCertificate, key: tlsKey, clientCA: clientCA)
    }

    func run() async throws {
        try await reportingErrors {
            let population = try data.map { try Population.load(URL(fileURLWithPath: $0)) } ?? Population.bundled()
            let options = SimulatorOptions(host: host, port: port, latency: .milliseconds(latency), failRate: failRate, dailyQuota: quota, authentication: try authentication())
            var logger = Logger(label: "accord.simulate.\(system.rawValue)")
            logger.logLevel = .warning
            let system = self.system
            let application = try Simulators.application(system, population: population, options: options, logger: logger) { port in
                FileHandle.standardOutput.write(Data("simulated \(system.rawValue) listening on \(options.host):\(port)\n".utf8))
            }
            if exitWithParent {
                let parent = getppid()
                Thread.detachNewThread {
                    while getppid() == parent { Thread.sleep(forTimeInterval: 1) }
                    Foundation.exit(0)
                }
            }
            // A simulator has nothing to finish: it exits at once on SIGTERM or Ctrl-C, whatever
            // keep-alive connections are open (a graceful TLS shutdown waits seconds for them).
            signal(SIGTERM) { _ in _exit(0) }
            signal(SIGINT) { _ in _exit(0) }
            let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
            try await group.run()
        }
    }
}
