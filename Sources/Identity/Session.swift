import Crypto
public import Foundation

/// A signed-in console session. The browser holds a random secret; only its SHA-256 is stored.
public struct Session: Sendable, Equatable {
    public let idHash: String
    public let user: UserID
    public let createdAt: Date
    public var lastSeenAt: Date
    /// Every form of the session carries this token; a POST without it is refused.
    public let csrfToken: String
    /// True until the user has enrolled MFA: only enrolment pages are open.
    public var enrolmentOnly: Bool

    public init(idHash: String, user: UserID, createdAt: Date, lastSeenAt: Date, csrfToken: String, enrolmentOnly: Bool) {
        self.idHash = idHash
        self.user = user
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.csrfToken = csrfToken
        self.enrolmentOnly = enrolmentOnly
    }

    public static func hash(_ secret: String) -> String { APIToken.hash(secret) }

    static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return Base32.encode((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }).lowercased()
    }
}

public protocol SessionRepository: Sendable {
    func insert(_ session: Session) async throws
    func session(idHash: String) async throws -> Session?
    func update(_ session: Session) async throws
    func delete(idHash: String) async throws
}

/// Session lifetimes: ended after `idle` without activity and after `absolute` in any case.
public struct SessionPolicy: Sendable, Equatable {
    public var idle: TimeInterval
    public var absolute: TimeInterval

    public init(idle: TimeInterval = 15 * 60, absolute: TimeInterval = 8 * 3_600) {
        self.idle = idle
        self.absolute = absolute
    }
}

extension AuthenticationService {
    /// Starts a session for a signed-in account; returns the secret for the cookie.
    public func startSession(for account: UserAccount, sessions: any SessionRepository, requireMFA: Bool = true) async throws -> (String, Session) {
        let secret = Session.randomSecret()
        let now = clock.now.truncatedToMilliseconds
        let session = Session(idHash: Session.hash(secret), user: account.id, createdAt: now, lastSeenAt: now,
                              csrfToken: Session.randomSecret(), enrolmentOnly: requireMFA && !account.mfaEnrolled)
        try await sessions.insert(session)
        return (secret, session)
    }

    /// The live session and account behind a cookie secret; expired sessions are deleted.
    public func resumeSession(_ secret: String, sessions: any SessionRepository, policy: SessionPolicy) async throws -> (Session, UserAccount)? {
        guard secret.count < 200, var session = try await sessions.session(idHash: Session.hash(secret)) else { return nil }
        let now = clock.now
        guard now.timeIntervalSince(session.lastSeenAt) <= policy.idle, now.timeIntervalSince(session.createdAt) <= policy.absolute,
              let account = try await users.user(session.user), !account.disabled else {
            try await sessions.delete(idHash: session.idHash)
            return nil
        }
        session.lastSeenAt = now.truncatedToMilliseconds
        if session.enrolmentOnly && account.mfaEnrolled { session.enrolmentOnly = false }
        try await sessions.update(session)
        return (session, account)
    }
}
