public import Crypto
public import Foundation

/// A signed statement "the log named `origin` had `size` entries with Merkle root `root` at
/// `time`" — the text form follows the transparency-log checkpoint convention:
///
///     accord-checkpoint/1
///     <origin>
///     <size>
///     <base64 root>
///     <time, ISO 8601 UTC>
///
/// signed with ECDSA P-256 (raw r‖s, base64) by the node's log key.
public struct Checkpoint: Sendable, Equatable, Codable {
    public let origin: String
    public let size: Int
    public let root: [UInt8]
    public let time: Date
    public let signature: [UInt8]

    public init(origin: String, size: Int, root: [UInt8], time: Date, signature: [UInt8]) {
        self.origin = origin
        self.size = size
        self.root = root
        self.time = time
        self.signature = signature
    }

    public var body: String {
        "accord-checkpoint/1\n\(origin)\n\(size)\n\(Data(root).base64EncodedString())\n\(time.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))\n"
    }

    public static func sign(origin: String, size: Int, root: [UInt8], time: Date, key: P256.Signing.PrivateKey) throws -> Checkpoint {
        let unsigned = Checkpoint(origin: origin, size: size, root: root, time: time, signature: [])
        let signature = try key.signature(for: Array(unsigned.body.utf8))
        return Checkpoint(origin: origin, size: size, root: root, time: time, signature: Array(signature.rawRepresentation))
    }

    public func verify(with key: P256.Signing.PublicKey) -> Bool {
        guard signature.count == 64, let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
        return key.isValidSignature(parsed, for: Array(body.utf8))
    }
}
