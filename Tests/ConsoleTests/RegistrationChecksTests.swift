import AccordServer
import AccordTesting
import Casework
import Foundation
import Identity
import Testing

/// Registering a person checks their documents against the police (SLTD) and reads the border
/// history over the node's adapters; the person page shows the answers as a panel, a police hit
/// opens a supervisor's task on their cases, and a system that cannot be asked is "not verified".
@Suite struct RegistrationChecksTests {
    @Test(arguments: TestDatabase.all)
    func aStolenPassportIsAHitAndASupervisorGetsATask(_ database: TestDatabase) async throws {
        let simulators = try await SimulatorHarness.start(morocco: nil, belgium: try ExternalTool.temporaryDirectory().appendingPathComponent("belgium"))
        var configuration = NodeConfiguration(nodeName: "Test node")
        configuration.adaptersDirectory = simulators.agencies[0].manifestFile.deletingLastPathComponent().deletingLastPathComponent().path
        do {
            try await database.withNode(configuration: configuration) { node in
                try await node.withConsole(as: "clerk", grants: [RoleGrant(role: "registry_clerk", office: "HQ-ASYLUM")]) { browser in
                    let form = try await browser.get("/console/persons/new")
                    let csrf = try #require(form.field("csrf"))
                    let registered = try await browser.post("/console/persons/new", form: [
                        "csrf": csrf, "family": "Haddad", "given": "Rami", "dateOfBirth": "1994-05-06", "sex": "M", "nationality": "SYR",
                        "documentKind": "passport", "documentNumber": "EP7731245", "issuingCountry": "SYR",
                    ])
                    #expect(registered.status == .seeOther, "\(registered.html.prefix(800))")
                    let location = try #require(registered.headers[.location])
                    let page = try await browser.get(location).html
                    #expect(page.contains("Checks with national systems") && page.contains("role=\"alert\""), "\(page)")
                    #expect(page.contains("Lost and stolen documents") && page.contains(">HIT<") && page.contains("reported stolen by TUR on 2026-02-11"))
                    #expect(page.contains("ref. SLTD-2026-TR-7731245") && page.contains("Watchlist") && page.contains(">No hit<"))
                    #expect(page.contains("Border crossings") && page.contains(">No record<"))
                    #expect(page.contains("Belgium — federal police, SLTD and watchlist (simulated)"))

                    let id = try #require(Person.ID(String(location.split(separator: "/").last ?? "")))
                    let checks = try await node.service.checks(of: id, by: .system)
                    #expect(Set(checks.map(\.outcome)) == [.hit, .noHit, .notFound])
                    // What matched is sealed with the person's key; the audit trail names fields, not values.
                    #expect(try await ClearTextScan.find(["EP7731245", "SLTD-2026-TR-7731245", "stolen by TUR"], in: node.store).isEmpty)
                    let audit = try await node.auditLog.entries(from: 1, limit: 500).filter { $0.event.resourceType == "adapter_call" }
                    #expect(audit.count == 3 && audit.allSatisfy { $0.event.actor == "clerk" && $0.event.resourceRef.contains("person \(id.rawValue)") })
                    #expect(audit.contains { $0.event.resourceRef.contains("bel-police sltd") && $0.event.resourceRef.contains("fields documents;") })

                    // The hit reaches the workflow of the case opened for the person: a supervisor's task.
                    let opened = try await node.service.openCase(Fixtures.caseInput(principal: try await node.service.person(id, by: .system)), by: .system)
                    let tasks = try await node.service.tasks(of: opened.number, by: .system)
                    #expect(tasks.contains { $0.team == "supervisor" && $0.priority == .urgent && $0.title.hasPrefix("Police hit") }, "\(tasks)")
                    #expect(try await node.service.history(opened.number, by: .system).contains { $0.action == .checkRecorded && $0.summary.contains("TUR") })

                    // A second check while the person has an open case: the task comes at once.
                    let before = try await node.service.tasks(of: opened.number, by: .system).count
                    let again = try await browser.post("/console/persons/\(id.rawValue)/checks", form: ["csrf": csrf])
                    #expect(again.status == .seeOther)
                    #expect(try await node.service.tasks(of: opened.number, by: .system).count == before + 1)

                    // The systems go away: registration goes on, every check "not verified" with the reason.
                    await simulators.stop()
                    let offline = try await browser.post("/console/persons/new", form: [
                        "csrf": csrf, "family": "Mansour", "given": "Lina", "dateOfBirth": "1999-09-09", "sex": "F", "nationality": "SYR",
                        "documentKind": "passport", "documentNumber": "EP1000001", "issuingCountry": "SYR", "confirm": "1",
                    ])
                    #expect(offline.status == .seeOther)
                    let offlinePage = try await browser.get(try #require(offline.headers[.location])).html
                    #expect(offlinePage.contains(">Not verified<") && offlinePage.contains("adapter.unavailable") && !offlinePage.contains(">No hit<"))
                }
            }
        } catch {
            await simulators.stop()
            throw error
        }
        await simulators.stop()
    }
}
