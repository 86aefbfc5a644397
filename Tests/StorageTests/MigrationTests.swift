import AccordTesting
import Casework
import Foundation
import SQLKit
import Storage
import Testing

@Suite struct MigrationTests {
    @Test(arguments: TestDatabase.all)
    func migratingTwiceIsANoOpAndUnknownMigrationsAreRefused(_ database: TestDatabase) async throws {
        try await database.withStore { store, _ in
            #expect(try await Migrator(store: store).migrate() == [])
            #expect(try await Migrator(store: store).applied() == ["0001_case_core", "0002_append_only_history", "0003_audit_log", "0004_field_encryption", "0005_users", "0006_api_tokens", "0007_sessions", "0008_exchange", "0009_exchange_checkpoints", "0010_readmission", "0011_workflows", "0012_readmission_case_file", "0013_triage", "0014_appointments", "0015_person_checks", "0016_agency_requests"])
            try await store.database.raw("INSERT INTO accord_schema_migrations (id, applied_at) VALUES ('9999_from_the_future', 0)").run()
            await #expect(throws: StorageError.schemaTooNew([])) { try await Migrator(store: store).migrate() }
        }
    }

    @Test func databaseURLsAreParsed() throws {
        #expect(try DatabaseLocation(url: "sqlite:data/a.sqlite") == .sqlite(path: "data/a.sqlite"))
        #expect(try DatabaseLocation(url: "sqlite:///var/lib/accord.db") == .sqlite(path: "/var/lib/accord.db"))
        #expect(try DatabaseLocation(url: "./x.sqlite") == .sqlite(path: "./x.sqlite"))
        #expect(try DatabaseLocation(url: "postgres://u:secret@db:5432/accord").isPostgres)
        #expect(DatabaseLocation.postgres(url: "postgres://u:secret@db:5432/accord").description == "postgres://u:***@db:5432/accord")
        #expect(try DatabaseLocation(url: "postgres://u:p@db/accord?sslmode=disable&schema=hub_1").isPostgres)
        for bad in ["mysql://x/y", "postgres://", "postgres://host", "sqlite:", "", "accord", "postgres://u:p@db/a?schema=Hub", "postgres://u:p@db/a?schema=x;drop"] {
            #expect(throws: StorageError.invalidDatabaseURL("", "")) { try DatabaseLocation(url: bad) }
        }
    }

    @Test func anUnreachableDatabaseIsReportedNotHung() async throws {
        await #expect(throws: StorageError.unavailable("")) {
            try await SQLStore.open(.postgres(url: "postgres://nobody:x@127.0.0.1:1/none?sslmode=disable"))
        }
    }

    /// Data written by one process is there after a restart (SQLite file, WAL mode) — with the
    /// same master keys, and refused with other keys.
    @Test func sqliteDataSurvivesReopeningOnlyWithItsKeys() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reopen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let location = DatabaseLocation.sqlite(path: directory.appendingPathComponent("a.sqlite").path)
        let keys = MasterKeys.generate()
        let first = try await SQLStore.open(location)
        try await Migrator(store: first).migrate()
        let cipher = FieldCipher(keys: keys)
        try await cipher.checkKeys(in: first)
        let person = Person(id: .init(), version: 1, createdAt: Fixtures.referenceDate, updatedAt: Fixtures.referenceDate,
                            details: try Fixtures.person().validated(today: .init(Fixtures.referenceDate)))
        try await SQLPersonRepository(store: first, cipher: cipher).insert(person)
        await first.shutdown()
        let second = try await SQLStore.open(location)
        #expect(try await Migrator(store: second).migrate() == [])
        await #expect(throws: StorageError(code: "storage.master_key_mismatch", reason: "")) { try await FieldCipher(keys: .generate()).checkKeys(in: second) }
        let again = FieldCipher(keys: keys)
        try await again.checkKeys(in: second)
        #expect(try await SQLPersonRepository(store: second, cipher: again).person(person.id) == person)
        await second.shutdown()
    }
}
