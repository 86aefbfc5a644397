@preconcurrency import AsyncKit
public import Logging
import NIOCore
import NIOPosix
import PostgresKit
public import SQLKit
import SQLiteKit
import SQLiteNIO
import Foundation

/// One relational database — SQLite (embedded default) or PostgreSQL (production) — behind
/// SQLKit, with transactions that either commit every row or none.
public final class SQLStore: Sendable {
    public enum Dialect: String, Sendable {
        case sqlite, postgres
    }

    public let dialect: Dialect
    public let location: DatabaseLocation
    /// A database that takes any pooled connection for each statement. Use `transaction` for
    /// anything that writes more than one row.
    public let database: any SQLDatabase
    private let shutdownPool: @Sendable () async throws -> Void

    private init(dialect: Dialect, location: DatabaseLocation, database: any SQLDatabase, shutdownPool: @escaping @Sendable () async throws -> Void) {
        self.dialect = dialect
        self.location = location
        self.database = database
        self.shutdownPool = shutdownPool
    }

    /// Creates `schema` if it does not exist yet, over a short-lived connection.
    private static func createSchema(_ schema: String, configuration: SQLPostgresConfiguration, logger: Logger) async throws {
        let pool = EventLoopGroupConnectionPool(
            source: PostgresConnectionSource(sqlConfiguration: configuration), maxConnectionsPerEventLoop: 1,
            requestTimeout: .seconds(10), logger: logger, on: MultiThreadedEventLoopGroup.singleton
        )
        do {
            try await pool.database(logger: logger).sql().raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
            try await pool.shutdownAsync()
        } catch {
            try? await pool.shutdownAsync()
            throw StorageError.unavailable("cannot create schema \(schema): \(String(reflecting: error))")
        }
    }

    /// Opens the database and checks that it answers.
    /// - Parameter searchPath: PostgreSQL only: the schemas to use (tests isolate themselves so).
    public static func open(
        _ location: DatabaseLocation, configuration: StoreConfiguration = StoreConfiguration(), searchPath: [String]? = nil,
        logger: Logger = Logger(label: "accord.storage")
    ) async throws -> SQLStore {
        let store: SQLStore
        switch location {
        case .sqlite(let path):
            let url = URL(fileURLWithPath: path)
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            } catch {
                throw StorageError.unavailable("cannot create directory for \(path): \(error.localizedDescription)")
            }
            // One connection: SQLite serialises writers anyway, and a single connection never
            // meets SQLITE_BUSY between its own transactions.
            let pool = EventLoopGroupConnectionPool(
                source: SQLiteFileSource(path: url.path, busyTimeoutMilliseconds: configuration.sqliteBusyTimeoutMilliseconds),
                maxConnectionsPerEventLoop: 1,
                requestTimeout: .seconds(Int64(configuration.sqliteQueueTimeoutSeconds)),
                pruneInterval: nil,
                logger: logger,
                on: SQLStore.sqliteLoop
            )
            let database = PooledSQLiteDatabase(pool: pool, logger: logger)
            store = SQLStore(dialect: .sqlite, location: location, database: database.sql(queryLogLevel: .trace), shutdownPool: { try await pool.shutdownAsync() })
        case .postgres(let url):
            var sqlConfiguration: SQLPostgresConfiguration
            do {
                sqlConfiguration = try SQLPostgresConfiguration(url: DatabaseLocation.withoutSchema(url))
            } catch {
                throw StorageError.invalidDatabaseURL(url, "\(error)")
            }
            let schema = DatabaseLocation.schema(inURL: url)
            if let schema {
                try await createSchema(schema, configuration: sqlConfiguration, logger: logger)
            }
            sqlConfiguration.searchPath = searchPath ?? schema.map { [$0] }
            let pool = EventLoopGroupConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: sqlConfiguration),
                maxConnectionsPerEventLoop: configuration.postgresConnectionsPerEventLoop,
                requestTimeout: .seconds(Int64(configuration.requestTimeoutSeconds)),
                pruneInterval: .seconds(60),
                logger: logger,
                on: MultiThreadedEventLoopGroup.singleton
            )
            store = SQLStore(dialect: .postgres, location: location, database: pool.database(logger: logger).sql(queryLogLevel: .trace), shutdownPool: { try await pool.shutdownAsync() })
        }
        do {
            try await store.database.raw("SELECT 1 AS ok").run()
        } catch {
            await store.shutdown()
            throw StorageError.unavailable("\(location): \(String(reflecting: error).prefix(300))")
        }
        return store
    }

    /// The event loop all SQLite connections live on.
    private static let sqliteLoop: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton.next()

    /// Runs `body` in one transaction on one connection: all its statements commit, or — when
    /// `body` throws — none do, and the error is rethrown.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let begin: SQLQueryString = dialect == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN"
        return try await database.withSession { session in
            try await session.raw(begin).run()
            do {
                let result = try await body(session)
                try await session.raw("COMMIT").run()
                return result
            } catch {
                try? await session.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    public func shutdown() async {
        try? await shutdownPool()
    }
}

/// Tuning of the database layer; every field has a default.
public struct StoreConfiguration: Sendable, Equatable {
    public var postgresConnectionsPerEventLoop: Int
    public var requestTimeoutSeconds: Int
    public var sqliteBusyTimeoutMilliseconds: Int
    /// How long a request may wait for SQLite's single connection. Requests queue there by
    /// design, so this is generous; a burst must not fail merely because it is a burst.
    public var sqliteQueueTimeoutSeconds: Int

    public init(postgresConnectionsPerEventLoop: Int = 4, requestTimeoutSeconds: Int = 10, sqliteBusyTimeoutMilliseconds: Int = 5_000,
                sqliteQueueTimeoutSeconds: Int = 120) {
        self.postgresConnectionsPerEventLoop = postgresConnectionsPerEventLoop
        self.requestTimeoutSeconds = requestTimeoutSeconds
        self.sqliteBusyTimeoutMilliseconds = sqliteBusyTimeoutMilliseconds
        self.sqliteQueueTimeoutSeconds = sqliteQueueTimeoutSeconds
    }
}

/// An `SQLiteDatabase` that leases a connection from the pool for each operation.
private struct PooledSQLiteDatabase: SQLiteDatabase {
    let pool: EventLoopGroupConnectionPool<SQLiteFileSource>
    let logger: Logger

    var eventLoop: any EventLoop { pool.eventLoopGroup.any() }

    func query(_ query: String, _ binds: [SQLiteData], logger: Logger, _ onRow: @escaping @Sendable (SQLiteRow) -> Void) -> EventLoopFuture<Void> {
        pool.withConnection(logger: logger) { $0.query(query, binds, logger: logger, onRow) }
    }

    func withConnection<T>(_ closure: @escaping @Sendable (SQLiteConnection) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        pool.withConnection(logger: logger, closure)
    }
}

/// Opens SQLite files in WAL mode with foreign keys on and a busy timeout, so other processes
/// (the CLI while a node runs) wait instead of failing.
private struct SQLiteFileSource: ConnectionPoolSource {
    let path: String
    let busyTimeoutMilliseconds: Int

    func makeConnection(logger: Logger, on eventLoop: any EventLoop) -> EventLoopFuture<SQLiteConnection> {
        let timeout = busyTimeoutMilliseconds
        return SQLiteConnection.open(storage: .file(path: path), threadPool: .singleton, logger: logger, on: eventLoop)
            .flatMap { connection in
                connection.query("PRAGMA busy_timeout = \(timeout)")
                    .flatMap { _ in connection.query("PRAGMA journal_mode = WAL") }
                    .flatMap { _ in connection.query("PRAGMA synchronous = FULL") }
                    .flatMap { _ in connection.query("PRAGMA foreign_keys = ON") }
                    .map { _ in connection }
            }
    }
}
