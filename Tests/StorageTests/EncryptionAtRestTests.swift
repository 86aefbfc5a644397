import AccordCore
import AccordTesting
import Casework
import Crypto
import Foundation
import Identity
import SQLKit
import Storage
import Testing

/// What a thief of the database (or a backup) finds: no seeded personal data in clear text; and
/// after crypto-shredding a person, nothing of that person — while the audit trail still verifies.
@Suite struct EncryptionAtRestTests {
    static let secrets = ["Karimi", "KARIMI", "کریمی", "Herat", "P01234567", "Interpreter booked for Dari", "passport-scan.pdf", "Zahra", "1987-03-14"]

    /// Every cell of every table, as text.
    static func dump(_ store: SQLStore) async throws -> String {
        let tables = ["persons", "person_search_keys", "person_keys", "cases", "case_parties", "case_history", "case_notes", "documents", "audit_entries", "audit_checkpoints"]
        var text = ""
        for table in tables {
            let rows = try await store.database.raw("SELECT * FROM \(ident: table)").all()
            for row in rows {
                for column in row.allColumns {
                    if let value = try? row.decode(column: column, as: String.self) { text += value + "\n" }
                }
            }
        }
        return text
    }

    @Test(arguments: TestDatabase.all)
    func theDatabaseHoldsNoPersonalDataInClearAndShreddingErases(_ database: TestDatabase) async throws {
        try await database.withService { service, _, store in
            let ahmad = try await service.registerPerson(Fixtures.person(), by: .system)
            let zahra = try await service.registerPerson(Fixtures.person(given: "Zahra", family: "Rahimi", passport: "P07654321"), by: .system)
            let record = try await service.openCase(Fixtures.caseInput(principal: ahmad), by: .system)
            _ = try await service.linkPerson(record.number, PartyInput(personID: zahra.id.rawValue, role: "family_member", relationship: "spouse"), by: .system)
            _ = try await service.addNote(record.number, NoteInput(text: "Interpreter booked for Dari"), by: .system)
            let document = try await service.attachDocument(record.number, metadata: DocumentMetadataInput(kind: "passport", fileName: "passport-scan.pdf", documentNumber: "P01234567"),
                                                            mediaType: "application/pdf", bytes: Fixtures.pdf, by: .system)
            let zahrasCase = try await service.openCase(Fixtures.caseInput(principal: zahra), by: .system)

            var dump = try await Self.dump(store)
            if case .sqlite(let path) = store.location {
                dump += String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
                dump += (try? String(decoding: Data(contentsOf: URL(fileURLWithPath: path + "-wal")), as: UTF8.self)) ?? ""
            }
            for secret in Self.secrets {
                #expect(!dump.contains(secret), "'\(secret)' is stored in clear text")
            }

            // Crypto-shredding Ahmad: his data, his case's notes, history and documents are gone.
            try await service.erasePerson(ahmad.id, by: .user(UserID("dpo")!))
            await #expect(throws: CaseworkError.personErased("")) { try await service.person(ahmad.id, by: .system) }
            await #expect(throws: CaseworkError.personErased("")) { try await service.erasePerson(ahmad.id, by: .system) }
            #expect(try await service.searchPersons(name: "karimi", documentNumber: nil, by: .system).isEmpty)
            #expect(try await service.searchPersons(name: nil, documentNumber: "P01234567", by: .system).isEmpty)
            #expect(try await service.notes(record.number, by: .system).map(\.text) == [CaseworkError.erasedPlaceholder])
            #expect(try await service.history(record.number, by: .system).allSatisfy { $0.summary == CaseworkError.erasedPlaceholder })
            #expect(try await service.document(document.id, by: .system).fileName == CaseworkError.erasedPlaceholder)
            await #expect(throws: CaseworkError.personErased("")) { try await service.documentContent(document.id, by: .system) }
            #expect(try await store.database.raw("SELECT * FROM person_keys WHERE person_id = \(bind: ahmad.id.rawValue)").all().isEmpty)
            // Zahra is untouched.
            #expect(try await service.person(zahra.id, by: .system).details.name.given == "Zahra")
            #expect(try await service.history(zahrasCase.number, by: .system).first?.summary.contains("opened") == true)
            // The audit trail still verifies and records the erasure.
            let log = SQLAuditLog(store: store)
            let key = P256.Signing.PrivateKey()
            _ = try await log.checkpoint(key: key)
            #expect(try await log.verify(key: key.publicKey).isIntact)
            #expect(try await log.entries().contains { $0.event.action == .erase && $0.event.resourceRef == ahmad.id.rawValue && $0.event.actor == "dpo" })
        }
    }

    @Test(arguments: TestDatabase.all)
    func rotationRewrapsEveryKeyWithoutTouchingData(_ database: TestDatabase) async throws {
        try await database.withStore { store, _ in
            let keys = MasterKeys.generate()
            let cipher = FieldCipher(keys: keys)
            try await cipher.checkKeys(in: store)
            let persons = SQLPersonRepository(store: store, cipher: cipher)
            var stored: [Person] = []
            for index in 0..<5 {
                let person = Person(id: .init(), version: 1, createdAt: Fixtures.referenceDate, updatedAt: Fixtures.referenceDate,
                                    details: try Fixtures.person(given: "Name\(["a", "b", "c", "d", "e"][index])").validated(today: .init(Fixtures.referenceDate)))
                try await persons.insert(person)
                stored.append(person)
            }
            let before = try await store.database.raw("SELECT details FROM persons ORDER BY id").all().map { try $0.decode(column: "details", as: String.self) }
            let rotated = keys.rotated()
            #expect(try await cipher.rotate(to: rotated, in: store) == 5)
            let versions = try await store.database.raw("SELECT DISTINCT key_version FROM person_keys").all().map { try $0.decode(column: "key_version", as: Int.self) }
            #expect(versions == [2])
            #expect(try await store.database.raw("SELECT details FROM persons ORDER BY id").all().map { try $0.decode(column: "details", as: String.self) } == before)
            // A reader holding both versions reads everything; one with only the old keys does not.
            let reader = SQLPersonRepository(store: store, cipher: FieldCipher(keys: rotated))
            for person in stored { #expect(try await reader.person(person.id) == person) }
            await #expect(throws: StorageError(code: "storage.master_key_missing", reason: "")) {
                try await SQLPersonRepository(store: store, cipher: FieldCipher(keys: keys)).person(stored[0].id)
            }
        }
    }
}
