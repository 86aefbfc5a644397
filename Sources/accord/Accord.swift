import AccordCore
import ArgumentParser
import Foundation

@main
struct Accord: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accord",
        abstract: "Accord — open interagency readmission and immigration case exchange.",
        discussion: """
            A node is a national authority's own installation: case management over an embedded \
            SQLite database (the default) or PostgreSQL. Start with `accord demo`.
            """,
        subcommands: [Demo.self, NodeCommand.self, HubCommand.self, LogCommand.self, Migrate.self, UsersCommand.self, AuditCommand.self, KeysCommand.self, MessageCommand.self, BenchCommand.self, PKICommand.self, ProfilesCommand.self, DecisionCommand.self, SimulateCommand.self]
    )
}

/// Options every command that opens a node's database takes.
struct NodeOptions: ParsableArguments {
    @Option(help: "Database URL: sqlite:PATH or postgres://user:password@host:port/database. Default: SQLite in the data directory. Env: ACCORD_DATABASE_URL.")
    var databaseURL: String?

    @Option(help: "Directory for the SQLite file and document blobs. Default: ./data. Env: ACCORD_DATA_DIR.")
    var dataDir: String?

    @Option(help: "A JSON or YAML configuration file (keys: http.host, http.port, database.url, data.dir, node.name, documents.max-bytes, documents.media-types, log.level). Env: ACCORD_CONFIG.")
    var config: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical. Env: ACCORD_LOG_LEVEL.")
    var logLevel: String?

    var flags: [String: String] {
        var flags: [String: String] = [:]
        flags["database.url"] = databaseURL
        flags["data.dir"] = dataDir
        flags["log.level"] = logLevel
        return flags
    }
}

/// Runs `body`, printing an Accord error as `error: code: reason` and exiting non-zero.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as any AccordError {
        FileHandle.standardError.write(Data("error: \(error.code): \(error.reason)\n".utf8))
        throw ExitCode(error.category == .invalidInput ? 2 : 1)
    }
}
