public import Casework
public import Crypto
import Foundation

/// The node's own keys, kept in `<data-dir>/keys/` with owner-only permissions and created on
/// first start: the key that signs audit checkpoints, and the key that signs decisions.
public struct NodeKeys: Sendable {
    public let auditLogKey: P256.Signing.PrivateKey
    public let decisionKey: P256.Signing.PrivateKey

    static let auditLogKeyFile = "audit-log-key.pem"
    static let decisionKeyFile = "decision-key.pem"

    /// The keys, which must exist (read-only commands create nothing).
    public static func load(in dataDirectory: String) throws -> NodeKeys {
        let file = URL(fileURLWithPath: dataDirectory).appendingPathComponent("keys/\(auditLogKeyFile)")
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw ServerError(code: "config.key_missing", reason: "\(file.path) does not exist; check --data-dir (nothing was created)")
        }
        return try loadOrCreate(in: dataDirectory)
    }

    public static func loadOrCreate(in dataDirectory: String) throws -> NodeKeys {
        let directory = URL(fileURLWithPath: dataDirectory).appendingPathComponent("keys", isDirectory: true)
        return NodeKeys(auditLogKey: try key(directory.appendingPathComponent(auditLogKeyFile)),
                        decisionKey: try key(directory.appendingPathComponent(decisionKeyFile)))
    }

    private static func key(_ file: URL) throws -> P256.Signing.PrivateKey {
        let manager = FileManager.default
        if let pem = manager.contents(atPath: file.path) {
            do {
                return try P256.Signing.PrivateKey(pemRepresentation: String(decoding: pem, as: UTF8.self))
            } catch {
                throw ServerError(code: "config.key_unreadable", reason: "\(file.path) is not a P-256 private key in PEM")
            }
        }
        let key = P256.Signing.PrivateKey()
        do {
            try manager.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            guard manager.createFile(atPath: file.path, contents: Data(key.pemRepresentation.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw ServerError(code: "config.key_unwritable", reason: "cannot create \(file.path)")
            }
        } catch let error as ServerError {
            throw error
        } catch {
            throw ServerError(code: "config.key_unwritable", reason: "cannot create \(file.path): \(error.localizedDescription)")
        }
        return key
    }
}

/// Signs decisions with the node's decision key (ECDSA P-256 over SHA-256, DER signatures). The
/// key's identifier is the SHA-256 of its SubjectPublicKeyInfo; the public key is published at
/// `/api/v1/decision-key` so that anyone can check a decision with openssl.
public struct NodeDecisionSigner: DecisionSigner {
    let key: P256.Signing.PrivateKey

    public init(key: P256.Signing.PrivateKey) {
        self.key = key
    }

    public var keyID: String { Self.keyID(of: key.publicKey) }
    public var publicKeyPEM: String { key.publicKey.pemRepresentation }

    public static func keyID(of key: P256.Signing.PublicKey) -> String {
        SHA256.hash(data: key.derRepresentation).map { String(format: "%02x", $0) }.joined()
    }

    public func sign(_ bytes: [UInt8]) throws -> (signature: [UInt8], keyID: String) {
        (Array(try key.signature(for: bytes).derRepresentation), keyID)
    }

    public func verify(_ signature: [UInt8], over bytes: [UInt8], keyID: String) -> Bool {
        guard keyID == self.keyID, let parsed = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
        return key.publicKey.isValidSignature(parsed, for: bytes)
    }
}
