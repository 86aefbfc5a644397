import AccordCore
import AccordServer
import ArgumentParser
import Exchange
import Foundation
import Gateway
import Hummingbird
import Identity
import Logging
import Readmission
import ServiceLifecycle
import Storage

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start the demo: a hub and two nodes exchanging readmission cases (SQLite, nothing to install).",
        discussion: """
            Belgium (the requesting state, with a few hundred sample national cases) and Morocco \
            (the partner country) each run a node with its console; a hub carries their signed \
            messages over mutual TLS. On first start realistic readmission cases are exchanged, \
            each at a different stage, so there is something to act on in both consoles. Stop it \
            with Ctrl-C; run again to reuse the same data, or pass --reset.
            """
    )

    @Option(help: "Directory for the demo's data.")
    var dataDir = "./data/demo"

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port of Belgium's console (0 picks a free one).")
    var port = 8080

    @Option(help: "Port of Morocco's console (0 picks a free one).")
    var partnerPort = 8081

    @Option(help: "Port of Georgia's console on the hub's quick-win module (0 picks a free one).")
    var quickWinPort = 8082

    @Option(help: "How many sample national cases Belgium's node starts with.")
    var cases = 300

    @Option(help: "How many extra sample application/decision pairs to push through the hub (a throughput check).")
    var federationMessages = 0

    @Flag(help: "Delete the demo's data first.")
    var reset = false

    @Flag(help: "Seed the data and exit instead of serving.")
    var seedOnly = false

    func validate() throws {
        guard (0...5_000).contains(cases) else { throw ValidationError("--cases must be between 0 and 5000") }
    }

    func run() async throws {
        try await reportingErrors {
            // Before anything is reset or changed: a second demo must not touch the first one's data.
            for (name, value) in [("--port (Belgium's console)", port), ("--partner-port (Morocco's console)", partnerPort), ("--quick-win-port (Georgia's console)", quickWinPort)]
            where value != 0 && !LoopbackPorts.canListen(host: host, port: value) {
                throw ServerError(code: "demo.port_busy", reason: "port \(value) on \(host) is in use (\(name)): is another accord demo running? Stop it, or choose another port with \(name.split(separator: " ")[0]); nothing was changed")
            }
            if reset { try? FileManager.default.removeItem(atPath: dataDir) }
            let profiles = try ReadmissionRuntime.loadProfiles(ReadmissionRuntime.defaultAgreementsDirectory())
            // The national systems, each its own process: Morocco's national ID register and civil
            // registry, Belgium's border and police systems, reached through the manifests written here.
            let adapters = URL(fileURLWithPath: dataDir).appendingPathComponent("adapters", isDirectory: true)
            let agencies = try SimulatedAgencies.prepare(morocco: adapters.appendingPathComponent("morocco"), belgium: adapters.appendingPathComponent("belgium"), host: host)
            let simulators = try await SimulatorProcesses.start(agencies, logs: adapters.appendingPathComponent("logs"))
            defer { simulators.stop() }
            var belgiumConfiguration = demoConfiguration(dataDir, port: port, name: "Belgium — Immigration Office (BEL-DOFI)")
            belgiumConfiguration.adaptersDirectory = adapters.appendingPathComponent("belgium").path
            var moroccoConfiguration = demoConfiguration(dataDir + "/morocco", port: partnerPort, name: "Morocco — Ministry of the Interior (MAR-INTERIOR)")
            moroccoConfiguration.adaptersDirectory = adapters.appendingPathComponent("morocco").path
            let belgium = try await AccordNode.open(belgiumConfiguration)
            let morocco = try await AccordNode.open(moroccoConfiguration)
            let existing = try await belgium.service.listCases(.init(limit: 1), by: .system).total
            if existing == 0 && cases > 0 {
                say("Creating \(cases) sample national cases in \(dataDir) …")
                let end = Date()
                let clock = ManualWallClock(end)
                let seeder = SampleCaseSeeder(service: try AccordNode.makeService(store: belgium.store, cipher: belgium.cipher, configuration: belgium.configuration, clock: clock), clock: clock)
                try await seeder.seed(cases: cases, from: end.addingTimeInterval(-300 * 86_400), to: end.addingTimeInterval(-3_600))
            }
            let password = "demo-" + UUID().uuidString.prefix(8).lowercased()
            let token = try await Demo.demoUsers(belgium: belgium, morocco: morocco, password: password)
            // Belgium's border service reports exits through the agency API with its own token.
            try await Demo.ensure(belgium, "border.service", "Border service (agency system)", [RoleGrant(role: "agency")], password)
            let agencyToken = try await belgium.authentication().issueToken(for: UserID("border.service")!, scopes: [.agencyReport], validity: 7 * 86_400,
                                                                            tokens: SQLTokenRepository(store: belgium.store), by: .tool("demo"))
            if seedOnly {
                await belgium.close()
                await morocco.close()
                return
            }
            var quiet = Logger(label: "accord.demo")
            quiet.logLevel = .warning
            say("Starting the federation: hub EUE-HUB, Belgium BEL-DOFI (pull-only), Morocco MAR-INTERIOR (push) over mutual TLS …")
            let federation = FederationDemo(directory: URL(fileURLWithPath: dataDir).appendingPathComponent("federation"))
            let running = try await federation.start(logger: quiet, nodes: (belgium, morocco))
            let belgiumDesk = ReadmissionRuntime.start(exchange: running.belgium, node: belgium, profiles: profiles, logger: quiet)
            let moroccoDesk = ReadmissionRuntime.start(exchange: running.morocco, node: morocco, profiles: profiles, logger: quiet)
            // Georgia has no node: the hub hosts its installation (the quick-win module).
            let georgiaConfiguration = QuickWinHost.configuration(
                hub: demoConfiguration(dataDir + "/federation", port: quickWinPort, name: ""), participant: FederationDemo.georgia, port: quickWinPort,
                name: "Georgia — Ministry of Internal Affairs (GEO-MIA) · quick-win module on the hub")
            let georgia = try await QuickWinHost.start(configuration: georgiaConfiguration, participant: FederationDemo.georgia, pki: running.pki,
                                                       hub: running.hubEndpoint, profiles: profiles, logger: quiet)
            try await Demo.ensure(georgia.node, "geo.officer", "N. Kapanadze (readmission officer)", [RoleGrant(role: "readmission_supervisor")], password)
            try await Demo.ensure(georgia.node, "geo.supervisor", "T. Lomidze (head of unit)", [RoleGrant(role: "readmission_supervisor")], password)
            func stopAll() async {
                await georgia.stop()
                await belgiumDesk.stop()
                await moroccoDesk.stop()
                await running.stop()
                await belgium.close()
                await morocco.close()
            }
            do {
                if federationMessages > 0 {
                    let summary = try await FederationDemo.exchange(running, count: federationMessages)
                    say("Throughput check: \(summary.delivered) of \(summary.sent) signed messages delivered with verified receipts; hub log \(summary.hubLogIntact ? "intact" : "BROKEN").")
                }
                if try await belgiumDesk.desk.statistics().allSatisfy({ $0.sent == 0 }) {
                    say("Exchanging sample readmission cases through the hub (each step a signed message with its receipt) …")
                    let seeded = try await ReadmissionDemo(belgium: belgiumDesk.desk, morocco: moroccoDesk.desk, georgia: georgia.readmission.desk).seed()
                    say("  \(seeded) cases: one with its transfer notified, one awaiting four-eyes approval, one with an open information request,")
                    say("  one with an interview to confirm, one accelerated, one rejected — and one to Georgia on the quick-win module.")
                }
                let (ports, continuation) = AsyncStream.makeStream(of: (String, Int).self)
                let belgiumApp = try await belgium.makeApplication(readmission: belgiumDesk.desk) { continuation.yield(("belgium", $0)) }
                let moroccoApp = try await morocco.makeApplication(readmission: moroccoDesk.desk) { continuation.yield(("morocco", $0)) }
                let georgiaApp = try await georgia.makeApplication { continuation.yield(("georgia", $0)) }
                let group = ServiceGroup(configuration: .init(services: [belgiumApp, moroccoApp, georgiaApp], gracefulShutdownSignals: [.sigterm, .sigint], logger: quiet))
                let announcer = Task {
                    var bound: [String: Int] = [:]
                    for await (name, port) in ports {
                        bound[name] = port
                        if bound.count == 3 {
                            announce(belgium: bound["belgium"] ?? 0, morocco: bound["morocco"] ?? 0, georgia: bound["georgia"] ?? 0, password: password, token: token, agencyToken: agencyToken,
                                     hubPort: running.hub.listener.port, agencies: agencies)
                        }
                    }
                }
                try await group.run()
                continuation.finish()
                announcer.cancel()
            } catch {
                await stopAll()
                throw error
            }
            await stopAll()
        }
    }

    func announce(belgium: Int, morocco: Int, georgia: Int, password: String, token: String, agencyToken: String, hubPort: Int, agencies: [SimulatedAgencies.Agency]) {
        say("""

            Accord demo is running. Open both consoles side by side (English; add ?lang=fr for French).
              Belgium (requesting state):   http://\(host):\(belgium)/console/readmission
                                            sign in as bel.liaison / \(password)   (national cases: a.martin, officer; demo.supervisor,
                                            second officer and supervisor; demo.clerk, registry — all with \(password))
              Morocco (partner country):    http://\(host):\(morocco)/console/readmission
                                            sign in as mar.officer / \(password)   (four-eyes approval: mar.supervisor / \(password))
              Georgia (quick-win on the hub): http://\(host):\(georgia)/console/readmission
                                            sign in as geo.officer / \(password)   (no node of its own: hosted by the hub)
              Hub (mutual TLS only):        https://\(host):\(hubPort)/federation/v1
              API (Belgium):                curl -H 'Authorization: Bearer \(token)' http://\(host):\(belgium)/api/v1/cases
              National systems (simulated, each its own process): \(agencies.map { "\($0.system) :\($0.port)" }.joined(separator: ", "))
                                            manifests in \(dataDir)/adapters; try registering a person with passport EP7731245 (SYR) in Belgium
              Border exit (completes case BEL-RA-…-0101's notified transfer):
                                            curl -H 'Authorization: Bearer \(agencyToken)' -H 'Idempotency-Key: exit-1' -H 'Content-Type: application/json' \\
                                              -d '{"document":{"number":"VX4412873","issuingCountry":"MAR"},"at":"\(Timestamp.format(Date()))","crossingPoint":{"code":"BRU","name":"Brussels Airport"}}' \\
                                              http://\(host):\(belgium)/api/v1/agency/exits
              PKI: \(dataDir)/federation/pki (development CA)
            Press Ctrl-C to stop.

            """)
    }

    func demoConfiguration(_ directory: String, port: Int, name: String) -> NodeConfiguration {
        var configuration = NodeConfiguration(host: host, port: port, dataDirectory: directory, nodeName: name)
        // Demo only: plain HTTP on loopback and no authenticator app needed.
        configuration.secureCookies = false
        configuration.requireMFA = false
        configuration.logLevel = .warning
        return configuration
    }

    /// Unbuffered, so progress shows at once even when the output is piped.
    func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// The demo's users, all with `password` (fresh on each start); returns an API token for
    /// Belgium's demo supervisor.
    static func demoUsers(belgium: AccordNode, morocco: AccordNode, password: String) async throws -> String {
        let officeGrants = SampleCaseSeeder.offices.map { RoleGrant(role: "supervisor", office: $0) }
        try await ensure(belgium, "demo.supervisor", "Demo supervisor", officeGrants + [RoleGrant(role: "partner_liaison")], password)
        try await ensure(belgium, "bel.liaison", "A. Janssens (liaison officer)", [RoleGrant(role: "partner_liaison")], password)
        // The sample officers the national cases are assigned to, and a registry clerk.
        let officerGrants = SampleCaseSeeder.offices.map { RoleGrant(role: "case_officer", office: $0) }
        for officer in SampleCaseSeeder.officers { try await ensure(belgium, officer, officer, officerGrants, password) }
        try await ensure(belgium, "demo.clerk", "Registry clerk", SampleCaseSeeder.offices.map { RoleGrant(role: "registry_clerk", office: $0) }, password)
        try await ensure(morocco, "mar.officer", "K. Alaoui (readmission officer)", [RoleGrant(role: "readmission_supervisor")], password)
        try await ensure(morocco, "mar.supervisor", "S. Bennani (head of section)", [RoleGrant(role: "readmission_supervisor")], password)
        let auth = try belgium.authentication()
        return try await auth.issueToken(for: UserID("demo.supervisor")!, scopes: nil, validity: 7 * 86_400, tokens: SQLTokenRepository(store: belgium.store), by: .tool("demo"))
    }

    static func ensure(_ node: AccordNode, _ name: String, _ displayName: String, _ grants: [RoleGrant], _ password: String) async throws {
        let auth = try node.authentication()
        let id = UserID(name)!
        if try await auth.users.user(id) == nil {
            _ = try await auth.addUser(id, displayName: displayName, password: password, grants: grants, by: .tool("demo"))
        } else {
            _ = try await auth.change(id, by: .tool("demo"), purpose: "demo password") { account in
                account.passwordHash = auth.hasher.hash(password)
                account.grants = grants
                account.failedAttempts = 0
                account.lockedUntil = nil
            }
        }
    }
}
