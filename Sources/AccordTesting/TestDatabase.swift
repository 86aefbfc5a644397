public import AccordCore
import AccordServer
public import Casework
import Foundation
import Logging
public import Storage
public import Testing

/// The databases a contract test runs against: SQLite always; PostgreSQL when
/// `ACCORD_TEST_POSTGRES_URL` is set. With `ACCORD_TEST_REQUIRE_POSTGRES=1` (as scripts/test.sh
/// sets) a missing URL fails the PostgreSQL runs instead of silently skipping them.
public enum TestDatabase: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case postgres

    public static var all: [TestDatabase] {
        let environment = ProcessInfo.processInfo.environment
        let wanted = environment["ACCORD_TEST_POSTGRES_URL"] != nil || environment["ACCORD_TEST_REQUIRE_POSTGRES"] == "1"
        return wanted ? [.sqlite, .postgres] : [.sqlite]
    }

    public var testDescription: String { rawValue }

    /// Runs `body` with a freshly migrated, empty database of this kind and a private data
    /// directory, and removes both afterwards.
    /// At most this many tests hold PostgreSQL test databases at once (each database up to 8 connections).
    static let postgresSlots = AsyncSemaphore(10)
    @TaskLocal static var holdsPostgresSlot = false

    public func withStore<T>(_ body: (SQLStore, URL) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("accord-test-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var logger = Logger(label: "accord.test")
        logger.logLevel = .warning
        switch self {
        case .sqlite:
            let store = try await SQLStore.open(.sqlite(path: directory.appendingPathComponent("accord.sqlite").path), logger: logger)
            do {
                try await Migrator(store: store).migrate(logger: logger)
                let result = try await body(store, directory)
                await store.shutdown()
                return result
            } catch {
                await store.shutdown()
                throw error
            }
        case .postgres:
            guard let url = ProcessInfo.processInfo.environment["ACCORD_TEST_POSTGRES_URL"] else {
                throw StorageError.unavailable("ACCORD_TEST_POSTGRES_URL is not set but PostgreSQL tests are required")
            }
            // Tests run in parallel; each store holds a few connections. Bounding how many stores
            // are open at once keeps the suite under the server's max_connections however many
            // PostgreSQL tests there are.
            // A test that opens several databases (a hub and its nodes) holds one slot for all of
            // them: nested and concurrent opens in the same task tree do not wait for another.
            if !Self.holdsPostgresSlot {
                await Self.postgresSlots.acquire()
                defer { Task { await Self.postgresSlots.release() } }
                return try await Self.$holdsPostgresSlot.withValue(true) { try await withStore(body) }
            }
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            // Few connections per test (many tests run at once against one server), and a patient
            // wait for one: on a loaded 2-core machine a burst of writers queues for seconds.
            let small = StoreConfiguration(postgresConnectionsPerEventLoop: 2, requestTimeoutSeconds: 60)
            let admin = try await SQLStore.open(.postgres(url: url), configuration: small, logger: logger)
            let store: SQLStore
            do {
                try await admin.database.raw("CREATE SCHEMA \(ident: schema)").run()
                store = try await SQLStore.open(.postgres(url: url), configuration: small, searchPath: [schema], logger: logger)
            } catch {
                await admin.shutdown()
                throw error
            }
            func cleanUp() async {
                await store.shutdown()
                try? await admin.database.raw("DROP SCHEMA \(ident: schema) CASCADE").run()
                await admin.shutdown()
            }
            do {
                try await Migrator(store: store).migrate(logger: logger)
                let result = try await body(store, directory)
                await cleanUp()
                return result
            } catch {
                await cleanUp()
                throw error
            }
        }
    }

    /// A cipher with fresh master keys, registered with the database.
    public static func cipher(for store: SQLStore) async throws -> FieldCipher {
        let cipher = FieldCipher(keys: .generate())
        try await cipher.checkKeys(in: store)
        return cipher
    }

    /// A case service over `store` with `engine` (the shipped workflows when nil).
    public static func service(store: SQLStore, cipher: FieldCipher, directory: URL, clock: any WallClock, engine: WorkflowEngine? = nil) throws -> CaseworkService {
        try AccordNode.makeService(store: store, cipher: cipher, configuration: NodeConfiguration(dataDirectory: directory.path), clock: clock, engine: engine)
    }

    /// Runs `body` with a case service over a fresh database, a manual clock at `start` and
    /// deterministic identifiers.
    public func withService<T>(
        start: Date = Fixtures.referenceDate, policy: DocumentPolicy = DocumentPolicy(), engine: WorkflowEngine? = nil,
        _ body: (CaseworkService, ManualWallClock, SQLStore) async throws -> T
    ) async throws -> T {
        try await withStore { store, directory in
            let clock = ManualWallClock(start)
            let cipher = try await Self.cipher(for: store)
            let configuration = NodeConfiguration(dataDirectory: directory.path, documents: policy)
            let service = try AccordNode.makeService(store: store, cipher: cipher, configuration: configuration, clock: clock, engine: engine)
            try await Fixtures.createOfficers(in: SQLUserRepository(store: store, cipher: cipher))
            return try await body(service, clock, store)
        }
    }
}

/// What the database said when it refused `body` (the full error, including PostgreSQL's
/// server message, which `description` hides), or nil when nothing was thrown. Tests match on
/// the trigger's or constraint's words, so a refusal for another reason does not pass.
public func databaseRefusal(_ body: () async throws -> Void) async -> String? {
    do {
        try await body()
        return nil
    } catch {
        return String(reflecting: error)
    }
}

/// The stable code of the error `body` throws (its type's name when it is no AccordError), or
/// nil when nothing was thrown: `#expect(await errorCode { … } == "federation.crl_stale")`.
public func errorCode(_ body: () async throws -> Void) async -> String? {
    do {
        try await body()
        return nil
    } catch let error as any AccordError {
        return error.code
    } catch {
        return "\(type(of: error)): \(error)"
    }
}
