import AccordCore
import AccordServer
import ArgumentParser
import Foundation
import Hummingbird
import Identity
import Logging
import Storage

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a demo node with realistic sample cases (SQLite, nothing to install).",
        discussion: """
            Creates (once) a node in the data directory with a few hundred sample cases — several \
            nationalities and scripts, every case type and status — then serves it and prints the \
            console URL. Stop it with Ctrl-C; run again to reuse the same data, or pass --reset.
            """
    )

    @Option(help: "Directory for the demo's data.")
    var dataDir = "./data/demo"

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8080

    @Option(help: "How many sample cases to create.")
    var cases = 300

    @Option(help: "How many sample applications (each answered by a decision) to exchange through the hub.")
    var federationMessages = 5

    @Flag(help: "Delete the demo's data first.")
    var reset = false

    @Flag(help: "Seed the data and exit instead of serving.")
    var seedOnly = false

    func validate() throws {
        guard (0...5_000).contains(cases) else { throw ValidationError("--cases must be between 0 and 5000") }
    }

    func run() async throws {
        try await reportingErrors {
            if reset { try? FileManager.default.removeItem(atPath: dataDir) }
            var configuration = NodeConfiguration(host: host, port: port, dataDirectory: dataDir, nodeName: "Demo immigration authority")
            // Demo only: plain HTTP on loopback and no authenticator app needed.
            configuration.secureCookies = false
            configuration.requireMFA = false
            let node = try await AccordNode.open(configuration)
            let existing = try await node.service.listCases(.init(limit: 1), by: .system).total
            if existing == 0 && cases > 0 {
                say("Creating \(cases) sample cases in \(dataDir) …")
                let end = Date()
                let clock = ManualWallClock(end)
                let seeder = SampleCaseSeeder(service: try AccordNode.makeService(store: node.store, cipher: node.cipher, configuration: configuration, clock: clock), clock: clock)
                let started = ContinuousClock.now
                try await seeder.seed(cases: cases, from: end.addingTimeInterval(-300 * 86_400), to: end.addingTimeInterval(-3_600))
                say("Created \(cases) cases in \(started.duration(to: .now).formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1)))).")
            } else {
                say("Using the \(existing > 0 ? "existing" : "empty") demo data in \(dataDir) (pass --reset to start over).")
            }
            let (password, token) = try await Demo.demoCredentials(node)
            if seedOnly {
                await node.close()
                return
            }
            let federation = FederationDemo(directory: URL(fileURLWithPath: dataDir).appendingPathComponent("federation"))
            var quiet = Logger(label: "accord.demo.federation")
            quiet.logLevel = .warning
            say("Starting the federation: hub EUE-HUB, Belgium BEL-DOFI (pull-only), Morocco MAR-INTERIOR (push) …")
            let running = try await federation.start(logger: quiet)
            let summary = try await FederationDemo.exchange(running, count: federationMessages)
            let milliseconds = Double(summary.medianLatency.components.seconds) * 1000 + Double(summary.medianLatency.components.attoseconds) / 1e15
            say("Federation over mutual TLS: \(summary.delivered) of \(summary.sent) signed messages delivered with verified receipts (median \(Int(milliseconds)) ms);")
            say("  hub message log: \(summary.hubLogEntries) entries, \(summary.hubLogIntact ? "intact" : "BROKEN")")
            say("  hub:  https://\(federation.host):\(running.hub.listener.port)/federation/v1 (a federation client certificate is required)")
            say("  PKI:  \(dataDir)/federation/pki (development CA: accord pki list --dir \(dataDir)/federation/pki)")
            let application = try await node.makeApplication { port in
                FileHandle.standardOutput.write(Data("""

                    Accord demo node is running.
                      Console:  http://\(host):\(port)/console/cases
                                sign in as demo.supervisor / \(password)
                      API:      http://\(host):\(port)/api/v1/cases
                                curl -H 'Authorization: Bearer \(token)' http://\(host):\(port)/api/v1/cases
                      Health:   http://\(host):\(port)/health
                    Press Ctrl-C to stop.

                    """.utf8))
            }
            do {
                try await application.runService()
            } catch {
                await running.stop()
                await node.close()
                throw error
            }
            await running.stop()
            await node.close()
        }
    }

    /// Unbuffered, so progress shows at once even when the output is piped.
    func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// A demo supervisor of every sample office, with a fresh password and API token each start.
    static func demoCredentials(_ node: AccordNode) async throws -> (password: String, token: String) {
        let auth = try node.authentication()
        let id = UserID("demo.supervisor")!
        let password = "demo-" + UUID().uuidString.prefix(8).lowercased()
        if try await auth.users.user(id) == nil {
            let grants = SampleCaseSeeder.offices.map { RoleGrant(role: "supervisor", office: $0) }
            _ = try await auth.addUser(id, displayName: "Demo supervisor", password: password, grants: grants, by: "demo")
        } else {
            _ = try await auth.change(id, by: "demo", purpose: "demo password") { account in
                account.passwordHash = auth.hasher.hash(password)
                account.failedAttempts = 0
                account.lockedUntil = nil
            }
        }
        let token = try await auth.issueToken(for: id, scopes: nil, validity: 7 * 86_400, tokens: SQLTokenRepository(store: node.store), by: "demo")
        return (password, token)
    }
}
