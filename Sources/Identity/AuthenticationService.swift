public import AccordCore
public import Foundation

/// Sign-in with password and TOTP: bcrypt, one-time acceptance of each code, recovery codes,
/// lockout after repeated failures. Every attempt is audited.
public struct AuthenticationService: Sendable {
    public let users: any UserRepository
    public let hasher: any PasswordHasher
    public let audit: any AuditTrail
    public let clock: any WallClock
    public let policy: AccessPolicy
    public var maximumFailures = 5
    public var lockout: TimeInterval = 15 * 60

    public init(users: any UserRepository, hasher: any PasswordHasher, audit: any AuditTrail, clock: any WallClock, policy: AccessPolicy) {
        self.users = users
        self.hasher = hasher
        self.audit = audit
        self.clock = clock
        self.policy = policy
    }

    // MARK: Administration

    public func addUser(_ id: UserID, displayName: String, password: String, grants: [RoleGrant], by admin: Administrator) async throws -> UserAccount {
        try await authorize(admin, resourceType: "user", reference: id.rawValue, purpose: "add user")
        guard password.count >= 12 else { throw IdentityError.weakPassword }
        try checkGrants(grants)
        guard try await users.user(id) == nil else { throw IdentityError.userExists(id.rawValue) }
        let account = UserAccount(id: id, displayName: displayName, grants: grants, passwordHash: hasher.hash(password), createdAt: clock.now.truncatedToMilliseconds)
        try await users.insert(account)
        try await audit.record(AuditEvent(actor: admin.user, role: admin.role, action: .administer, resourceType: "user", resourceRef: id.rawValue, origin: admin.origin, purpose: "add user"))
        return account
    }

    /// Every role exists; a partner is named only on roles that exchange with partners.
    func checkGrants(_ grants: [RoleGrant]) throws {
        for grant in grants {
            guard let role = policy.roles[grant.role] else { throw IdentityError.unknownRole(grant.role) }
            if grant.partner != nil, !role.permissions.contains(.exchange) {
                throw IdentityError(code: "identity.partner_not_applicable", reason: "\(grant.role) does not exchange with partner states: it cannot be limited to one", category: .invalidInput)
            }
        }
    }

    /// Refuses, before any effect, an administrator whose roles do not allow `administer`; the
    /// refusal is audited under the real actor.
    func authorize(_ admin: Administrator, resourceType: String, reference: String, purpose: String) async throws {
        guard let grants = admin.grants, !policy.allows(grants, .administer) else { return }
        try await audit.record(AuditEvent(actor: admin.user, role: admin.role, action: .administer, resourceType: resourceType, resourceRef: reference,
                                          origin: admin.origin, purpose: purpose, outcome: .denied))
        throw IdentityError.forbidden
    }

    public func change(_ id: UserID, by admin: Administrator, purpose: String, _ change: (inout UserAccount) throws -> Void) async throws -> UserAccount {
        try await authorize(admin, resourceType: "user", reference: id.rawValue, purpose: purpose)
        return try await update(id, actor: admin.user, role: admin.role, origin: admin.origin, purpose: purpose, change)
    }

    /// Applies a change to an account and audits it; the permission check is the caller's.
    @discardableResult
    func update(_ id: UserID, actor: String, role: String?, origin: String, purpose: String, _ change: (inout UserAccount) throws -> Void) async throws -> UserAccount {
        guard var account = try await users.user(id) else { throw IdentityError.userNotFound(id.rawValue) }
        let version = account.version
        try change(&account)
        try checkGrants(account.grants)
        account.version = version + 1
        try await users.update(account, expectedVersion: version)
        try await audit.record(AuditEvent(actor: actor, role: role, action: .administer, resourceType: "user", resourceRef: id.rawValue, origin: origin, purpose: purpose))
        return account
    }

    // MARK: MFA enrolment

    /// Starts enrolment: a new secret (not yet active) and its provisioning URI.
    public func beginEnrolment(_ id: UserID, issuer: String) async throws -> (secret: [UInt8], uri: String) {
        guard try await users.user(id) != nil else { throw IdentityError.userNotFound(id.rawValue) }
        let secret = TOTP.newSecret()
        return (secret, TOTP(secret: secret).provisioningURI(account: id.rawValue, issuer: issuer))
    }

    /// Activates the secret once the user proves they hold it; returns fresh recovery codes
    /// (shown once, stored only as hashes). Replacing an active second factor also needs the
    /// account's password and a current code (or a recovery code) of the old one, so that a
    /// stolen session cannot take the account over; a failure counts like a failed sign-in.
    public func confirmEnrolment(_ id: UserID, secret: [UInt8], code: String, password: String? = nil, currentCode: String? = nil, origin: String = "console") async throws -> [String] {
        guard let existing = try await users.user(id) else { throw IdentityError.userNotFound(id.rawValue) }
        if existing.mfaEnrolled {
            _ = try await signIn(id, password: password ?? "", code: currentCode ?? "", origin: origin)
        }
        let totp = TOTP(secret: secret)
        guard let step = totp.matchingStep(code, at: clock.now) else { throw IdentityError.loginFailed }
        let codes = (0..<10).map { _ in Self.recoveryCode() }
        try await update(id, actor: id.rawValue, role: existing.grants.first?.role, origin: origin, purpose: existing.mfaEnrolled ? "replace MFA" : "enrol MFA") { account in
            account.totpSecret = secret
            account.lastTOTPStep = step
            account.recoveryCodeHashes = codes.map { hasher.hash($0) }
        }
        return codes
    }

    /// A strong one-time password for a new account (20 characters without look-alikes).
    public static func initialPassword() -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    static func recoveryCode() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<10).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return String(characters[0..<5]) + "-" + String(characters[5...])
    }

    // MARK: Sign-in

    /// Checks password and second factor (a TOTP code, or a recovery code). Any failure — wrong
    /// password, wrong or replayed code, disabled or locked account — is the same
    /// `identity.login_failed`; five in a row lock the account for 15 minutes.
    public func signIn(_ id: UserID, password: String, code: String?, origin: String?) async throws -> UserAccount {
        let now = clock.now
        guard var account = try await users.user(id) else {
            _ = hasher.verify(password, hash: hasher.decoyHash) // the same work whether or not the user exists
            try await audit.record(AuditEvent(actor: id.rawValue, action: .login, resourceType: "user", resourceRef: id.rawValue, origin: origin, outcome: .denied))
            throw IdentityError.loginFailed
        }
        let version = account.version
        var success = !account.disabled && (account.lockedUntil.map { $0 <= now } ?? true) && hasher.verify(password, hash: account.passwordHash)
        if success, let secret = account.totpSecret {
            if let code, let step = TOTP(secret: secret).matchingStep(code, at: now), step > (account.lastTOTPStep ?? 0) {
                account.lastTOTPStep = step
            } else if let code, let index = account.recoveryCodeHashes.firstIndex(where: { hasher.verify(code.uppercased(), hash: $0) }) {
                account.recoveryCodeHashes.remove(at: index)
            } else {
                success = false
            }
        }
        if success {
            account.failedAttempts = 0
            account.lockedUntil = nil
        } else if !account.disabled {
            account.failedAttempts += 1
            if account.failedAttempts >= maximumFailures { account.lockedUntil = now.addingTimeInterval(lockout) }
        }
        account.version = version + 1
        try await users.update(account, expectedVersion: version)
        try await audit.record(AuditEvent(actor: id.rawValue, role: account.grants.first?.role, action: .login, resourceType: "user",
                                          resourceRef: id.rawValue, origin: origin, outcome: success ? .allowed : .denied))
        guard success else { throw IdentityError.loginFailed }
        return account
    }
}

extension IdentityError {
    public static let unauthenticated = IdentityError(code: "identity.unauthenticated", reason: "a valid API token is required", category: .unauthorized)
}

extension AuthenticationService {
    /// Issues a token for `id`, valid for `validity`; returns the secret (shown once).
    public func issueToken(for id: UserID, scopes: Set<Permission>?, validity: TimeInterval, tokens: any TokenRepository, by admin: Administrator) async throws -> String {
        try await authorize(admin, resourceType: "api_token", reference: id.rawValue, purpose: "issue token")
        guard let account = try await users.user(id), !account.disabled else { throw IdentityError.userNotFound(id.rawValue) }
        var generator = SystemRandomNumberGenerator()
        let secret = "acc_" + Base32.encode((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }).lowercased()
        let now = clock.now.truncatedToMilliseconds
        let token = APIToken(id: UUID().uuidString.lowercased(), tokenHash: APIToken.hash(secret), user: id, scopes: scopes, createdAt: now, expiresAt: now.addingTimeInterval(validity))
        try await tokens.insert(token)
        try await audit.record(AuditEvent(actor: admin.user, role: admin.role, action: .administer, resourceType: "api_token", resourceRef: token.id, origin: admin.origin, purpose: "issue token for \(id)"))
        return secret
    }

    /// The account and scopes behind a bearer token, or `identity.unauthenticated` for an
    /// unknown, expired or revoked token or a disabled account.
    public func authenticate(token secret: String, tokens: any TokenRepository) async throws -> (UserAccount, Set<Permission>?) {
        guard secret.hasPrefix("acc_"), secret.count < 200, let token = try await tokens.token(hash: APIToken.hash(secret)),
              token.revokedAt == nil, token.expiresAt > clock.now,
              let account = try await users.user(token.user), !account.disabled else {
            throw IdentityError.unauthenticated
        }
        return (account, token.scopes)
    }
}

extension AuthenticationService {
    /// Disables (sign-in and tokens refused) or re-enables an account; enabling also clears a lockout.
    public func setDisabled(_ id: UserID, _ disabled: Bool, by admin: Administrator) async throws {
        _ = try await change(id, by: admin, purpose: disabled ? "disable user" : "enable user") { account in
            account.disabled = disabled
            if !disabled {
                account.failedAttempts = 0
                account.lockedUntil = nil
            }
        }
    }

    /// Removes the TOTP secret and recovery codes; the user enrols again at the next sign-in.
    public func resetMFA(_ id: UserID, by admin: Administrator) async throws {
        _ = try await change(id, by: admin, purpose: "reset MFA") { account in
            account.totpSecret = nil
            account.lastTOTPStep = nil
            account.recoveryCodeHashes = []
        }
    }
}
