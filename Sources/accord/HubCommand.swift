import AccordServer
import ArgumentParser
import Exchange
import Federation
import Foundation
import Gateway
import Logging

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
                try await serve(node, federation: .hub(hub))
            }
        }
    }
}

/// Where the federation CA directory is.
struct PKIOption: ParsableArguments {
    @Option(name: .customLong("pki"), help: "The federation PKI directory (accord pki …).")
    var path = "Certificates/generated"

    var directory: PKIDirectory { PKIDirectory(URL(fileURLWithPath: path)) }
}

/// Runs the node's HTTP application (console, API, health, metrics) until a signal, then stops
/// the federation runtime and closes the database.
func serve(_ node: AccordNode, federation: FederationRole?) async throws {
    do {
        let application = try await node.makeApplication(federation: federation)
        try await application.runService()
    } catch {
        await federation?.stop()
        await node.close()
        throw error
    }
    await federation?.stop()
    await node.close()
}
