public import Casework

/// Sign-in for the console, implemented by the composition root over the identity service.
public protocol ConsoleGate: Sendable {
    /// The live session behind a cookie secret, or nil.
    func resume(_ secret: String, origin: String) async throws -> ConsoleSession?
    /// Checks credentials; throws `identity.login_failed`. Returns the cookie secret.
    func signIn(user: String, password: String, code: String?, origin: String) async throws -> String
    func signOut(_ secret: String) async throws
    func beginEnrolment(_ user: UserID) async throws -> (secret: [UInt8], uri: String)
    /// Activates MFA; returns the recovery codes to show once. Replacing an active second factor
    /// needs the password and a current code of the old one.
    func confirmEnrolment(_ user: UserID, secret: [UInt8], code: String, password: String?, currentCode: String?) async throws -> [String]
    /// Whether cookies get the Secure flag (off only for plain-HTTP development).
    var secureCookies: Bool { get }

    // Administration: the console checks `administer` / `view_audit` before reading the form,
    // and the identity service checks it again before any effect.
    func users() async throws -> [UserAccount]
    /// Adds a user and returns the one-time initial password.
    func addUser(_ id: UserID, displayName: String, grants: [RoleGrant], by admin: Caller) async throws -> String
    func setDisabled(_ id: UserID, _ disabled: Bool, by admin: Caller) async throws
    func resetMFA(_ id: UserID, by admin: Caller) async throws
    /// The newest audit entries, newest first, and the verification summary.
    func audit(last count: Int, by auditor: Caller) async throws -> (entries: [AuditEntry], summary: String, intact: Bool)
}

public struct ConsoleSession: Sendable {
    public let caller: Caller
    public let displayName: String
    public let csrfToken: String
    public let enrolmentOnly: Bool
    /// Whether the account already has a second factor (replacing it needs password and code).
    public let mfaEnrolled: Bool

    public init(caller: Caller, displayName: String, csrfToken: String, enrolmentOnly: Bool, mfaEnrolled: Bool = false) {
        self.caller = caller
        self.displayName = displayName
        self.csrfToken = csrfToken
        self.enrolmentOnly = enrolmentOnly
        self.mfaEnrolled = mfaEnrolled
    }
}
