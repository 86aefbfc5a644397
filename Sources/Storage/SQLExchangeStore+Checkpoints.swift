public import AccordCore
public import Crypto
public import Federation
public import Foundation
public import Ledger
import SQLKit

/// Signed checkpoints of the message log and inclusion proofs from them.
extension SQLExchangeStore {
    /// Signs a checkpoint over the whole log if it grew since the last one; returns the latest.
    @discardableResult
    public func checkpoint(origin: String, key: P256.Signing.PrivateKey, at time: Date) async throws -> Checkpoint? {
        let entries = try await logEntries()
        let latest = try await checkpoints().last
        guard !entries.isEmpty, entries.count != latest?.size else { return latest }
        let checkpoint = try Checkpoint.sign(origin: origin, size: entries.count, root: MerkleTree.root(entries.map(\.leafHash)), time: time.truncatedToMilliseconds, key: key)
        try await store.database.raw("""
            INSERT INTO exchange_checkpoints (size, origin, root, at, signature)
            VALUES (\(bind: checkpoint.size), \(bind: checkpoint.origin), \(bind: SQLAuditLog.hex(checkpoint.root)), \(bind: checkpoint.time.millisecondsSince1970),
                    \(bind: Data(checkpoint.signature).base64EncodedString()))
            ON CONFLICT (size) DO NOTHING
            """).run()
        return checkpoint
    }

    public func checkpoints() async throws -> [Checkpoint] {
        try await store.database.raw("SELECT * FROM exchange_checkpoints ORDER BY size").all().map { row in
            Checkpoint(
                origin: try row.text("origin"), size: try row.integer("size"), root: try SQLAuditLog.bytes(hex: row.text("root")),
                time: try row.date("at"), signature: Array(Data(base64Encoded: try row.text("signature")) ?? Data())
            )
        }
    }

    /// Proofs, against the latest checkpoint, of every log entry about message `key` that the
    /// checkpoint covers (the hub logs acceptance and delivery; a node its receipt).
    public func inclusionProofs(for key: MessageKey) async throws -> [LogInclusionProof] {
        guard let checkpoint = try await checkpoints().last else {
            throw StorageError(code: "exchange.no_checkpoint", reason: "the message log has no signed checkpoint yet", category: .notFound)
        }
        let entries = Array(try await logEntries().prefix(checkpoint.size))
        let leaves = entries.map(\.leafHash)
        let proofs = entries.enumerated().filter { $0.element.key == key }.map { index, entry in
            LogInclusionProof(entry: entry.canonicalBytes, index: index, path: MerkleTree.inclusionProof(index: index, leaves: leaves[...]), checkpoint: checkpoint)
        }
        guard !proofs.isEmpty else {
            throw StorageError(code: "exchange.not_in_checkpoint", reason: "no entry about \(key) in the checkpoint of \(checkpoint.size) entries", category: .notFound)
        }
        return proofs
    }

    /// The hash chain (`verifyLog`) and every checkpoint: signed by `key`, and its root equal to
    /// the root of the first `size` entries.
    public func verifyLogAndCheckpoints(key: P256.Signing.PublicKey) async throws -> (entries: Int, checkpoints: Int, problems: [Diagnostic]) {
        let chain = try await verifyLog()
        var problems = chain.problems
        let leaves = try await logEntries().map(\.leafHash)
        let checkpoints = try await checkpoints()
        for checkpoint in checkpoints {
            if !checkpoint.verify(with: key) {
                problems.append(Diagnostic(code: "exchange.checkpoint_signature", message: "checkpoint \(checkpoint.size) is not signed by this key", path: "checkpoint \(checkpoint.size)"))
            }
            if checkpoint.size > leaves.count || MerkleTree.root(leaves.prefix(checkpoint.size)) != checkpoint.root {
                problems.append(Diagnostic(code: "exchange.checkpoint_mismatch", message: "checkpoint \(checkpoint.size) does not match the log's first \(checkpoint.size) entries", path: "checkpoint \(checkpoint.size)"))
            }
        }
        return (chain.entries, checkpoints.count, problems)
    }
}
