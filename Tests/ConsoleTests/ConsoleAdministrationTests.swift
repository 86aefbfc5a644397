import AccordCore
import AccordServer
import AccordTesting
import Casework
import Foundation
import Identity
import Testing

@Suite struct ConsoleAdministrationTests {
    @Test(arguments: TestDatabase.all)
    func administratorsManageUsersAndSeeNoCases(_ database: TestDatabase) async throws {
        try await database.withNode { node in
            let person = try await node.service.registerPerson(Fixtures.person(), by: .system)
            _ = try await node.service.openCase(Fixtures.caseInput(principal: person, office: "NORTH-1"), by: .system)
            try await node.withConsole(as: "root", grants: [RoleGrant(role: "administrator")]) { browser in
                let page = try await browser.get("/console/admin/users")
                #expect(page.status == .ok && page.html.contains("root"))
                let csrf = try #require(page.field("csrf"))
                #expect(try await browser.post("/console/admin/users", form: ["id": "k.new", "name": "K New", "roles": "case_officer@north-1"]).status == .forbidden)
                let added = try await browser.post("/console/admin/users", form: ["csrf": csrf, "id": "k.new", "name": "K New", "roles": "case_officer@north-1"])
                #expect(added.status == .ok && added.html.contains("Initial password (shown once)") && added.html.contains("case_officer@NORTH-1"))
                let unknownRole = try await browser.post("/console/admin/users", form: ["csrf": csrf, "id": "k.other", "name": "X", "roles": "wizard"])
                #expect(unknownRole.status == .badRequest && unknownRole.html.contains("identity.unknown_role"))
                let disabled = try await browser.post("/console/admin/users/k.new/disable", form: ["csrf": csrf])
                #expect(disabled.status == .seeOther)
                #expect(try await browser.get("/console/admin/users").html.contains("disabled"))
                // Administrators see no case data.
                let cases = try await browser.get("/console/cases")
                #expect(cases.html.contains("0 found"))
                #expect(try await browser.get("/console/audit").status == .forbidden)
            }
            let account = try #require(try await node.authentication().users.user(UserID("k.new")!))
            #expect(account.disabled && account.grants == [RoleGrant(role: "case_officer", office: "NORTH-1")])
        }
    }

    /// Every administrative action by every role without `administer` is refused with 403
    /// before any effect: no account added, disabled, enabled, unlocked or stripped of its MFA.
    @Test(arguments: TestDatabase.all)
    func everyAdminActionByEveryOtherRoleIsRefusedWithoutEffect(_ database: TestDatabase) async throws {
        try await database.withNode { node in
            let auth = try node.authentication()
            let roles = auth.policy.roles.keys.sorted().filter { !auth.policy.allows([RoleGrant(role: $0)], .administer) }
            #expect(roles.count >= 8)
            _ = try await node.makeConsoleUser("root.admin", grants: [RoleGrant(role: "administrator")])
            _ = try await node.makeConsoleUser("locked.one", grants: [RoleGrant(role: "case_officer", office: "NORTH-1")])
            _ = try await auth.change(UserID("locked.one")!, by: .tool("test"), purpose: "lock") {
                $0.failedAttempts = 5
                $0.lockedUntil = Date().addingTimeInterval(3_600)
            }
            _ = try await node.makeConsoleUser("gone.one", grants: [RoleGrant(role: "case_officer", office: "NORTH-1")])
            try await auth.setDisabled(UserID("gone.one")!, true, by: .tool("test"))
            for role in roles {
                let actor = "actor.\(role.replacingOccurrences(of: "_", with: "-"))"
                let before = try await node.authentication().users.users().sorted { $0.id.rawValue < $1.id.rawValue }
                try await node.withConsole(as: actor, grants: [RoleGrant(role: role, office: "NORTH-1")]) { browser in
                    let csrf = try #require(try await browser.get("/console/cases").field("csrf"))
                    let attempts: [(String, [String: String])] = [
                        ("/console/admin/users", ["csrf": csrf, "id": "evil.admin", "name": "Evil", "roles": "administrator"]),
                        ("/console/admin/users/root.admin/reset-mfa", ["csrf": csrf]),
                        ("/console/admin/users/root.admin/disable", ["csrf": csrf]),
                        ("/console/admin/users/gone.one/enable", ["csrf": csrf]),
                        ("/console/admin/users/locked.one/enable", ["csrf": csrf]),
                    ]
                    for (path, form) in attempts {
                        let page = try await browser.post(path, form: form)
                        #expect(page.status == .forbidden && page.html.contains("identity.forbidden"), "\(role) \(path): \(page.status)")
                    }
                    #expect(try await browser.get("/console/admin/users").status == .forbidden)
                }
                let after = try await node.authentication().users.users().filter { $0.id.rawValue != actor }.sorted { $0.id.rawValue < $1.id.rawValue }
                #expect(after.map(\.id) == before.map(\.id), "\(role) added or removed an account")
                for (old, new) in zip(before, after) {
                    #expect(old.disabled == new.disabled && old.lockedUntil == new.lockedUntil && old.totpSecret == new.totpSecret && old.grants == new.grants,
                            "\(role) changed \(old.id)")
                }
            }
            // The service refuses too, whatever edge calls it, and the refusal names the real actor.
            let officer = Administrator(user: "k.officer", role: "case_officer", origin: "console", grants: [RoleGrant(role: "case_officer", office: "NORTH-1")])
            await #expect(throws: IdentityError.forbidden) { try await auth.resetMFA(UserID("root.admin")!, by: officer) }
            await #expect(throws: IdentityError.forbidden) {
                try await auth.addUser(UserID("evil.two")!, displayName: "E", password: "a long enough password", grants: [RoleGrant(role: "administrator")], by: officer)
            }
            #expect(try await auth.users.user(UserID("evil.two")!) == nil)
            #expect(try await auth.users.user(UserID("root.admin")!)?.totpSecret != nil)
            let denied = try await node.auditLog.entries().filter { $0.event.action == .administer && $0.event.outcome == .denied }
            #expect(denied.contains { $0.event.actor == "k.officer" && $0.event.role == "case_officer" && $0.event.origin == "console" })
        }
    }

    @Test(arguments: TestDatabase.all)
    func administratorActionsAreAuditedUnderTheRealActor(_ database: TestDatabase) async throws {
        try await database.withNode { node in
            try await node.withConsole(as: "root", grants: [RoleGrant(role: "administrator")]) { browser in
                let csrf = try #require(try await browser.get("/console/admin/users").field("csrf"))
                #expect(try await browser.post("/console/admin/users", form: ["csrf": csrf, "id": "k.new", "name": "K New", "roles": "case_officer@north-1"]).status == .ok)
                #expect(try await browser.post("/console/admin/users/k.new/disable", form: ["csrf": csrf]).status == .seeOther)
            }
            let entries = try await node.auditLog.entries().filter { $0.event.action == .administer && $0.event.resourceRef == "k.new" }
            #expect(entries.count == 2)
            #expect(entries.allSatisfy { $0.event.actor == "root" && $0.event.role == "administrator" && $0.event.origin == "console" && $0.event.outcome == .allowed })
        }
    }

    @Test(arguments: TestDatabase.all)
    func auditorsSeeTheVerifiedTrailAndOfficersDoNot(_ database: TestDatabase) async throws {
        try await database.withNode { node in
            _ = try await node.service.registerPerson(Fixtures.person(), by: .system)
            try await node.withConsole(as: "auditor.one", grants: [RoleGrant(role: "auditor")]) { browser in
                let page = try await browser.get("/console/audit")
                #expect(page.status == .ok && page.html.contains("intact") && page.html.contains("person"))
                #expect(page.html.contains("login"))
                #expect(try await browser.get("/console/admin/users").status == .forbidden)
            }
            try await node.withConsole(as: "officer.two", grants: [RoleGrant(role: "case_officer", office: "NORTH-1")]) { browser in
                let page = try await browser.get("/console/audit")
                #expect(page.status == .forbidden && page.html.contains("identity.forbidden"))
            }
            #expect(try await node.auditLog.entries().contains { $0.event.resourceType == "audit_trail" && $0.event.actor == "auditor.one" })
        }
    }

    @Test func legalOfficersStateAPurposeOnThePage() async throws {
        try await TestDatabase.sqlite.withNode { node in
            let person = try await node.service.registerPerson(Fixtures.person(), by: .system)
            let appeal = try await node.service.openCase(Fixtures.caseInput(principal: person, type: .appeal, office: "SOUTH-2"), by: .system)
            try await node.withConsole(as: "legal.one", grants: [RoleGrant(role: "legal_officer")]) { browser in
                let refused = try await browser.get("/console/cases/\(appeal.number.text)")
                #expect(refused.status == .forbidden && refused.html.contains("identity.purpose_required"))
                #expect(refused.html.contains("action=\"/console/cases/\(appeal.number.text)\"") && refused.html.contains("name=\"purpose\""))
                let page = try await browser.get("/console/cases/\(appeal.number.text)?purpose=appeal%20hearing%2012")
                #expect(page.status == .ok && page.html.contains(appeal.number.text))
            }
            #expect(try await node.auditLog.entries().contains { $0.event.actor == "legal.one" && $0.event.purpose == "appeal hearing 12" })
        }
    }
}
