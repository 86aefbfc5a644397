import Crypto
import Exchange
import Foundation
import Testing

/// Wycheproof's ECDSA P-256/SHA-256 vectors in the raw r‖s (IEEE P1363) form — the form of ES256
/// and XML-DSig 1.1 — through Accord's one verification path, `ECDSAP256.verify`.
@Suite struct WycheproofTests {
    struct VectorFile: Decodable {
        struct Group: Decodable {
            struct Key: Decodable { let uncompressed: String }
            let publicKey: Key
            let tests: [Vector]
        }

        struct Vector: Decodable {
            let tcId: Int
            let msg: String
            let sig: String
            let result: String
        }

        let testGroups: [Group]
    }

    static var vectors: URL {
        // Shipped with the tests (a copy of the public vectors; see Vectors/README.md).
        Bundle.module.url(forResource: "ecdsa_secp256r1_sha256_p1363_test", withExtension: "json", subdirectory: "Vectors")!
    }

    static func bytes(_ hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return result
    }

    @Test func noInvalidVectorIsAcceptedAndNoValidOneRejected() throws {
        let file = try JSONDecoder().decode(VectorFile.self, from: Data(contentsOf: Self.vectors))
        var valid = 0, invalid = 0
        for group in file.testGroups {
            let key = try P256.Signing.PublicKey(x963Representation: Self.bytes(group.publicKey.uncompressed))
            for vector in group.tests {
                let accepted = ECDSAP256.verify(signature: Self.bytes(vector.sig), message: Self.bytes(vector.msg), key: key)
                switch vector.result {
                case "valid":
                    valid += 1
                    #expect(accepted, "tcId \(vector.tcId) valid but rejected")
                case "invalid":
                    invalid += 1
                    #expect(!accepted, "tcId \(vector.tcId) invalid but accepted")
                default:
                    break
                }
            }
        }
        #expect(valid > 100 && invalid > 50)
    }
}
