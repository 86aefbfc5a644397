import Crypto
import Foundation
import Ledger
import Testing

@Suite struct MerkleTreeTests {
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// The RFC 6962 reference test vectors (from the Certificate Transparency reference code):
    /// roots of the trees over the first n of eight fixed leaves.
    static let leaves: [[UInt8]] = [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
        [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57], [0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f],
    ]
    static let roots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    @Test func matchesTheReferenceRoots() {
        let hashes = Self.leaves.map(MerkleTree.leafHash)
        for size in 1...8 {
            #expect(Self.hex(MerkleTree.root(Array(hashes.prefix(size)))) == Self.roots[size - 1], "size \(size)")
        }
        #expect(Self.hex(MerkleTree.root([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func everyInclusionProofVerifiesAndNoWrongOneDoes() {
        for size in 1...40 {
            let leaves = (0..<size).map { MerkleTree.leafHash(Array("entry \($0)".utf8)) }
            let root = MerkleTree.root(leaves)
            for index in 0..<size {
                let proof = MerkleTree.inclusionProof(index: index, leaves: leaves[...])
                #expect(MerkleTree.verifyInclusion(leaf: leaves[index], index: index, size: size, proof: proof, root: root))
                #expect(!MerkleTree.verifyInclusion(leaf: MerkleTree.leafHash([1]), index: index, size: size, proof: proof, root: root))
                if size > 1 {
                    #expect(!MerkleTree.verifyInclusion(leaf: leaves[index], index: (index + 1) % size, size: size, proof: proof, root: root))
                }
            }
        }
    }

    @Test func checkpointsVerifyOnlyUnchanged() throws {
        let key = P256.Signing.PrivateKey()
        let checkpoint = try Checkpoint.sign(origin: "node.example/audit", size: 12, root: Array(repeating: 7, count: 32), time: Date(timeIntervalSince1970: 1_772_443_800), key: key)
        #expect(checkpoint.verify(with: key.publicKey))
        let forged = Checkpoint(origin: checkpoint.origin, size: 11, root: checkpoint.root, time: checkpoint.time, signature: checkpoint.signature)
        #expect(!forged.verify(with: key.publicKey))
        #expect(!checkpoint.verify(with: P256.Signing.PrivateKey().publicKey))
        #expect(checkpoint.body.hasPrefix("accord-checkpoint/1\nnode.example/audit\n12\n"))
    }
}
