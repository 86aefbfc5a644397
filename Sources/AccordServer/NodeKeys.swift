public import Crypto
import Foundation

/// The node's own keys, kept in `<data-dir>/keys/` with owner-only permissions and created on
/// first start. For now: the key that signs audit checkpoints.
public struct NodeKeys: Sendable {
    public let auditLogKey: P256.Signing.PrivateKey

    /// The keys, which must exist (read-only commands create nothing).
    public static func load(in dataDirectory: String) throws -> NodeKeys {
        let file = URL(fileURLWithPath: dataDirectory).appendingPathComponent("keys/audit-log-key.pem")
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw ServerError(code: "config.key_missing", reason: "\(file.path) does not exist; check --data-dir (nothing was created)")
        }
        return try loadOrCreate(in: dataDirectory)
    }

    public static func loadOrCreate(in dataDirectory: String) throws -> NodeKeys {
        let directory = URL(fileURLWithPath: dataDirectory).appendingPathComponent("keys", isDirectory: true)
        let file = directory.appendingPathComponent("audit-log-key.pem")
        let manager = FileManager.default
        if let pem = manager.contents(atPath: file.path) {
            do {
                return NodeKeys(auditLogKey: try P256.Signing.PrivateKey(pemRepresentation: String(decoding: pem, as: UTF8.self)))
            } catch {
                throw ServerError(code: "config.key_unreadable", reason: "\(file.path) is not a P-256 private key in PEM")
            }
        }
        let key = P256.Signing.PrivateKey()
        do {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            guard manager.createFile(atPath: file.path, contents: Data(key.pemRepresentation.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw ServerError(code: "config.key_unwritable", reason: "cannot create \(file.path)")
            }
        } catch let error as ServerError {
            throw error
        } catch {
            throw ServerError(code: "config.key_unwritable", reason: "cannot create \(file.path): \(error.localizedDescription)")
        }
        return NodeKeys(auditLogKey: key)
    }
}
