public import AccordCore
import Crypto
import Foundation
public import Identity
public import Ledger
import SQLKit

/// The audit trail in SQL: every entry carries `chain_hash = SHA-256(previous chain_hash ‖ entry)`
/// and is a leaf of an RFC 6962 Merkle tree whose roots are checkpointed and signed with the
/// node's log key. Both tables are append-only in the database itself.
public struct SQLAuditLog: AuditTrail {
    let store: SQLStore
    let clock: any WallClock
    public let origin: String

    public init(store: SQLStore, clock: any WallClock = SystemWallClock(), origin: String = "accord-node/audit") {
        self.store = store
        self.clock = clock
        self.origin = origin
    }

    public func record(_ events: [AuditEvent]) async throws {
        guard !events.isEmpty else { return }
        let at = clock.now.truncatedToMilliseconds
        let dialect = store.dialect
        try await store.transaction { db in
            if dialect == .postgres { try await db.raw("SELECT pg_advisory_xact_lock(7306239)").run() }
            let last = try await db.raw("SELECT sequence, chain_hash FROM audit_entries ORDER BY sequence DESC LIMIT 1").first()
            var sequence = try last?.integer("sequence") ?? 0
            var chain = try last.map { try Self.bytes(hex: $0.text("chain_hash")) } ?? Self.genesis
            for event in events {
                sequence += 1
                let entry = AuditEntry(sequence: sequence, at: at, event: event)
                chain = Self.chain(chain, entry)
                try await db.raw("""
                    INSERT INTO audit_entries (sequence, at, actor, role, action, resource_type, resource_ref, origin, purpose, outcome, chain_hash)
                    VALUES (\(bind: sequence), \(bind: at.millisecondsSince1970), \(bind: event.actor), \(bind: event.role), \(bind: event.action.rawValue),
                            \(bind: event.resourceType), \(bind: event.resourceRef), \(bind: event.origin), \(bind: event.purpose),
                            \(bind: event.outcome.rawValue), \(bind: Self.hex(chain)))
                    """).run()
            }
        }
    }

    /// Signs a checkpoint over all entries so far (nothing when there is nothing new).
    @discardableResult
    public func checkpoint(key: P256.Signing.PrivateKey) async throws -> Checkpoint? {
        let entries = try await entries()
        let latest = try await checkpoints().last
        guard !entries.isEmpty, entries.count != latest?.size else { return latest }
        let root = MerkleTree.root(entries.map { MerkleTree.leafHash($0.canonicalBytes) })
        let checkpoint = try Checkpoint.sign(origin: origin, size: entries.count, root: root, time: clock.now.truncatedToMilliseconds, key: key)
        try await store.database.raw("""
            INSERT INTO audit_checkpoints (size, origin, root, at, signature)
            VALUES (\(bind: checkpoint.size), \(bind: checkpoint.origin), \(bind: Self.hex(checkpoint.root)), \(bind: checkpoint.time.millisecondsSince1970),
                    \(bind: Data(checkpoint.signature).base64EncodedString()))
            """).run()
        return checkpoint
    }

    public func entries(from first: Int = 1, limit: Int = Int(Int32.max)) async throws -> [AuditEntry] {
        try await rows(from: first, limit: limit).map(\.entry)
    }

    public func checkpoints() async throws -> [Checkpoint] {
        try await store.database.raw("SELECT * FROM audit_checkpoints ORDER BY size").all().map { row in
            Checkpoint(
                origin: try row.text("origin"), size: try row.integer("size"), root: try Self.bytes(hex: row.text("root")),
                time: try row.date("at"), signature: Array(Data(base64Encoded: try row.text("signature")) ?? Data())
            )
        }
    }

    /// An inclusion proof of entry `sequence` in the checkpoint of `size` entries, checkable
    /// offline with `MerkleTree.verifyInclusion` and the checkpoint's signature.
    public func inclusionProof(sequence: Int, checkpointSize: Int) async throws -> [MerkleTree.Hash] {
        let leaves = try await entries(limit: checkpointSize).map { MerkleTree.leafHash($0.canonicalBytes) }
        guard sequence >= 1, sequence <= leaves.count, leaves.count == checkpointSize else {
            throw StorageError(code: "audit.no_such_entry", reason: "entry \(sequence) is not in a checkpoint of \(checkpointSize) entries", category: .notFound)
        }
        return MerkleTree.inclusionProof(index: sequence - 1, leaves: leaves[...])
    }

    /// Re-derives every hash from the stored fields and checks every checkpoint. Any edited,
    /// deleted, inserted or reordered entry, and any altered checkpoint, is reported.
    public func verify(key: P256.Signing.PublicKey) async throws -> AuditVerification {
        let rows = try await rows(from: 1, limit: Int(Int32.max))
        var problems: [Diagnostic] = []
        var chain = Self.genesis
        for (index, row) in rows.enumerated() {
            if row.entry.sequence != index + 1 {
                problems.append(Diagnostic(code: "audit.entry_missing", message: "expected entry \(index + 1), found \(row.entry.sequence)", path: "entry \(index + 1)"))
                break
            }
            chain = Self.chain(chain, row.entry)
            if chain != row.chainHash {
                problems.append(Diagnostic(code: "audit.chain_broken", message: "entry \(row.entry.sequence) does not match its hash chain (edited, reordered or inserted)", path: "entry \(row.entry.sequence)"))
                break
            }
        }
        let leaves = rows.map { MerkleTree.leafHash($0.entry.canonicalBytes) }
        let checkpoints = try await checkpoints()
        for checkpoint in checkpoints {
            if !checkpoint.verify(with: key) {
                problems.append(Diagnostic(code: "audit.checkpoint_signature_invalid", message: "the checkpoint at size \(checkpoint.size) is not signed by the log key", path: "checkpoint \(checkpoint.size)"))
            } else if checkpoint.size > leaves.count {
                problems.append(Diagnostic(code: "audit.entry_missing", message: "the checkpoint at size \(checkpoint.size) covers entries that are gone (\(leaves.count) left)", path: "checkpoint \(checkpoint.size)"))
            } else if MerkleTree.root(leaves.prefix(checkpoint.size)) != checkpoint.root {
                problems.append(Diagnostic(code: "audit.checkpoint_mismatch", message: "the entries no longer match the checkpoint at size \(checkpoint.size)", path: "checkpoint \(checkpoint.size)"))
            }
        }
        return AuditVerification(entries: rows.count, checkpoints: checkpoints.count, coveredByCheckpoint: checkpoints.last?.size ?? 0, problems: problems)
    }

    private struct Row {
        let entry: AuditEntry
        let chainHash: [UInt8]
    }

    private func rows(from first: Int, limit: Int) async throws -> [Row] {
        try await store.database.raw("SELECT * FROM audit_entries WHERE sequence >= \(bind: first) ORDER BY sequence LIMIT \(bind: limit)").all().map { row in
            let event = AuditEvent(
                actor: try row.text("actor"), role: try row.optionalText("role"),
                action: try row.parsed("action", AuditEvent.Action.init(rawValue:)),
                resourceType: try row.text("resource_type"), resourceRef: try row.text("resource_ref"),
                origin: try row.optionalText("origin"), purpose: try row.optionalText("purpose"),
                outcome: try row.parsed("outcome", AuditEvent.Outcome.init(rawValue:))
            )
            return Row(entry: AuditEntry(sequence: try row.integer("sequence"), at: try row.date("at"), event: event),
                       chainHash: try Self.bytes(hex: row.text("chain_hash")))
        }
    }

    static let genesis = [UInt8](repeating: 0, count: 32)

    static func chain(_ previous: [UInt8], _ entry: AuditEntry) -> [UInt8] {
        Array(SHA256.hash(data: previous + entry.canonicalBytes))
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    static func bytes(hex: String) throws -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex), let byte = UInt8(hex[index..<next], radix: 16) {
            result.append(byte)
            index = next
        }
        guard result.count * 2 == hex.count else { throw StorageError.corruptRecord("hash '\(hex.prefix(16))'") }
        return result
    }
}

/// What `verify` found.
public struct AuditVerification: Sendable, Equatable {
    public let entries: Int
    public let checkpoints: Int
    public let coveredByCheckpoint: Int
    public let problems: [Diagnostic]

    public var isIntact: Bool { problems.isEmpty }
}
