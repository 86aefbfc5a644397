public import AccordCore
public import Casework
import Crypto
import Foundation
import SQLKit
import Synchronization

/// Envelope encryption of personal data. Each person has a random AES-256 data key, stored only
/// wrapped (AES-GCM) under the current master key version; personal fields are sealed with
/// AES-GCM under that data key, bound to their row by associated data. Destroying the wrapped
/// data key erases the person (crypto-shredding). Exact-match search works through keyed blind
/// indexes (HMAC-SHA256).
public final class FieldCipher: Sendable {
    private let keys: Mutex<MasterKeys>
    /// Reloaded when a wrap names a version this process does not know yet (rotation by another
    /// process, without downtime).
    let keyFile: String?

    public init(keys: MasterKeys, keyFile: String? = nil) {
        self.keys = Mutex(keys)
        self.keyFile = keyFile
    }

    var current: MasterKeys { keys.withLock { $0 } }

    // MARK: Fields

    static let prefix = "e1:"

    static func seal(_ plaintext: [UInt8], key: SymmetricKey, context: String) throws -> String {
        let box = try AES.GCM.seal(plaintext, using: key, authenticating: Array(context.utf8))
        return prefix + box.combined!.base64EncodedString()
    }

    static func open(_ sealed: String, key: SymmetricKey, context: String) throws -> [UInt8] {
        guard sealed.hasPrefix(prefix), let data = Data(base64Encoded: String(sealed.dropFirst(prefix.count))),
              let box = try? AES.GCM.SealedBox(combined: data),
              let plaintext = try? AES.GCM.open(box, using: key, authenticating: Array(context.utf8)) else {
            throw StorageError.corruptRecord("a sealed field does not open (\(context.prefix(40)))")
        }
        return Array(plaintext)
    }

    static func seal(_ text: String?, key: SymmetricKey, context: String) throws -> String? {
        try text.map { try seal(Array($0.utf8), key: key, context: context) }
    }

    static func openText(_ sealed: String?, key: SymmetricKey?, context: String) throws -> String? {
        guard let sealed else { return nil }
        guard let key else { return CaseworkError.erasedPlaceholder }
        return String(decoding: try open(sealed, key: key, context: context), as: UTF8.self)
    }

    /// A keyed, deterministic index value: equal inputs meet, nothing else is revealed.
    func blindIndex(_ kind: String, _ value: String) -> String {
        let key = current.indexKey
        return Data(HMAC<SHA256>.authenticationCode(for: Array("\(kind):\(value)".utf8), using: key)).map { String(format: "%02x", $0) }.joined()
    }

    /// Seals secrets of user accounts (TOTP seeds) under a key derived from the index key.
    func userSecretKey() -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: current.indexKey, info: Array("accord-user-secrets/v1".utf8), outputByteCount: 32)
    }

    // MARK: Data keys

    /// Creates, wraps and stores a new data key for `person`.
    func newDataKey(for person: Person.ID, in db: any SQLDatabase) async throws -> SymmetricKey {
        let dataKey = SymmetricKey(size: .bits256)
        let keys = current
        let wrapped = try Self.seal(dataKey.withUnsafeBytes { Array($0) }, key: keys.key(version: keys.current)!, context: "data-key:\(person)")
        try await db.raw("INSERT INTO person_keys (person_id, key_version, wrapped_key) VALUES (\(bind: person.rawValue), \(bind: keys.current), \(bind: wrapped))").run()
        return dataKey
    }

    /// The data keys of `persons`; an erased person has none.
    func dataKeys(for persons: [Person.ID], in db: any SQLDatabase) async throws -> [Person.ID: SymmetricKey] {
        var result: [Person.ID: SymmetricKey] = [:]
        for chunk in Array(Set(persons)).chunked(500) {
            let rows = try await db.raw("SELECT * FROM person_keys WHERE person_id IN (\(binds: chunk.map(\.rawValue)))").all()
            for row in rows {
                let person = try row.parsed("person_id", Person.ID.init)
                result[person] = try unwrap(version: row.integer("key_version"), wrapped: row.text("wrapped_key"), person: person)
            }
        }
        return result
    }

    func dataKey(for person: Person.ID, in db: any SQLDatabase) async throws -> SymmetricKey? {
        try await dataKeys(for: [person], in: db)[person]
    }

    private func unwrap(version: Int, wrapped: String, person: Person.ID) throws -> SymmetricKey {
        var master = current.key(version: version)
        if master == nil, let keyFile, let reloaded = try? MasterKeys.load(file: keyFile, create: false) {
            keys.withLock { $0 = reloaded }
            master = reloaded.key(version: version)
        }
        guard let master else {
            throw StorageError(code: "storage.master_key_missing", reason: "master key version \(version) is not available", category: .unavailable)
        }
        return SymmetricKey(data: try Self.open(wrapped, key: master, context: "data-key:\(person)"))
    }

    // MARK: Key management

    /// Refuses to work with keys that do not belong to this database; records check values for
    /// versions the database has not seen.
    public func checkKeys(in store: SQLStore) async throws {
        let keys = current
        let rows = try await store.database.raw("SELECT * FROM master_key_checks").all()
        for row in rows {
            let version = try row.integer("version")
            guard let expected = keys.checkValue(version: version) else {
                throw StorageError(code: "storage.master_key_missing", reason: "the database was encrypted with master key version \(version), which is not available", category: .unavailable)
            }
            guard expected == (try row.text("check_value")) else {
                throw StorageError(code: "storage.master_key_mismatch", reason: "the master key does not belong to this database", category: .unavailable)
            }
        }
        let known = Set(try rows.map { try $0.integer("version") })
        for version in keys.versions where !known.contains(version) {
            try await store.database.raw("INSERT INTO master_key_checks (version, check_value) VALUES (\(bind: version), \(bind: keys.checkValue(version: version)!))").run()
        }
    }

    /// Adopts `rotated` and rewraps every data key under its current version, in batches; data
    /// itself is not re-encrypted. Readers keep working throughout (old versions stay available).
    public func rotate(to rotated: MasterKeys, in store: SQLStore) async throws -> Int {
        keys.withLock { $0 = rotated }
        try await checkKeys(in: store)
        var rewrapped = 0
        while true {
            let batch = try await store.database.raw("SELECT * FROM person_keys WHERE key_version <> \(bind: rotated.current) LIMIT 200").all()
            if batch.isEmpty { return rewrapped }
            for row in batch {
                let person = try row.parsed("person_id", Person.ID.init)
                let version = try row.integer("key_version")
                let dataKey = try unwrap(version: version, wrapped: row.text("wrapped_key"), person: person)
                let wrapped = try Self.seal(dataKey.withUnsafeBytes { Array($0) }, key: rotated.key(version: rotated.current)!, context: "data-key:\(person)")
                try await store.database.raw("""
                    UPDATE person_keys SET key_version = \(bind: rotated.current), wrapped_key = \(bind: wrapped)
                    WHERE person_id = \(bind: person.rawValue) AND key_version = \(bind: version)
                    """).run()
                rewrapped += 1
            }
        }
    }
}

extension CaseworkError {
    /// Shown in place of data whose person was erased.
    public static let erasedPlaceholder = "[erased]"
}
