import AccordCore
import AccordTesting
import Crypto
import Foundation
import Identity
import Ledger
import SQLKit
import Storage
import Testing

/// The audit trail on both databases: intact logs verify, proofs check offline, and editing,
/// deleting, inserting or reordering any single row — or altering a checkpoint — is detected.
@Suite struct AuditLogContractTests {
    static let key = P256.Signing.PrivateKey()

    static func events(_ count: Int) -> [AuditEvent] {
        (1...count).map { index in
            AuditEvent(actor: "k.novak", role: "case_officer", action: index.isMultiple(of: 3) ? .update : .read, resourceType: "person",
                       resourceRef: UUID().uuidString.lowercased(), origin: "10.0.0.\(index)", purpose: index == 2 ? "identity check" : nil)
        }
    }

    /// Attacker with database rights: the append-only triggers are removed first.
    static func dropGuards(_ store: SQLStore) async throws {
        for table in ["audit_entries", "audit_checkpoints"] {
            switch store.dialect {
            case .sqlite:
                try await store.database.raw("DROP TRIGGER \(ident: table + "_no_update")").run()
                try await store.database.raw("DROP TRIGGER \(ident: table + "_no_delete")").run()
            case .postgres:
                try await store.database.raw("DROP TRIGGER \(ident: table + "_append_only") ON \(ident: table)").run()
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func anIntactLogVerifiesAndEveryEntryHasAProof(_ database: TestDatabase) async throws {
        try await database.withStore { store, _ in
            let clock = ManualWallClock(Fixtures.referenceDate)
            let log = SQLAuditLog(store: store, clock: clock)
            try await log.record(Self.events(5))
            let first = try #require(try await log.checkpoint(key: Self.key))
            clock.advance(by: 60)
            try await log.record(Self.events(8))
            let second = try #require(try await log.checkpoint(key: Self.key))
            #expect(first.size == 5 && second.size == 13)
            #expect(try await log.checkpoint(key: Self.key) == second)
            let result = try await log.verify(key: Self.key.publicKey)
            #expect(result.isIntact && result.entries == 13 && result.checkpoints == 2)
            let entries = try await log.entries()
            #expect(entries.map(\.sequence) == Array(1...13))
            #expect(entries[1].event.purpose == "identity check")
            for entry in entries {
                let proof = try await log.inclusionProof(sequence: entry.sequence, checkpointSize: 13)
                #expect(MerkleTree.verifyInclusion(leaf: MerkleTree.leafHash(entry.canonicalBytes), index: entry.sequence - 1, size: 13, proof: proof, root: second.root))
            }
            // The database itself refuses changes while the guards are in place.
            #expect(await databaseRefusal { try await store.database.raw("UPDATE audit_entries SET actor = 'x'").run() }?.contains("audit_entries is append-only") == true)
            #expect(await databaseRefusal { try await store.database.raw("DELETE FROM audit_checkpoints").run() }?.contains("audit_checkpoints is append-only") == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func concurrentWritersGetAGapFreeChain(_ database: TestDatabase) async throws {
        try await database.withStore { store, _ in
            let log = SQLAuditLog(store: store)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<12 { group.addTask { try await log.record(Self.events(3)) } }
                try await group.waitForAll()
            }
            _ = try await log.checkpoint(key: Self.key)
            let result = try await log.verify(key: Self.key.publicKey)
            #expect(result.isIntact && result.entries == 36)
        }
    }

    enum Tamper: String, CaseIterable, CustomTestStringConvertible {
        case edit, delete, reorder, insert, forgeCheckpoint
        var testDescription: String { rawValue }
    }

    @Test(arguments: TestDatabase.all, Tamper.allCases)
    func everySingleRowChangeIsDetected(_ database: TestDatabase, _ tamper: Tamper) async throws {
        let size = 7
        for target in 1...size {
            try await database.withStore { store, _ in
                let log = SQLAuditLog(store: store, clock: ManualWallClock(Fixtures.referenceDate))
                try await log.record(Self.events(size))
                _ = try await log.checkpoint(key: Self.key)
                try await Self.dropGuards(store)
                let db = store.database
                switch tamper {
                case .edit:
                    try await db.raw("UPDATE audit_entries SET purpose = 'curiosity' WHERE sequence = \(bind: target)").run()
                case .delete:
                    try await db.raw("DELETE FROM audit_entries WHERE sequence = \(bind: target)").run()
                case .reorder:
                    let other = target == size ? 1 : target + 1
                    let a = try #require(try await db.raw("SELECT resource_ref FROM audit_entries WHERE sequence = \(bind: target)").first()).decode(column: "resource_ref", as: String.self)
                    let b = try #require(try await db.raw("SELECT resource_ref FROM audit_entries WHERE sequence = \(bind: other)").first()).decode(column: "resource_ref", as: String.self)
                    try await db.raw("UPDATE audit_entries SET resource_ref = \(bind: b) WHERE sequence = \(bind: target)").run()
                    try await db.raw("UPDATE audit_entries SET resource_ref = \(bind: a) WHERE sequence = \(bind: other)").run()
                case .insert:
                    try await db.raw("UPDATE audit_entries SET sequence = sequence + 1000 WHERE sequence >= \(bind: target)").run()
                    try await db.raw("UPDATE audit_entries SET sequence = sequence - 999 WHERE sequence >= 1000").run()
                    try await db.raw("""
                        INSERT INTO audit_entries (sequence, at, actor, action, resource_type, resource_ref, outcome, chain_hash)
                        VALUES (\(bind: target), 0, 'intruder', 'read', 'person', 'x', 'allowed', '00')
                        """).run()
                case .forgeCheckpoint:
                    try await db.raw("UPDATE audit_checkpoints SET root = \(bind: String(repeating: "ab", count: 32))").run()
                }
                let result = try await log.verify(key: Self.key.publicKey)
                #expect(!result.isIntact, "\(tamper) of row \(target) went unnoticed")
            }
            if tamper == .forgeCheckpoint { break }
        }
    }
}
