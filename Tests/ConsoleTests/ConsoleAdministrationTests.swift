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
