@testable import AccordServer
import AccordCore
import AccordTesting
import Casework
import Foundation
import Identity
import Testing

/// Differentiated asylum processing from Profiles/triage/asylum.yaml: the rules that fire, in
/// their order; triage after lodging through the service; the override; similar profiles.
@Suite struct TriageTests {
    static func shipped() throws -> TriageRules {
        let engine = try NodeConfiguration().workflowEngine()
        return try #require(engine.triage[.asylum])
    }

    @Test func theShippedRulesFireInTheirOrder() throws {
        let rules = try Self.shipped()
        func track(_ facts: TriageFacts) -> (String, String?) {
            let result = rules.evaluate(facts)
            return (result.track, result.rule)
        }
        #expect(track(TriageFacts(nationality: "GEO", sex: "M", claimType: "first_application", specificNeeds: "none", age: 30)) == ("accelerated", "safe_country_of_origin"))
        // Vulnerability comes before the safe country of origin.
        #expect(track(TriageFacts(nationality: "GEO", claimType: "first_application", specificNeeds: "victim_of_torture", age: 30)) == ("prioritised", "specific_needs"))
        #expect(track(TriageFacts(nationality: "ALB", claimType: "first_application", age: 16)) == ("prioritised", "unaccompanied_minor"))
        #expect(track(TriageFacts(nationality: "FRA", claimType: "subsequent_application", age: 40, previousApplications: 1)) == ("accelerated", "subsequent_application"))
        #expect(track(TriageFacts(nationality: "FRA", claimType: "subsequent_application", age: 40, previousApplications: 0)) == ("regular", nil),
                "a subsequent application the case file does not know of is not accelerated")
        #expect(track(TriageFacts(nationality: "SYR", claimType: "first_application", age: 25)) == ("prioritised", "high_recognition"))
        #expect(track(TriageFacts(nationality: "COL", claimType: "first_application", age: 25)) == ("regular", nil))
        // Unknown age never makes a minor, and is said so.
        let unknown = rules.evaluate(TriageFacts(nationality: "COL", claimType: "first_application"))
        #expect(unknown.track == "regular")
        let reasons = rules.evaluate(TriageFacts(nationality: "GEO", claimType: "first_application", age: 30)).reasons
        #expect(reasons == ["nationality GEO is one of ALB, BIH, GEO, MDA, MKD, MNE, SRB, IND"])
    }

    @Test func agesFromPartialDatesGiveTheBenefitOfTheDoubt() {
        let today = CalendarDate("2026-06-15")!
        #expect(CaseworkService.age(born: PartialDate("2008-06-16")!, on: today) == 17)
        #expect(CaseworkService.age(born: PartialDate("2008-06-15")!, on: today) == 18)
        #expect(CaseworkService.age(born: PartialDate("2008")!, on: today) == 17, "born some time in 2008: possibly still 17")
        #expect(CaseworkService.age(born: PartialDate("2008-05")!, on: today) == 18)
    }

    static let officer = Caller.user(UserID("a.martin")!)
    static let supervisor = Caller.user(UserID("h.supervisor")!)

    func lodge(_ service: CaseworkService, nationality: String, born: String = "1990-01-01") async throws -> Case {
        let person = try await service.registerPerson(Fixtures.person(nationality: nationality, dateOfBirth: born), by: .system)
        let opened = try await service.openCase(Fixtures.caseInput(principal: person), by: Self.officer)
        _ = try await service.attachDocument(opened.number, metadata: DocumentMetadataInput(kind: "application"), mediaType: "application/pdf", bytes: Fixtures.pdf, by: Self.officer)
        return try await service.takeTransition(opened.number, TransitionInput(transition: "lodge", expectedVersion: opened.version,
                                                                               fields: ["claimType": "first_application", "specificNeeds": "none"]), by: Self.officer)
    }

    @Test(arguments: TestDatabase.all)
    func lodgingTriagesASupervisorOverridesAndSimilarProfilesAreCounted(_ database: TestDatabase) async throws {
        try await database.withService { service, _, _ in
            var record = try await lodge(service, nationality: "GEO")
            #expect(record.triage == CaseTriage(track: "accelerated", rule: "safe_country_of_origin"))
            #expect(record.fields["track"] == "accelerated")
            let history = try await service.history(record.number, by: Self.officer)
            #expect(history.contains { $0.action == .triaged && $0.summary.contains("nationality GEO is one of") })
            #expect(try await service.events(record.number, by: Self.officer).contains { $0.name == "triage.accelerated" })

            // The override: supervisors only (permission reassign), with a reason, to a known track.
            let officerWithRole = Caller(user: UserID("a.martin")!, grants: [RoleGrant(role: "case_officer", office: "HQ-ASYLUM")])
            let supervisorWithRole = Caller(user: UserID("h.supervisor")!, grants: [RoleGrant(role: "supervisor", office: "HQ-ASYLUM")])
            #expect(await errorCode { _ = try await service.overrideTriage(record.number, track: "regular", reason: "x", expectedVersion: record.version, by: officerWithRole) }
                    == "identity.forbidden")
            #expect(await errorCode { _ = try await service.overrideTriage(record.number, track: "regular", reason: nil, expectedVersion: record.version, by: supervisorWithRole) }
                    == "triage.reason_required")
            #expect(await errorCode { _ = try await service.overrideTriage(record.number, track: "fast", reason: "x", expectedVersion: record.version, by: supervisorWithRole) }
                    == "triage.unknown_track")
            record = try await service.overrideTriage(record.number, track: "regular", reason: "torture scars noted at registration; needs a full examination",
                                                      expectedVersion: record.version, by: supervisorWithRole)
            #expect(record.triage == CaseTriage(track: "regular", rule: "safe_country_of_origin", overriddenBy: UserID("h.supervisor")))
            #expect(record.fields["track"] == "regular")
            #expect(try await service.history(record.number, by: Self.officer).last?.summary == "Track overridden: accelerated → regular. Reason: torture scars noted at registration; needs a full examination")

            // Similar profiles: no rate under five decided cases, then the share recognised.
            #expect(try await service.triageInsight(record)?.rate == nil)
            let walker = WorkflowWalker(service: service, officer: Self.officer, supervisor: Self.supervisor)
            for index in 0..<5 {
                let similar = try await lodge(service, nationality: "SRB")
                try await walker.walk(similar.number, outcome: index == 0 ? "refugee_status" : "rejected_unfounded")
            }
            let insight = try #require(try await service.triageInsight(record))
            #expect(insight.decided == 5 && insight.recognised == 1 && insight.rate == 0.2)
        }
    }
}
