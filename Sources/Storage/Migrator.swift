public import AccordCore
import Foundation
public import Logging
import SQLKit

/// Brings a database to the current schema. Safe to run from several processes at once: the
/// migrations run in one transaction under a lock, and each is recorded once.
public struct Migrator: Sendable {
    public let store: SQLStore
    let migrations: [Migration]

    public init(store: SQLStore) {
        self.store = store
        self.migrations = Migrations.all
    }

    /// Applies what is missing and returns the IDs applied now (empty when up to date).
    @discardableResult
    public func migrate(logger: Logger = Logger(label: "accord.migrate")) async throws -> [String] {
        let dialect = store.dialect
        let migrations = self.migrations
        let known = Set(migrations.map(\.id))
        return try await store.transaction { db in
            if dialect == .postgres {
                try await db.raw("SELECT pg_advisory_xact_lock(7306238)").run()
            }
            try await db.raw("""
                CREATE TABLE IF NOT EXISTS accord_schema_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)
                """).run()
            let applied = try await db.raw("SELECT id FROM accord_schema_migrations").all()
                .map { try $0.decode(column: "id", as: String.self) }
            let unknown = applied.filter { !known.contains($0) }
            guard unknown.isEmpty else { throw StorageError.schemaTooNew(unknown.sorted()) }
            var done: [String] = []
            for migration in migrations where !applied.contains(migration.id) {
                do {
                    for statement in migration.statements(dialect) {
                        try await db.raw(SQLQueryString(statement)).run()
                    }
                    try await db.raw("INSERT INTO accord_schema_migrations (id, applied_at) VALUES (\(bind: migration.id), \(bind: Date().millisecondsSince1970))").run()
                } catch let error as StorageError {
                    throw error
                } catch {
                    throw StorageError.migrationFailed(migration.id, String(reflecting: error))
                }
                logger.info("applied migration", metadata: ["migration": "\(migration.id)"])
                done.append(migration.id)
            }
            return done
        }
    }

    /// Applied migrations, in order of application.
    public func applied() async throws -> [String] {
        try await store.database.raw("SELECT id FROM accord_schema_migrations ORDER BY id").all()
            .map { try $0.decode(column: "id", as: String.self) }
    }
}
