import AccordCore
import AccordServer
import AccordTesting
import Casework
import Foundation
import HTTPTypes
import Identity
import Testing

/// Agencies calling in: good, duplicate and malformed reports on both databases.
@Suite struct AgencyAPITests {
    static let key = HTTPField.Name("Idempotency-Key")!

    static func exit(_ number: String, at: String = "2026-03-01T08:15:00Z") -> String {
        #"{"document": {"kind": "passport", "number": "\#(number)", "issuingCountry": "AFG"}, "at": "\#(at)", "crossingPoint": {"code": "BRU", "name": "Brussels Airport"}, "reference": "BE-EES-1"}"#
    }

    @Test(arguments: TestDatabase.all)
    func anExitCompletesAReturnAndARepeatHasNoSecondEffect(_ database: TestDatabase) async throws {
        try await database.withNode { node in
            let person = try await node.service.registerPerson(Fixtures.person(passport: "P01234567"), by: .system)
            let officer = Caller(user: UserID("a.martin")!), supervisor = Caller(user: UserID("h.supervisor")!)
            let opened = try await node.service.openCase(Fixtures.caseInput(principal: person, type: .return, office: "NORTH-1"), by: .system)
            let walker = WorkflowWalker(service: node.service, officer: officer, supervisor: supervisor)
            for _ in 0..<6 where try await node.service.caseRecord(opened.number, by: .system).state != "voluntary_departure" {
                try await walker.step(opened.number, outcome: "return_decision")
            }
            #expect(try await node.service.caseRecord(opened.number, by: .system).state == "voluntary_departure")
            try await node.withClient { api in
                let first = try await api.call(.post, "/api/v1/agency/exits", json: Self.exit("P0123 4567"), user: "border.agency", headers: [Self.key: "exit-0001"])
                #expect(first.status == .ok, "\(String(decoding: first.bytes, as: UTF8.self))")
                #expect(first["matchedPersons"] as? Int == 1)
                let effects = try #require(first["effects"] as? [[String: Any]])
                #expect(effects.map { $0["effect"] as? String } == ["transition to departed"] && effects[0]["caseNumber"] as? String == opened.number.text)
                #expect(!String(decoding: first.bytes, as: UTF8.self).contains("Karimi"))
                let departed = try await node.service.caseRecord(opened.number, by: .system)
                #expect(departed.state == "departed")
                let history = try await node.service.history(opened.number, by: .system).count

                // The same report again: the first answer, no second effect.
                let again = try await api.call(.post, "/api/v1/agency/exits", json: Self.exit("P0123 4567"), user: "border.agency", headers: [Self.key: "exit-0001"])
                #expect(again.status == .ok && again.bytes == first.bytes && again.headers[HTTPField.Name("Idempotent-Replay")!] == "true")
                #expect(try await node.service.history(opened.number, by: .system).count == history)
                // The key for another report: refused.
                let reused = try await api.call(.post, "/api/v1/agency/exits", json: Self.exit("X999"), user: "border.agency", headers: [Self.key: "exit-0001"])
                #expect(reused.status.code == 422 && reused.errorCode == "agency.idempotency_key_reused")
                // No key; a bad report (every problem with its path); someone who is not an agency.
                let unkeyed = try await api.call(.post, "/api/v1/agency/exits", json: Self.exit("P01234567"), user: "border.agency")
                #expect(unkeyed.status == .badRequest && unkeyed.errorCode == "agency.idempotency_key_required")
                let bad = try await api.call(.post, "/api/v1/agency/exits", json: #"{"document": {"number": "", "issuingCountry": "XX"}, "at": "yesterday", "crossingPoint": {}}"#,
                                             user: "border.agency", headers: [Self.key: "exit-0002"])
                let paths = Set(((bad["error"] as? [String: Any])?["details"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String })
                #expect(bad.status == .badRequest && paths == ["document.number", "document.issuingCountry", "at", "crossingPoint.code"], "\(paths)")
                let unknown = try await api.call(.post, "/api/v1/agency/exits", json: #"{"documnet": {}}"#, user: "border.agency", headers: [Self.key: "exit-0003"])
                #expect(unknown.status == .badRequest && unknown.errorCode == "api.unknown_member")
                // A refused report did not use up its key: corrected, it goes through.
                let corrected = try await api.call(.post, "/api/v1/agency/exits", json: Self.exit("P99999999"), user: "border.agency", headers: [Self.key: "exit-0002"])
                #expect(corrected.status == .ok && corrected["matchedPersons"] as? Int == 0)
                let officerCall = try await api.call(.post, "/api/v1/agency/exits", json: Self.exit("P01234567"), user: "officer.north", headers: [Self.key: "exit-0004"])
                #expect(officerCall.status == .forbidden)
                let anonymous = try await api.call(.post, "/api/v1/agency/exits", json: Self.exit("P01234567"), user: nil, headers: [Self.key: "exit-0005"])
                #expect(anonymous.status == .unauthorized)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func policeHitsAndRegistryNoticesReachTheWorkflows(_ database: TestDatabase) async throws {
        try await database.withNode { node in
            let person = try await node.service.registerPerson(Fixtures.person(passport: "P01234567"), by: .system)
            let opened = try await node.service.openCase(Fixtures.caseInput(principal: person), by: .system)
            try await node.withClient { api in
                let hit = try await api.call(.post, "/api/v1/agency/police-hits", json: #"""
                    {"document": {"number": "P01234567", "issuingCountry": "AFG", "kind": "passport"}, "reference": "BE-FP-2026-9", "reportingCountry": "BEL", "category": "alert"}
                    """#, user: "border.agency", headers: [Self.key: "hit-1"])
                #expect(hit.status == .ok && hit["matchedPersons"] as? Int == 1, "\(String(decoding: hit.bytes, as: UTF8.self))")
                let tasks = try await node.service.tasks(of: opened.number, by: .system)
                #expect(tasks.contains { $0.team == "supervisor" && $0.title.hasPrefix("Police hit") })
                let checks = try await node.service.checks(of: person.id, by: .system)
                #expect(checks.contains { $0.outcome == .hit && $0.reference == "BE-FP-2026-9" && $0.detail.contains("BEL") })

                let death = try await api.call(.post, "/api/v1/agency/registry-notices", json: #"""
                    {"kind": "death", "person": {"familyName": "KARIMI", "givenNames": "Ahmad", "dateOfBirth": "1987-03-14"}, "date": "2026-02-20", "reference": "CR-2026-1"}
                    """#, user: "border.agency", headers: [Self.key: "death-1"])
                #expect(death.status == .ok && death["matchedPersons"] as? Int == 1, "\(String(decoding: death.bytes, as: UTF8.self))")
                #expect(try await node.service.tasks(of: opened.number, by: .system).contains { $0.title.hasPrefix("Registry reports the person deceased") })
                let wrong = try await api.call(.post, "/api/v1/agency/registry-notices", json: #"{"kind": "marriage", "date": "2999-01-01", "reference": "x"}"#,
                                               user: "border.agency", headers: [Self.key: "notice-2"])
                let paths = Set(((wrong["error"] as? [String: Any])?["details"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String })
                #expect(wrong.status == .badRequest && paths == ["kind", "date", "document"], "\(paths)")
                let category = try await api.call(.post, "/api/v1/agency/police-hits", json: #"{"person": {"familyName": "Karimi"}, "reference": "r", "reportingCountry": "BEL", "category": "gossip"}"#,
                                                  user: "border.agency", headers: [Self.key: "hit-2"])
                let hitPaths = Set(((category["error"] as? [String: Any])?["details"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String })
                #expect(category.status == .badRequest && hitPaths == ["category", "person.dateOfBirth"], "\(hitPaths)")
            }
        }
    }
}
