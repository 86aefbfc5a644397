import AccordCore
import AccordServer
import AccordTesting
import Casework
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Identity
import Testing

@Suite struct ConsoleSignInTests {
    func withBrowser<T: Sendable>(_ node: AccordNode, _ body: @escaping @Sendable (ConsoleBrowser) async throws -> T) async throws -> T {
        let application = Application(router: try await node.makeRouter())
        return try await application.test(.router) { client in try await body(ConsoleBrowser(client: client)) }
    }

    @Test(arguments: TestDatabase.all)
    func signInEnrolsMFAAndProtectsEveryForm(_ database: TestDatabase) async throws {
        try await database.withNode { node in
            _ = try await node.makeConsoleUser("new.officer", grants: [RoleGrant(role: "tester")], mfa: false)
            try await withBrowser(node) { browser in
                // Nothing without a session.
                let anonymous = try await browser.get("/console/cases")
                #expect(anonymous.status == .seeOther && anonymous.headers[.location] == "/console/login")
                // The login form needs its CSRF token.
                let forged = try await browser.post("/console/login", form: ["user": "new.officer", "password": AccordNode.consolePassword, "csrf": "guess"])
                #expect(forged.status == .forbidden && forged.html.contains("console.csrf_failed"))
                let wrong = try await browser.signIn("new.officer", password: "not the password")
                #expect(wrong.status == .unauthorized && wrong.html.contains("identity.login_failed"))
                // Password alone opens only MFA enrolment.
                let first = try await browser.signIn("new.officer", password: AccordNode.consolePassword)
                #expect(first.status == .seeOther)
                let cookie = try #require(first.headers[values: .setCookie].first { $0.hasPrefix("accord_session=") })
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Secure"))
                let blocked = try await browser.get("/console/cases")
                #expect(blocked.status == .seeOther && blocked.headers[.location] == "/console/mfa")
                let enrol = try await browser.get("/console/mfa")
                let secretText = try #require(enrol.field("secret"))
                let csrf = try #require(enrol.field("csrf"))
                let secret = try #require(Base32.decode(secretText))
                #expect(enrol.html.contains("otpauth://totp/"))
                #expect(enrol.html.contains("<svg") && enrol.html.contains("aria-label=\"QR code\""))
                let bad = try await browser.post("/console/mfa", form: ["csrf": csrf, "secret": secretText, "code": "000000"])
                #expect(bad.status == .badRequest)
                let noCSRF = try await browser.post("/console/mfa", form: ["secret": secretText, "code": TOTP(secret: secret).code(at: Date())])
                #expect(noCSRF.status == .forbidden)
                let done = try await browser.post("/console/mfa", form: ["csrf": csrf, "secret": secretText, "code": TOTP(secret: secret).code(at: Date())])
                #expect(done.status == .ok && done.html.components(separatedBy: "<li><code>").count == 11)
                #expect(try await browser.get("/console/cases").status == .ok)
                // Sign-out needs the session's CSRF token, then ends the session.
                let page = try await browser.get("/console/cases")
                #expect(try await browser.post("/console/logout", form: [:]).status == .forbidden)
                let out = try await browser.post("/console/logout", form: ["csrf": page.field("csrf") ?? ""])
                #expect(out.status == .seeOther && browser.cookies["accord_session"] == nil)
                #expect(try await browser.get("/console/cases").status == .seeOther)
            }
        }
    }

    /// A stolen session cannot replace the second factor: the password and a code of the
    /// current one are required, and nothing changes without them.
    @Test(arguments: TestDatabase.all)
    func replacingTheSecondFactorNeedsPasswordAndCurrentCode(_ database: TestDatabase) async throws {
        try await database.withNode { node in
            try await node.withConsole(as: "k.officer", grants: [RoleGrant(role: "tester")]) { browser in
                let original = try #require(try await node.authentication().users.user(UserID("k.officer")!)?.totpSecret)
                let enrol = try await browser.get("/console/mfa")
                #expect(enrol.html.contains("name=\"password\"") && enrol.html.contains("name=\"currentCode\""))
                let secretText = try #require(enrol.field("secret"))
                let csrf = try #require(enrol.field("csrf"))
                let newCode = TOTP(secret: try #require(Base32.decode(secretText))).code(at: Date())
                let currentCode = TOTP(secret: original).code(at: Date().addingTimeInterval(30))
                let attempts: [[String: String]] = [
                    ["csrf": csrf, "secret": secretText, "code": newCode],
                    ["csrf": csrf, "secret": secretText, "code": newCode, "password": AccordNode.consolePassword],
                    ["csrf": csrf, "secret": secretText, "code": newCode, "currentCode": currentCode],
                    ["csrf": csrf, "secret": secretText, "code": newCode, "password": "wrong password!", "currentCode": currentCode],
                ]
                for form in attempts {
                    let refused = try await browser.post("/console/mfa", form: form)
                    #expect(refused.status == .badRequest && refused.html.contains("identity.login_failed"), "\(form.keys.sorted())")
                    #expect(try await node.authentication().users.user(UserID("k.officer")!)?.totpSecret == original)
                }
                _ = try await node.authentication().change(UserID("k.officer")!, by: .tool("test"), purpose: "unlock") { $0.failedAttempts = 0 }
                let replaced = try await browser.post("/console/mfa", form: ["csrf": csrf, "secret": secretText, "code": newCode,
                                                                             "password": AccordNode.consolePassword, "currentCode": currentCode])
                #expect(replaced.status == .ok && replaced.html.components(separatedBy: "<li><code>").count == 11)
                #expect(try await node.authentication().users.user(UserID("k.officer")!)?.totpSecret == Base32.decode(secretText))
            }
            #expect(try await node.auditLog.entries().contains { $0.event.actor == "k.officer" && $0.event.purpose == "replace MFA" })
        }
    }

    /// Unknown and real users cost the same bcrypt work: the decoy hash has the hasher's cost.
    @Test func unknownUsersCostTheSameBcryptWork() {
        let hasher = BcryptPasswordHasher(cost: 10)
        #expect(hasher.decoyHash.hasPrefix("$2b$10$") && hasher.decoyHash.count == 60)
        #expect(!hasher.verify("anything", hash: hasher.decoyHash))
    }

    @Test(arguments: TestDatabase.all)
    func officersSeeOnlyTheirOffice(_ database: TestDatabase) async throws {
        try await database.withNode { node in
            let p1 = try await node.service.registerPerson(Fixtures.person(), by: .system)
            let p2 = try await node.service.registerPerson(Fixtures.person(given: "Lina", family: "Haddad", nationality: "SYR", native: nil, passport: nil), by: .system)
            let north = try await node.service.openCase(Fixtures.caseInput(principal: p1, office: "NORTH-1"), by: .system)
            let south = try await node.service.openCase(Fixtures.caseInput(principal: p2, office: "SOUTH-2"), by: .system)
            try await node.withConsole(as: "officer.north", grants: [RoleGrant(role: "case_officer", office: "NORTH-1")]) { browser in
                let list = try await browser.get("/console/cases")
                #expect(list.html.contains(north.number.text) && !list.html.contains(south.number.text))
                #expect(list.html.contains("KARIMI, Ahmad") && !list.html.contains("HADDAD"))
                let other = try await browser.get("/console/cases/\(south.number.text)")
                #expect(other.status == .forbidden && other.html.contains("identity.forbidden"))
                let search = try await browser.get("/console/persons?name=haddad")
                #expect(!search.html.contains("HADDAD"))
            }
        }
    }
}
