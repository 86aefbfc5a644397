import AccordServer
import ArgumentParser
import Foundation
import Hummingbird

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
                let (node, application) = try await buildApplication(configuration: configuration)
                let database = try configuration.databaseLocation()
                node.logger.info("node starting", metadata: ["address": "\(configuration.host):\(configuration.port)", "database": "\(database)"])
                do {
                    try await application.runService()
                } catch {
                    await node.close()
                    throw error
                }
                await node.close()
            }
        }
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
