public import Crypto
public import Foundation

/// Proof that one log entry is in a signed checkpoint, checkable offline by anyone who has the
/// log owner's public key: the entry's canonical bytes, its index, the RFC 6962 audit path and
/// the checkpoint exactly as signed (its text, so no re-encoding can change what was signed).
/// A participant also compares the entry's digest with SHA-256 of the message it sent or received.
public struct LogInclusionProof: Sendable, Codable, Equatable {
    public static let format = "accord-inclusion-proof/1"

    public let format: String
    /// The entry exactly as hashed (text, one field per line).
    public let entry: String
    /// Zero-based leaf index.
    public let index: Int
    public let path: [String]
    /// The checkpoint's signed text (`Checkpoint.body`) and its signature (raw r‖s, base64).
    public let checkpoint: String
    public let checkpointSignature: String

    public init(entry: [UInt8], index: Int, path: [MerkleTree.Hash], checkpoint: Checkpoint) {
        self.format = Self.format
        self.entry = String(decoding: entry, as: UTF8.self)
        self.index = index
        self.path = path.map { Data($0).base64EncodedString() }
        self.checkpoint = checkpoint.body
        self.checkpointSignature = Data(checkpoint.signature).base64EncodedString()
    }

    /// The checkpoint's origin, size and root, read from its text.
    public var checkpointFields: (origin: String, size: Int, root: [UInt8])? {
        let lines = checkpoint.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 5, lines[0] == "accord-checkpoint/1", let size = Int(lines[2]), size > 0,
              let root = Data(base64Encoded: String(lines[3])), root.count == 32 else { return nil }
        return (String(lines[1]), size, Array(root))
    }

    /// Every problem with the proof under `key` (none: the entry is in the signed log).
    public func problems(key: P256.Signing.PublicKey) -> [String] {
        var problems: [String] = []
        if format != Self.format { problems.append("unknown proof format \(format)") }
        guard let fields = checkpointFields else { return problems + ["the checkpoint text is malformed"] }
        let signature = Data(base64Encoded: checkpointSignature).flatMap { try? P256.Signing.ECDSASignature(rawRepresentation: $0) }
        if signature.map({ !key.isValidSignature($0, for: Array(checkpoint.utf8)) }) ?? true {
            problems.append("the checkpoint's signature does not verify with this key")
        }
        let hashes = path.compactMap { Data(base64Encoded: $0).map(Array.init) }
        if hashes.count != path.count || hashes.contains(where: { $0.count != 32 }) { problems.append("the audit path is malformed") }
        if !MerkleTree.verifyInclusion(leaf: MerkleTree.leafHash(Array(entry.utf8)), index: index, size: fields.size, proof: hashes, root: fields.root) {
            problems.append("the entry is not at index \(index) of the checkpoint's tree of \(fields.size)")
        }
        return problems
    }
}
