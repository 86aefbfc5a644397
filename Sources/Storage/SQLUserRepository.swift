import AccordCore
import Crypto
import Foundation
public import Identity
import SQLKit

/// User accounts in SQL. TOTP secrets are sealed; passwords and recovery codes are bcrypt hashes.
public struct SQLUserRepository: UserRepository {
    let store: SQLStore
    let cipher: FieldCipher

    public init(store: SQLStore, cipher: FieldCipher) {
        self.store = store
        self.cipher = cipher
    }

    public func insert(_ user: UserAccount) async throws {
        do {
            try await store.database.raw("""
                INSERT INTO users (id, display_name, grants, password_hash, totp_secret, last_totp_step, recovery_hashes, failed_attempts,
                                   locked_until, disabled, created_at, version)
                VALUES (\(bind: user.id.rawValue), \(bind: user.displayName), \(bind: try JSONCoding.encode(user.grants)), \(bind: user.passwordHash),
                        \(bind: try sealedSecret(user)), \(bind: user.lastTOTPStep.map { Int64(bitPattern: $0) }),
                        \(bind: try JSONCoding.encode(user.recoveryCodeHashes)), \(bind: user.failedAttempts),
                        \(bind: user.lockedUntil?.millisecondsSince1970), \(bind: user.disabled ? 1 : 0), \(bind: user.createdAt.millisecondsSince1970),
                        \(bind: user.version))
                """).run()
        } catch {
            if try await self.user(user.id) != nil { throw IdentityError.userExists(user.id.rawValue) }
            throw error
        }
    }

    public func update(_ user: UserAccount, expectedVersion: Int) async throws {
        let rows = try await store.database.raw("""
            UPDATE users SET display_name = \(bind: user.displayName), grants = \(bind: try JSONCoding.encode(user.grants)),
                   password_hash = \(bind: user.passwordHash), totp_secret = \(bind: try sealedSecret(user)),
                   last_totp_step = \(bind: user.lastTOTPStep.map { Int64(bitPattern: $0) }),
                   recovery_hashes = \(bind: try JSONCoding.encode(user.recoveryCodeHashes)), failed_attempts = \(bind: user.failedAttempts),
                   locked_until = \(bind: user.lockedUntil?.millisecondsSince1970), disabled = \(bind: user.disabled ? 1 : 0),
                   version = \(bind: expectedVersion + 1)
            WHERE id = \(bind: user.id.rawValue) AND version = \(bind: expectedVersion)
            RETURNING version
            """).all()
        guard !rows.isEmpty else {
            if try await self.user(user.id) == nil { throw IdentityError.userNotFound(user.id.rawValue) }
            throw IdentityError.versionConflict
        }
    }

    public func user(_ id: UserID) async throws -> UserAccount? {
        try await store.database.raw("SELECT * FROM users WHERE id = \(bind: id.rawValue)").first().map(decode)
    }

    public func users() async throws -> [UserAccount] {
        try await store.database.raw("SELECT * FROM users ORDER BY id").all().map(decode)
    }

    private func sealedSecret(_ user: UserAccount) throws -> String? {
        try user.totpSecret.map { try FieldCipher.seal($0, key: cipher.userSecretKey(), context: "totp:\(user.id)") }
    }

    private func decode(_ row: any SQLRow) throws -> UserAccount {
        let id = try row.parsed("id", UserID.init)
        let lockedUntil: Date? = try row.decodeNil(column: "locked_until") ? nil : row.date("locked_until")
        let lastStep: UInt64? = try row.decodeNil(column: "last_totp_step") ? nil : UInt64(bitPattern: try row.decode(column: "last_totp_step", as: Int64.self))
        return UserAccount(
            id: id,
            displayName: try row.text("display_name"),
            grants: try JSONCoding.decode([RoleGrant].self, from: row.text("grants")),
            passwordHash: try row.text("password_hash"),
            totpSecret: try row.optionalText("totp_secret").map { try FieldCipher.open($0, key: cipher.userSecretKey(), context: "totp:\(id)") },
            lastTOTPStep: lastStep,
            recoveryCodeHashes: try JSONCoding.decode([String].self, from: row.text("recovery_hashes")),
            failedAttempts: try row.integer("failed_attempts"),
            lockedUntil: lockedUntil,
            disabled: try row.integer("disabled") != 0,
            createdAt: try row.date("created_at"),
            version: try row.integer("version")
        )
    }
}
