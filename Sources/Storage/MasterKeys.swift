public import Crypto
import Foundation

/// The node's key-encryption keys: versioned AES-256 master keys that wrap each person's data key,
/// and the key of the blind indexes. Kept outside the database — in a key file (owner-only) or
/// the `ACCORD_MASTER_KEYS` environment variable — so that a stolen database or backup reveals
/// nothing.
///
/// Key file (JSON): `{"current": 2, "keys": {"1": "<base64>", "2": "<base64>"}, "index": "<base64>"}`.
public struct MasterKeys: Sendable {
    public let current: Int
    let keys: [Int: SymmetricKey]
    /// Keys the blind indexes (HMAC-SHA256). Not rotated by `rotate`: indexes would change.
    let indexKey: SymmetricKey

    struct File: Codable {
        var current: Int
        var keys: [String: String]
        var index: String
    }

    public static func generate() -> MasterKeys {
        MasterKeys(current: 1, keys: [1: SymmetricKey(size: .bits256)], indexKey: SymmetricKey(size: .bits256))
    }

    public func key(version: Int) -> SymmetricKey? { keys[version] }
    public var versions: [Int] { keys.keys.sorted() }

    /// A new current version; older versions stay so existing wraps still open until rewrapped.
    public func rotated() -> MasterKeys {
        let next = (keys.keys.max() ?? 0) + 1
        var keys = self.keys
        keys[next] = SymmetricKey(size: .bits256)
        return MasterKeys(current: next, keys: keys, indexKey: indexKey)
    }

    public func encoded() throws -> Data {
        let file = File(
            current: current,
            keys: Dictionary(uniqueKeysWithValues: keys.map { (String($0.key), $0.value.withUnsafeBytes { Data($0).base64EncodedString() }) }),
            index: indexKey.withUnsafeBytes { Data($0).base64EncodedString() }
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(file)
    }

    public static func decode(_ data: Data) throws(StorageError) -> MasterKeys {
        guard let file = try? JSONDecoder().decode(File.self, from: data),
              let index = Data(base64Encoded: file.index), index.count == 32 else {
            throw StorageError(code: "storage.master_key_invalid", reason: "the master key file is not valid", category: .unavailable)
        }
        var keys: [Int: SymmetricKey] = [:]
        for (version, text) in file.keys {
            guard let number = Int(version), let bytes = Data(base64Encoded: text), bytes.count == 32 else {
                throw StorageError(code: "storage.master_key_invalid", reason: "master key version \(version.prefix(8)) is not a 256-bit key", category: .unavailable)
            }
            keys[number] = SymmetricKey(data: bytes)
        }
        guard keys[file.current] != nil else {
            throw StorageError(code: "storage.master_key_invalid", reason: "the current master key version is missing", category: .unavailable)
        }
        return MasterKeys(current: file.current, keys: keys, indexKey: SymmetricKey(data: index))
    }

    /// Loads the key file, or creates it (owner-only) when `create` and it does not exist.
    public static func load(file path: String, create: Bool) throws -> MasterKeys {
        if let data = FileManager.default.contents(atPath: path) { return try decode(data) }
        guard create else {
            throw StorageError(code: "storage.master_key_missing", reason: "no master key file at \(path)", category: .unavailable)
        }
        let keys = generate()
        try keys.write(to: path)
        return keys
    }

    /// Writes atomically with owner-only permissions.
    public func write(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let manager = FileManager.default
        try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString)")
        guard manager.createFile(atPath: temporary.path, contents: try encoded(), attributes: [.posixPermissions: 0o600]) else {
            throw StorageError(code: "storage.master_key_unwritable", reason: "cannot write \(path)", category: .unavailable)
        }
        guard rename(temporary.path, url.path) == 0 else {
            try? manager.removeItem(at: temporary)
            throw StorageError(code: "storage.master_key_unwritable", reason: "cannot replace \(path)", category: .unavailable)
        }
    }

    /// A value stored in the database to recognise these keys without revealing them.
    func checkValue(version: Int) -> String? {
        keys[version].map { key in
            Data(HMAC<SHA256>.authenticationCode(for: Array("accord-master-key-check/v\(version)".utf8), using: key)).base64EncodedString()
        }
    }
}
