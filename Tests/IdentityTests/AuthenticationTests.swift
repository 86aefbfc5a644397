import AccordCore
import AccordServer
import AccordTesting
import Foundation
import Identity
import Storage
import Testing

@Suite struct AuthenticationTests {
    static let hasher = BcryptPasswordHasher(cost: 4)

    func withAuth(_ database: TestDatabase, _ body: (AuthenticationService, ManualWallClock, InMemoryAuditTrail) async throws -> Void) async throws {
        try await database.withStore { store, _ in
            let clock = ManualWallClock(Fixtures.referenceDate)
            let audit = InMemoryAuditTrail()
            let users = SQLUserRepository(store: store, cipher: try await TestDatabase.cipher(for: store))
            try await body(AuthenticationService(users: users, hasher: Self.hasher, audit: audit, clock: clock, policy: .standard), clock, audit)
        }
    }

    @Test(arguments: TestDatabase.all)
    func passwordAndTOTPWithReplayProtectionRecoveryAndLockout(_ database: TestDatabase) async throws {
        try await withAuth(database) { auth, clock, audit in
            let id = UserID("k.novak")!
            await #expect(throws: IdentityError.weakPassword) { try await auth.addUser(id, displayName: "K. Novak", password: "short", grants: [], by: .tool("admin")) }
            await #expect(throws: IdentityError.unknownRole("")) {
                try await auth.addUser(id, displayName: "K. Novak", password: "correct horse battery", grants: [RoleGrant(role: "wizard")], by: .tool("admin"))
            }
            _ = try await auth.addUser(id, displayName: "K. Novak", password: "correct horse battery", grants: [RoleGrant(role: "case_officer", office: "NORTH-1")], by: .tool("admin"))
            await #expect(throws: IdentityError.userExists("")) { try await auth.addUser(id, displayName: "x", password: "correct horse battery", grants: [], by: .tool("admin")) }
            _ = try await auth.signIn(id, password: "correct horse battery", code: nil, origin: "test")

            // Enrol MFA.
            let (secret, uri) = try await auth.beginEnrolment(id, issuer: "Accord")
            #expect(uri.contains("secret=\(Base32.encode(secret))"))
            let totp = TOTP(secret: secret)
            let recovery = try await auth.confirmEnrolment(id, secret: secret, code: totp.code(at: clock.now))
            #expect(recovery.count == 10)
            let stored = try #require(try await auth.users.user(id))
            #expect(stored.totpSecret == secret && !stored.recoveryCodeHashes.contains(recovery[0]))

            // The code used for enrolment cannot be replayed; the next one works once.
            await #expect(throws: IdentityError.loginFailed) { try await auth.signIn(id, password: "correct horse battery", code: totp.code(at: clock.now), origin: nil) }
            clock.advance(by: 30)
            let next = totp.code(at: clock.now)
            _ = try await auth.signIn(id, password: "correct horse battery", code: next, origin: nil)
            await #expect(throws: IdentityError.loginFailed) { try await auth.signIn(id, password: "correct horse battery", code: next, origin: nil) }
            await #expect(throws: IdentityError.loginFailed) { try await auth.signIn(id, password: "correct horse battery", code: nil, origin: nil) }
            // A recovery code works once.
            _ = try await auth.signIn(id, password: "correct horse battery", code: recovery[3].lowercased(), origin: nil)
            await #expect(throws: IdentityError.loginFailed) { try await auth.signIn(id, password: "correct horse battery", code: recovery[3], origin: nil) }

            // Five failures lock the account, even for the right password, until the lockout ends.
            clock.advance(by: 30)
            for _ in 0..<5 {
                await #expect(throws: IdentityError.loginFailed) { try await auth.signIn(id, password: "wrong password!!", code: totp.code(at: clock.now), origin: nil) }
            }
            clock.advance(by: 30)
            await #expect(throws: IdentityError.loginFailed) { try await auth.signIn(id, password: "correct horse battery", code: totp.code(at: clock.now), origin: nil) }
            clock.advance(by: 15 * 60)
            _ = try await auth.signIn(id, password: "correct horse battery", code: totp.code(at: clock.now), origin: nil)

            // Unknown users fail the same way; every attempt is audited.
            await #expect(throws: IdentityError.loginFailed) { try await auth.signIn(UserID("nobody")!, password: "x", code: nil, origin: nil) }
            let logins = await audit.events.filter { $0.action == .login }
            #expect(logins.filter { $0.outcome == .denied }.count >= 10)
            #expect(logins.contains { $0.actor == "nobody" && $0.outcome == .denied })
        }
    }

    @Test(arguments: TestDatabase.all)
    func disabledAccountsCannotSignIn(_ database: TestDatabase) async throws {
        try await withAuth(database) { auth, _, _ in
            let id = UserID("s.dubois")!
            _ = try await auth.addUser(id, displayName: "S. Dubois", password: "another long password", grants: [RoleGrant(role: "supervisor", office: "SOUTH-2")], by: .tool("admin"))
            _ = try await auth.change(id, by: .tool("admin"), purpose: "disable") { $0.disabled = true }
            await #expect(throws: IdentityError.loginFailed) { try await auth.signIn(id, password: "another long password", code: nil, origin: nil) }
        }
    }
}

@Suite struct AccessPolicyTests {
    @Test func scopesAndCaseTypesAreEnforced() {
        let policy = AccessPolicy.standard
        let officer = [RoleGrant(role: "case_officer", office: "NORTH-1")]
        #expect(policy.allows(officer, .viewCase, on: .init(office: "NORTH-1", caseType: "asylum")))
        #expect(!policy.allows(officer, .viewCase, on: .init(office: "SOUTH-2", caseType: "asylum")))
        #expect(!policy.allows(officer, .decide, on: .init(office: "NORTH-1")))
        let legal = [RoleGrant(role: "legal_officer")]
        #expect(policy.allows(legal, .viewCase, on: .init(office: "SOUTH-2", caseType: "appeal")))
        #expect(!policy.allows(legal, .viewCase, on: .init(office: "SOUTH-2", caseType: "visa")))
        #expect(policy.purposeRequired(legal) && !policy.purposeRequired(officer))
        #expect(!policy.allows([RoleGrant(role: "administrator")], .viewPerson, on: .init(office: "NORTH-1")))
        #expect(!policy.allows([RoleGrant(role: "unknown")], .viewCase))
    }

    static var file: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Profiles/access/roles.yaml")
    }

    @Test func theProfileIsTheStandardPolicyAndLoads() throws {
        let generated = try AccessPolicyFile.yaml(.standard)
        if ProcessInfo.processInfo.environment["ACCORD_REGENERATE_DOCS"] == "1" {
            try generated.write(to: Self.file, atomically: true, encoding: .utf8)
        }
        let text = try String(contentsOf: Self.file, encoding: .utf8)
        #expect(text == generated, "stale: ACCORD_REGENERATE_DOCS=1 swift test --filter AccessPolicyTests")
        #expect(try AccessPolicyFile.load(text) == .standard)
        #expect(throws: ServerError(code: "config.access_policy_invalid", reason: "")) {
            try AccessPolicyFile.load(text.replacingOccurrences(of: "- view_case", with: "- view_everything"))
        }
        #expect(throws: ServerError(code: "config.access_policy_invalid", reason: "")) {
            try AccessPolicyFile.load(text.replacingOccurrences(of: "- administer", with: "- export"))
        }
    }
}

@Suite struct SessionTests {
    @Test(arguments: TestDatabase.all)
    func sessionsEndWhenIdleOrOldOrWhenTheUserIsDisabled(_ database: TestDatabase) async throws {
        try await database.withStore { store, _ in
            let clock = ManualWallClock(Fixtures.referenceDate)
            let users = SQLUserRepository(store: store, cipher: try await TestDatabase.cipher(for: store))
            let auth = AuthenticationService(users: users, hasher: BcryptPasswordHasher(cost: 4), audit: InMemoryAuditTrail(), clock: clock, policy: .standard)
            let sessions = SQLSessionRepository(store: store)
            let account = try await auth.addUser(UserID("k.novak")!, displayName: "K", password: "a long enough password", grants: [], by: .tool("admin"))
            let policy = SessionPolicy(idle: 600, absolute: 3_600)
            let (secret, session) = try await auth.startSession(for: account, sessions: sessions)
            #expect(session.enrolmentOnly)
            #expect(try await auth.resumeSession(secret, sessions: sessions, policy: policy) != nil)
            clock.advance(by: 599)
            #expect(try await auth.resumeSession(secret, sessions: sessions, policy: policy) != nil)
            clock.advance(by: 601)
            #expect(try await auth.resumeSession(secret, sessions: sessions, policy: policy) == nil)
            #expect(try await sessions.session(idHash: Session.hash(secret)) == nil)
            // Absolute age.
            let (long, _) = try await auth.startSession(for: account, sessions: sessions)
            for _ in 0..<7 {
                clock.advance(by: 500)
                #expect(try await auth.resumeSession(long, sessions: sessions, policy: policy) != nil)
            }
            clock.advance(by: 500)
            #expect(try await auth.resumeSession(long, sessions: sessions, policy: policy) == nil)
            // Disabled users lose their sessions.
            let (third, _) = try await auth.startSession(for: account, sessions: sessions)
            _ = try await auth.change(account.id, by: .tool("admin"), purpose: "disable") { $0.disabled = true }
            #expect(try await auth.resumeSession(third, sessions: sessions, policy: policy) == nil)
            #expect(try await auth.resumeSession("forged", sessions: sessions, policy: policy) == nil)
        }
    }
}
