public import Crypto
import Foundation

/// RFC 6962 (Certificate Transparency) Merkle tree hashing: leaf = SHA-256(0x00 ‖ data),
/// node = SHA-256(0x01 ‖ left ‖ right), with the tree over n leaves split at the largest power
/// of two below n. Used by the audit trail and by the message log.
public enum MerkleTree {
    public typealias Hash = [UInt8]

    public static func leafHash(_ data: [UInt8]) -> Hash {
        Array(SHA256.hash(data: [0x00] + data))
    }

    public static func nodeHash(_ left: Hash, _ right: Hash) -> Hash {
        Array(SHA256.hash(data: [0x01] + left + right))
    }

    /// The root over `leaves` (already leaf-hashed). The empty tree's root is SHA-256("").
    public static func root(_ leaves: ArraySlice<Hash>) -> Hash {
        switch leaves.count {
        case 0: return Array(SHA256.hash(data: [UInt8]()))
        case 1: return leaves.first!
        default:
            let split = largestPowerOfTwo(below: leaves.count)
            return nodeHash(root(leaves.prefix(split)), root(leaves.dropFirst(split)))
        }
    }

    public static func root(_ leaves: [Hash]) -> Hash { root(leaves[...]) }

    /// The audit path proving leaf `index` is in the tree of `leaves` (RFC 6962 §2.1.1).
    public static func inclusionProof(index: Int, leaves: ArraySlice<Hash>) -> [Hash] {
        precondition(index >= 0 && index < leaves.count)
        guard leaves.count > 1 else { return [] }
        let split = largestPowerOfTwo(below: leaves.count)
        if index < split {
            return inclusionProof(index: index, leaves: leaves.prefix(split)) + [root(leaves.dropFirst(split))]
        }
        return inclusionProof(index: index - split, leaves: leaves.dropFirst(split)) + [root(leaves.prefix(split))]
    }

    /// Checks an audit path (RFC 9162 §2.1.3.2): true when `leaf` is entry `index` of the tree of
    /// `size` leaves with root `root`.
    public static func verifyInclusion(leaf: Hash, index: Int, size: Int, proof: [Hash], root: Hash) -> Bool {
        guard index >= 0, index < size else { return false }
        var fn = index, sn = size - 1
        var hash = leaf
        for sibling in proof {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                hash = nodeHash(sibling, hash)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                hash = nodeHash(hash, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && hash == root
    }

    static func largestPowerOfTwo(below n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }
}
