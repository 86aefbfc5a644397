import AccordServer
import ArgumentParser
import Foundation
import Exchange
import Gateway
import Hummingbird
import Logging
import Readmission
import Storage

struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Run a national node.",
        subcommands: [Serve.self]
    )

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the node's API and console over HTTP.",
            discussion: "Settings come from flags, then ACCORD_* environment variables, then --config, then defaults. The database schema is migrated on start."
        )

        @OptionGroup var options: NodeOptions
        @OptionGroup var federation: NodeFederationOptions

        @Option(help: "Address to listen on. Default: 127.0.0.1. Env: ACCORD_HTTP_HOST.")
        var host: String?

        @Option(help: "Port to listen on. Default: 8080. Env: ACCORD_HTTP_PORT.")
        var port: Int?

        func run() async throws {
            try await reportingErrors {
                var flags = options.flags
                flags["http.host"] = host
                flags["http.port"] = port.map(String.init)
                let configuration = try await NodeConfiguration.load(flags: flags, configFile: options.config)
                let node = try await AccordNode.open(configuration)
                let database = try configuration.databaseLocation()
                var role: FederationRole?
                do {
                    role = try await federation.start(store: node.store, logger: node.logger)
                } catch {
                    await node.close()
                    throw error
                }
                node.logger.info("node starting", metadata: [
                    "address": "\(configuration.host):\(configuration.port)", "database": "\(database)",
                    "federation": "\(federation.summary)",
                ])
                var readmission: ReadmissionRuntime?
                if case .node(let exchange) = role {
                    do {
                        readmission = try federation.startReadmission(exchange: exchange, node: node, logger: node.logger)
                    } catch {
                        await role?.stop()
                        await node.close()
                        throw error
                    }
                }
                try await serve(node, federation: role, readmission: readmission)
            }
        }
    }
}

/// How a node joins the federation (all optional: without --hub the node runs on its own).
struct NodeFederationOptions: ParsableArguments {
    @Option(help: "The hub's federation endpoint host:port; enables the exchange.")
    var hub: String?

    @OptionGroup var pki: PKIOption

    @Option(help: "This node's participant ID, e.g. MAR-INTERIOR (its certificates in --pki).")
    var participant: String?

    @Option(help: "host:port to accept pushed deliveries on; without it the node pulls from the hub.")
    var federationListen: String?

    @Option(help: "Seconds between re-reads of the CRL file.")
    var crlRefresh = 60

    @Option(help: "Agreement profiles for the readmission desk. Default: $ACCORD_PROFILES/agreements, else the profiles shipped with Accord.")
    var profiles: String?

    /// The readmission desk over the node's exchange; refuses to start on invalid agreement
    /// profiles. Without --profiles and without a Profiles/agreements directory there is no desk
    /// (the node still exchanges messages).
    func startReadmission(exchange: NodeExchangeRuntime, node: AccordNode, logger: Logger) throws -> ReadmissionRuntime? {
        let directory = profiles.map { URL(fileURLWithPath: $0) } ?? ReadmissionRuntime.defaultAgreementsDirectory()
        if profiles == nil, !FileManager.default.fileExists(atPath: directory.path) {
            logger.notice("no agreement profiles at \(directory.path): the readmission desk is off (pass --profiles)")
            return nil
        }
        let agreements = try ReadmissionRuntime.loadProfiles(directory)
        return ReadmissionRuntime.start(exchange: exchange, node: node, profiles: agreements, logger: logger)
    }

    var summary: String {
        guard let hub else { return "off" }
        return "\(participant ?? "?") via \(hub), \(federationListen.map { "push on \($0)" } ?? "pull")"
    }

    func start(store: SQLStore, logger: Logger) async throws -> FederationRole? {
        guard let hub else { return nil }
        guard let endpoint = FederationEndpoint(parsing: hub) else { throw ValidationError("--hub must be host:port") }
        guard let id = participant.flatMap(ParticipantID.init) else { throw ValidationError("--participant (e.g. MAR-INTERIOR) is required with --hub") }
        var listen: (host: String, port: Int)?
        if let federationListen {
            guard let parsed = FederationEndpoint(parsing: federationListen) else { throw ValidationError("--federation-listen must be host:port") }
            listen = (parsed.host, parsed.port)
        }
        let materials = try FederationMaterials.load(pki: pki.directory, participant: id, tlsRole: .node)
        return .node(try await NodeExchangeRuntime.start(
            store: store, materials: materials, hub: endpoint, listen: listen, crlFile: pki.directory.crlURL, crlRefresh: .seconds(crlRefresh), logger: logger
        ))
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bring the database schema up to date and exit.",
        discussion: "Safe to run while a node is serving and from several processes at once."
    )

    @OptionGroup var options: NodeOptions

    func run() async throws {
        try await reportingErrors {
            let configuration = try await NodeConfiguration.load(flags: options.flags, configFile: options.config)
            let node = try await AccordNode.open(configuration)
            let applied = try await node.store.database.raw("SELECT id FROM accord_schema_migrations ORDER BY id").all().count
            print("database \(try configuration.databaseLocation()) is at the current schema (\(applied) migrations)")
            await node.close()
        }
    }
}
