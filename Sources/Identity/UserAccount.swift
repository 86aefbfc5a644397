public import Foundation

/// A person who signs in to a node: officer, supervisor, auditor, administrator, applicant, …
public struct UserAccount: Sendable, Equatable {
    public var id: UserID
    public var displayName: String
    public var grants: [RoleGrant]
    /// bcrypt hash (never the password).
    public var passwordHash: String
    /// TOTP secret once MFA is enrolled (stored sealed by the repository).
    public var totpSecret: [UInt8]?
    /// The last TOTP step accepted: a code is accepted once.
    public var lastTOTPStep: UInt64?
    /// bcrypt hashes of unused recovery codes.
    public var recoveryCodeHashes: [String]
    public var failedAttempts: Int
    public var lockedUntil: Date?
    public var disabled: Bool
    public var createdAt: Date
    public var version: Int

    public init(
        id: UserID, displayName: String, grants: [RoleGrant], passwordHash: String, totpSecret: [UInt8]? = nil, lastTOTPStep: UInt64? = nil,
        recoveryCodeHashes: [String] = [], failedAttempts: Int = 0, lockedUntil: Date? = nil, disabled: Bool = false, createdAt: Date, version: Int = 1
    ) {
        self.id = id
        self.displayName = displayName
        self.grants = grants
        self.passwordHash = passwordHash
        self.totpSecret = totpSecret
        self.lastTOTPStep = lastTOTPStep
        self.recoveryCodeHashes = recoveryCodeHashes
        self.failedAttempts = failedAttempts
        self.lockedUntil = lockedUntil
        self.disabled = disabled
        self.createdAt = createdAt
        self.version = version
    }

    public var mfaEnrolled: Bool { totpSecret != nil }
}

/// Where user accounts are kept.
public protocol UserRepository: Sendable {
    func insert(_ user: UserAccount) async throws
    /// Replaces the account if its stored version is `expectedVersion` (else `identity.version_conflict`).
    func update(_ user: UserAccount, expectedVersion: Int) async throws
    func user(_ id: UserID) async throws -> UserAccount?
    func users() async throws -> [UserAccount]
}
