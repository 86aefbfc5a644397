import AccordServer
import ArgumentParser
import Exchange
import Federation
import Foundation
import Gateway
import Logging
import Readmission
import ServiceLifecycle

struct HubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hub",
        abstract: "Run the federation hub (front-process).",
        subcommands: [Serve.self]
    )

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the hub: mutual-TLS federation port, console, /health and /metrics.",
            discussion: """
                The hub verifies every message, applies agreements and data-sharing rules, logs and \
                queues it in one transaction, and delivers it by push or pull. Participants and \
                agreements come from --registry (see Profiles/federation/example.yaml); certificates \
                and the CRL from --pki (accord pki). The console and operations port is plain HTTP \
                for the operators' network (put it behind TLS); the federation port needs a client \
                certificate of the federation CA.
                """
        )

        @OptionGroup var options: NodeOptions
        @OptionGroup var pki: PKIOption

        @Option(help: "The participant registry and agreements (YAML).")
        var registry: String

        @Option(help: "Console and operations address. Default: 127.0.0.1. Env: ACCORD_HTTP_HOST.")
        var host: String?

        @Option(help: "Console and operations port. Default: 8080. Env: ACCORD_HTTP_PORT.")
        var port: Int?

        @Option(help: "Federation (mutual TLS) address.")
        var federationHost = "127.0.0.1"

        @Option(help: "Federation (mutual TLS) port.")
        var federationPort = 8443

        @Option(help: "Seconds between re-reads of the CRL file.")
        var crlRefresh = 60

        @Option(help: "Seconds before the first retry of a failed push delivery (doubling, with jitter).")
        var retryInitial = 1.0

        @Option(help: "Longest wait between push retries, in seconds.")
        var retryMaximum = 300.0

        @Option(help: "Delivery attempts before a message is dead-lettered (failed) and an alert logged.")
        var retryAttempts = 12

        @Option(name: .customLong("quick-win"), help: ArgumentHelp(
            "Host a partner without a node on the quick-win module: ID=PORT, e.g. GEO-MIA=8082 (repeatable).",
            discussion: "Its data lives in <data-dir>/quick-win/ID (or the schema quickwin_id); its certificates come from --pki; add its users with accord users add --data-dir <data-dir>/quick-win/ID."))
        var quickWin: [String] = []

        @Option(help: "Agreement profiles for the quick-win partners. Default: $ACCORD_PROFILES/agreements, else the profiles shipped with Accord.")
        var profiles: String?

        func run() async throws {
            try await reportingErrors {
                var flags = options.flags
                flags["http.host"] = host
                flags["http.port"] = port.map(String.init)
                let configuration = try await NodeConfiguration.load(flags: flags, configFile: options.config)
                let node = try await AccordNode.open(configuration, logger: Logger(label: "accord.hub"))
                let now = Date()
                let hub: HubRuntime
                do {
                    let federation = try FederationRegistryFile.load(URL(fileURLWithPath: registry), pki: pki.directory, serial: Int(now.timeIntervalSince1970), issuedAt: now)
                    let materials = try FederationMaterials.load(pki: pki.directory, participant: federation.hub, tlsRole: .hub)
                    hub = try await HubRuntime.start(
                        store: node.store, materials: materials, configuration: federation, crlFile: pki.directory.crlURL,
                        host: federationHost, port: federationPort, crlRefresh: .seconds(crlRefresh),
                        retry: RetryPolicy(initialDelay: retryInitial, maximumDelay: retryMaximum, maximumAttempts: retryAttempts), logger: node.logger
                    )
                } catch {
                    await node.close()
                    throw error
                }
                let database = try configuration.databaseLocation()
                node.logger.notice("hub listening", metadata: [
                    "federation": "\(federationHost):\(hub.listener.port)", "console": "\(configuration.host):\(configuration.port)",
                    "database": "\(database)",
                ])
                var hosted: [QuickWinHost] = []
                do {
                    hosted = try await startQuickWin(hub: hub, configuration: configuration, logger: node.logger)
                } catch {
                    for host in hosted { await host.stop() }
                    await hub.stop()
                    await node.close()
                    throw error
                }
                var services: [any Service] = []
                for host in hosted { services.append(try await host.makeApplication()) }
                // Hosted partners stop before the hub they pull from.
                let hosts = hosted
                try await serve(node, federation: .hub(hub), alongside: services) {
                    for host in hosts { await host.stop() }
                }
            }
        }
    }
}

extension HubCommand.Serve {
    /// Starts an installation for each `--quick-win ID=PORT`, joined to this hub over loopback mutual TLS.
    func startQuickWin(hub: HubRuntime, configuration: NodeConfiguration, logger: Logger) async throws -> [QuickWinHost] {
        guard !quickWin.isEmpty else { return [] }
        let agreements = try ReadmissionRuntime.loadProfiles(profiles.map { URL(fileURLWithPath: $0) } ?? ReadmissionRuntime.defaultAgreementsDirectory())
        let endpoint = FederationEndpoint(host: federationHost == "0.0.0.0" ? "127.0.0.1" : federationHost, port: hub.listener.port)
        var hosts: [QuickWinHost] = []
        for item in quickWin {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let participant = ParticipantID(parts[0]), let port = Int(parts[1]) else {
                throw ValidationError("--quick-win takes ID=PORT, e.g. GEO-MIA=8082, not \(item)")
            }
            let name = hub.service.state.configuration.participant(participant)?.name ?? participant.rawValue
            let title = name.contains("quick-win") ? name : "\(name) · quick-win module"
            let hostConfiguration = QuickWinHost.configuration(hub: configuration, participant: participant, port: port, name: title)
            do {
                hosts.append(try await QuickWinHost.start(configuration: hostConfiguration, participant: participant, pki: pki.directory, hub: endpoint,
                                                          profiles: agreements, logger: logger))
            } catch {
                for host in hosts { await host.stop() }
                throw error
            }
            logger.notice("quick-win module", metadata: ["participant": "\(participant)", "console": "\(configuration.host):\(port)"])
        }
        return hosts
    }
}

/// Where the federation CA directory is.
struct PKIOption: ParsableArguments {
    @Option(name: .customLong("pki"), help: "The federation PKI directory (accord pki …).")
    var path = "Certificates/generated"

    var directory: PKIDirectory { PKIDirectory(URL(fileURLWithPath: path)) }
}

/// Runs the node's HTTP application (console, API, health, metrics) — and any `alongside`
/// services — until a signal, then stops the federation runtime and closes the database.
func serve(
    _ node: AccordNode, federation: FederationRole?, readmission: ReadmissionRuntime? = nil, alongside: [any Service] = [],
    beforeStop: @Sendable () async -> Void = {}
) async throws {
    func stop() async {
        await beforeStop()
        await readmission?.stop()
        await federation?.stop()
        await node.close()
    }
    do {
        let application = try await node.makeApplication(federation: federation, readmission: readmission?.desk)
        let group = ServiceGroup(configuration: .init(services: [application] + alongside, gracefulShutdownSignals: [.sigterm, .sigint], logger: node.logger))
        try await group.run()
    } catch {
        await stop()
        throw error
    }
    await stop()
}
