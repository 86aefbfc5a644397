import AccordServer
import AccordTesting
import Casework
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Every kind of bad input gets a 4xx with a stable code, and the database is unchanged.
@Suite struct MalformedInputTests {
    struct Probe: Sendable, CustomTestStringConvertible {
        let method: HTTPRequest.Method
        let path: String
        let json: String?
        let bytes: [UInt8]?
        let contentType: String?
        let status: Int
        let code: String
        var testDescription: String { "\(method) \(path.prefix(60)) → \(code)" }

        init(_ method: HTTPRequest.Method, _ path: String, json: String? = nil, bytes: [UInt8]? = nil, contentType: String? = nil, _ status: Int, _ code: String) {
            self.method = method
            self.path = path
            self.json = json
            self.bytes = bytes
            self.contentType = contentType
            self.status = status
            self.code = code
        }
    }

    /// `{case}`, `{wrongcheck}`, `{person}` and `{ghost}` are replaced by real values.
    static let probes: [Probe] = [
        Probe(.post, "/api/v1/persons", json: "{\"name\": ", 400, "api.malformed_json"),
        Probe(.post, "/api/v1/persons", json: "", 400, "api.malformed_json"),
        Probe(.post, "/api/v1/persons", json: "[1, 2]", 400, "api.invalid_json"),
        Probe(.post, "/api/v1/persons", json: #"{"name": {"family": 42}}"#, 400, "api.invalid_json"),
        Probe(.post, "/api/v1/persons", json: #"{"name": "Karimi"}"#, 400, "api.invalid_json"),
        Probe(.post, "/api/v1/persons", json: #"{"name": {"family": "Karimi"}}"#, contentType: "text/plain", 415, "api.unsupported_media_type"),
        Probe(.post, "/api/v1/persons", json: #"{"name": {"family": "Karimi"}, "nationality": "XYZ"}"#, 400, "casework.invalid_country_code"),
        // Unknown and duplicate members are refused, never dropped or resolved in silence.
        Probe(.post, "/api/v1/persons", json: #"{"name": {"family": "Karimi"}, "nationalty": "AFG"}"#, 400, "api.unknown_member"),
        Probe(.post, "/api/v1/persons", json: #"{"name": {"family": "Karimi", "famly": "K"}}"#, 400, "api.unknown_member"),
        Probe(.post, "/api/v1/persons", json: #"{"name": {"family": "Karimi"}, "identityDocuments": [{"kind": "passport", "number": "P1", "issuingCountry": "AFG", "issuer": "x"}]}"#, 400, "api.unknown_member"),
        Probe(.post, "/api/v1/persons", json: #"{"name": {"family": "Karimi"}, "name": {"family": "Other"}}"#, 400, "api.duplicate_member"),
        Probe(.post, "/api/v1/persons", json: #"{"name": {"family": "Karimi", "family": "Other"}}"#, 400, "api.duplicate_member"),
        Probe(.put, "/api/v1/persons/{person}", json: #"{"name": {"family": "Karimi"}, "expectedVersion": 1, "expectedVersoin": 2}"#, 400, "api.unknown_member"),
        Probe(.post, "/api/v1/cases", json: #"{"type": "asylum", "office": "HQ", "principalPersonID": "{person}", "priority": "high"}"#, 400, "api.unknown_member"),
        Probe(.patch, "/api/v1/cases/{case}", json: #"{"title": "x", "expectedVersion": 1, "titel": "x"}"#, 400, "api.unknown_member"),
        // The state moves only through transitions.
        Probe(.patch, "/api/v1/cases/{case}", json: #"{"status": "decided", "expectedVersion": 1}"#, 400, "api.unknown_member"),
        Probe(.patch, "/api/v1/cases/{case}", json: #"{"assignedOfficer": "ghost.officer", "expectedVersion": 1}"#, 422, "casework.unknown_officer"),
        Probe(.get, "/api/v1/cases?personID=not-a-person", 400, "casework.invalid_id"),
        Probe(.post, "/api/v1/persons", json: #"{"name": {"family": "Karimi"}, "dateOfBirth": "1987-02-30"}"#, 422, "casework.date_not_in_calendar"),
        Probe(.post, "/api/v1/persons", json: #"{"name": {"family": "Karimi"}, "dateOfBirth": "1987-2-3"}"#, 400, "casework.invalid_date"),
        Probe(.post, "/api/v1/persons", json: #"{"name": {"family": "Karimi"}, "nationality": null}"#, 400, "api.invalid_json"),
        Probe(.post, "/api/v1/persons", json: #"{"name": {"family": "Karimi"}, "dateOfBirth": "2999-01-01"}"#, 422, "casework.date_in_future"),
        Probe(.post, "/api/v1/persons", json: #"{"name": {"family": ""}}"#, 400, "casework.missing_field"),
        Probe(.post, "/api/v1/persons", json: #"{"name": {"family": "Karimi"}, "identityDocuments": [{"kind": "passport", "number": "P1", "issuingCountry": "AFG", "issuedOn": "2020-01-01", "expiresOn": "2019-01-01"}]}"#, 400, "casework.invalid_document_number"),
        Probe(.post, "/api/v1/persons", json: "{\"name\": {\"family\": \"" + String(repeating: "A", count: 1_100_000) + "\"}}", 413, "api.payload_too_large"),
        Probe(.post, "/api/v1/persons", json: String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000), 400, "api.malformed_json"),
        Probe(.get, "/api/v1/persons?name=", 400, "casework.search_criteria_missing"),
        Probe(.get, "/api/v1/persons?name=a&limit=0", 400, "api.invalid_parameter"),
        Probe(.get, "/api/v1/persons/not-a-uuid", 404, "casework.person_not_found"),
        Probe(.get, "/api/v1/persons/{ghost}", 404, "casework.person_not_found"),
        Probe(.put, "/api/v1/persons/{person}", json: #"{"name": {"family": "Karimi"}}"#, 400, "casework.missing_field"),
        Probe(.put, "/api/v1/persons/{person}", json: #"{"name": {"family": "Karimi"}, "expectedVersion": 9}"#, 409, "casework.version_conflict"),
        Probe(.post, "/api/v1/cases", json: #"{"type": "tourism", "office": "HQ", "principalPersonID": "{person}"}"#, 400, "casework.invalid_case_type"),
        Probe(.post, "/api/v1/cases", json: #"{"type": "asylum", "office": "H Q!", "principalPersonID": "{person}"}"#, 400, "casework.invalid_office"),
        Probe(.post, "/api/v1/cases", json: #"{"type": "asylum", "office": "HQ", "principalPersonID": "{ghost}"}"#, 404, "casework.unknown_person"),
        Probe(.post, "/api/v1/cases", json: #"{"type": "asylum", "office": "HQ"}"#, 400, "casework.missing_field"),
        Probe(.get, "/api/v1/cases?type=tourism", 400, "casework.invalid_case_type"),
        Probe(.get, "/api/v1/cases?limit=abc", 400, "api.invalid_parameter"),
        Probe(.get, "/api/v1/cases?offset=-1", 400, "api.invalid_parameter"),
        Probe(.get, "/api/v1/cases/{wrongcheck}", 404, "casework.case_number_check_failed"),
        Probe(.get, "/api/v1/cases/{caselower}", 400, "casework.invalid_case_number"),
        Probe(.get, "/api/v1/cases?office=HQ&ofice=x", 400, "api.unknown_parameter"),
        Probe(.get, "/api/v1/cases?limit=", 400, "api.invalid_parameter"),
        Probe(HTTPRequest.Method("TRACE")!, "/health", 405, "api.method_not_allowed"),
        Probe(.get, "/api/v1/cases/ASY-2026-1", 400, "casework.invalid_case_number"),
        Probe(.get, "/api/v1/cases/ASY-2026-000999-{check999}", 404, "casework.case_not_found"),
        Probe(.patch, "/api/v1/cases/{case}", json: #"{"title": "x", "expectedVersion": 5}"#, 409, "casework.version_conflict"),
        Probe(.patch, "/api/v1/cases/{case}", json: #"{"title": "x"}"#, 400, "casework.missing_field"),
        Probe(.post, "/api/v1/cases/{case}/transitions", json: #"{"transition": "appeal_window_passed", "expectedVersion": 1}"#, 403, "workflow.system_only"),
        Probe(.post, "/api/v1/cases/{case}/transitions", json: #"{"transition": "record_interview", "expectedVersion": 1}"#, 409, "workflow.transition_not_allowed"),
        Probe(.post, "/api/v1/cases/{case}/transitions", json: #"{"transition": "lodge", "expectedVersion": 1}"#, 422, "workflow.guard_unmet"),
        Probe(.post, "/api/v1/cases/{case}/transitions", json: #"{"transition": "lodge", "expectedVersion": 1, "fields": {"claimType": "tourism"}}"#, 422, "workflow.invalid_choice"),
        Probe(.post, "/api/v1/cases/{case}/transitions", json: #"{"transition": "lodge", "expectedVersion": 1, "fields": {"colour": "blue"}}"#, 422, "workflow.field_not_settable"),
        Probe(.post, "/api/v1/cases/{case}/transitions", json: #"{"transition": "fly", "expectedVersion": 1}"#, 422, "workflow.unknown_transition"),
        Probe(.post, "/api/v1/cases/{case}/transitions", json: #"{"transition": "withdraw", "expectedVersion": 1}"#, 422, "workflow.reason_required"),
        Probe(.post, "/api/v1/cases/{case}/transitions", json: #"{"transition": "lodge", "expectedVersion": 1, "fields": {"claimType": 3}}"#, 400, "api.invalid_json"),
        Probe(.post, "/api/v1/cases/{case}/transitions", json: #"{"transition": "lodge", "expectedVersion": 9}"#, 409, "casework.version_conflict"),
        Probe(.post, "/api/v1/cases/{case}/transitions/refusal", json: #"{"reason": "no", "expectedVersion": 1}"#, 409, "workflow.nothing_pending"),
        Probe(.post, "/api/v1/cases/{case}/decisions", json: #"{"outcome": "refugee_status"}"#, 409, "workflow.decision_not_expected"),
        Probe(.post, "/api/v1/cases/{case}/decisions/review", json: #"{"decision": "{ghost}", "verdict": "approve"}"#, 404, "casework.decision_not_found"),
        Probe(.post, "/api/v1/cases/{case}/decisions/review", json: #"{"decision": "{ghost}", "verdict": "return"}"#, 422, "casework.reason_required"),
        Probe(.post, "/api/v1/cases/{case}/tasks", json: #"{"title": "Call the interpreter"}"#, 422, "casework.assignee_required"),
        Probe(.post, "/api/v1/cases/{case}/tasks", json: #"{"title": "Call the interpreter", "team": "wizards"}"#, 422, "casework.unknown_team"),
        Probe(.post, "/api/v1/cases/{case}/tasks", json: #"{"title": "Call the interpreter", "assignee": "ghost.officer"}"#, 422, "casework.unknown_officer"),
        Probe(.post, "/api/v1/cases/{case}/tasks", json: #"{"title": "Call", "team": "supervisor", "priority": "asap"}"#, 400, "casework.invalid_priority"),
        Probe(.patch, "/api/v1/tasks/{ghost}", json: #"{"action": "claim", "expectedVersion": 1}"#, 404, "casework.task_not_found"),
        Probe(.get, "/api/v1/persons?documentNumber=P0123&name=", 400, "casework.invalid_name"),
        Probe(.post, "/api/v1/cases/{case}/parties", json: #"{"personID": "{person}", "role": "principal"}"#, 400, "casework.invalid_role"),
        Probe(.post, "/api/v1/cases/{case}/parties", json: #"{"personID": "{ghost}", "role": "family_member"}"#, 404, "casework.person_not_found"),
        Probe(.post, "/api/v1/cases/{case}/notes", json: #"{"text": "   "}"#, 400, "casework.missing_field"),
        Probe(.post, "/api/v1/cases/{case}/notes", json: "{\"text\": \"" + String(repeating: "x", count: 10_001) + "\"}", 400, "casework.text_too_long"),
        Probe(.post, "/api/v1/cases/{wrongcheck}/notes", json: #"{"text": "hello"}"#, 404, "casework.case_number_check_failed"),
        Probe(.post, "/api/v1/cases/{case}/documents?kind=passport", bytes: Array("<script>alert(1)</script>".utf8), contentType: "text/html", 415, "casework.media_type_not_allowed"),
        Probe(.post, "/api/v1/cases/{case}/documents?kind=passport", bytes: [0x4D, 0x5A, 0x90, 0x00], contentType: "application/pdf", 415, "casework.document_content_mismatch"),
        Probe(.post, "/api/v1/cases/{case}/documents?kind=passport", bytes: Fixtures.pdf + [UInt8](repeating: 0x20, count: 4096), contentType: "application/pdf", 413, "casework.document_too_large"),
        Probe(.post, "/api/v1/cases/{case}/documents?kind=passport", bytes: [], contentType: "application/pdf", 400, "casework.document_empty"),
        Probe(.post, "/api/v1/cases/{case}/documents", bytes: Fixtures.pdf, contentType: "application/pdf", 400, "casework.missing_field"),
        Probe(.post, "/api/v1/cases/{case}/documents?kind=passport&issuingCountry=ZZZ&validUntil=2020-13-01", bytes: Fixtures.pdf, contentType: "application/pdf", 400, "casework.invalid_country_code"),
        Probe(.get, "/api/v1/documents/{ghost}", 404, "casework.document_not_found"),
        Probe(.get, "/api/v1/documents/{ghost}/content", 404, "casework.document_not_found"),
        Probe(.get, "/api/v1/nothing-here", 404, "api.not_found"),
        Probe(.delete, "/api/v1/cases/{case}", 405, "api.method_not_allowed"),
        Probe(.put, "/api/v1/cases", json: "{}", 405, "api.method_not_allowed"),
    ]

    @Test(arguments: TestDatabase.all)
    func everyBadRequestGetsAStableCodeAndChangesNothing(_ database: TestDatabase) async throws {
        try await Self.withSmallDocumentLimit(database) { node, person, record in
            let text = record.number.text
            let wrongCheck = String(text.dropLast()) + (text.last == "1" ? "2" : "1")
            let check999 = String(CaseNumber(type: .asylum, year: 2026, sequence: 999)!.checkCharacter)
            let before = try await Fixtures.rowCounts(node.store)
            let store = node.store
            try await node.withClient { client in
                for probe in Self.probes {
                    func fill(_ text: String) -> String {
                        text.replacingOccurrences(of: "{case}", with: record.number.text)
                            .replacingOccurrences(of: "{wrongcheck}", with: wrongCheck)
                            .replacingOccurrences(of: "{caselower}", with: record.number.text.lowercased())
                            .replacingOccurrences(of: "{check999}", with: check999)
                            .replacingOccurrences(of: "{person}", with: person.id.rawValue)
                            .replacingOccurrences(of: "{ghost}", with: UUID().uuidString.lowercased())
                    }
                    let reply = try await client.call(probe.method, fill(probe.path), json: probe.json.map(fill), bytes: probe.bytes, contentType: probe.contentType)
                    #expect(Int(reply.status.code) == probe.status, "\(probe.testDescription): got \(reply.status.code) \(reply.errorCode ?? "-")")
                    #expect(reply.errorCode == probe.code, "\(probe.testDescription)")
                    let message = (reply.json["error"] as? [String: Any])?["message"] as? String
                    #expect(message?.isEmpty == false, "\(probe.testDescription): no message")
                }
                #expect(try await Fixtures.rowCounts(store) == before)
            }
        }
    }

    /// A node whose documents may be at most 4 KiB, with one person and their case.
    static func withSmallDocumentLimit(_ database: TestDatabase, _ body: (AccordNode, Person, Case) async throws -> Void) async throws {
        var configuration = NodeConfiguration()
        configuration.documents = .init(maximumBytes: 4096)
        try await database.withNode(configuration: configuration) { node in
            let person = try await node.service.registerPerson(Fixtures.person(), by: .system)
            let record = try await node.service.openCase(Fixtures.caseInput(principal: person), by: .system)
            try await body(node, person, record)
        }
    }

    /// An upload without a valid token is refused before its body is read: 401 even for a body
    /// over the document limit (reading it first answered 413 and buffered up to the limit).
    @Test(arguments: TestDatabase.all)
    func uploadsCheckTheTokenBeforeTheBody(_ database: TestDatabase) async throws {
        try await Self.withSmallDocumentLimit(database) { node, person, record in
            let before = try await Fixtures.rowCounts(node.store)
            try await node.withClient { client in
                let huge = Fixtures.pdf + [UInt8](repeating: 0x20, count: 64 * 1024)
                for user in [nil, "nobody"] as [String?] {
                    let reply = try await client.call(.post, "/api/v1/cases/\(record.number.text)/documents?kind=passport", bytes: huge, contentType: "application/pdf", user: user)
                    #expect(reply.status == .unauthorized && reply.errorCode == "identity.unauthenticated", "\(user ?? "no token"): \(reply.status)")
                }
            }
            #expect(try await Fixtures.rowCounts(node.store) == before)
        }
    }

    /// Random corruptions of valid bodies: never a 5xx, and a refused request writes nothing.
    @Test(arguments: TestDatabase.all)
    func mutatedBodiesNeverCauseServerErrors(_ database: TestDatabase) async throws {
        try await database.withNode { node in
            let person = try await node.service.registerPerson(Fixtures.person(), by: .system)
            let record = try await node.service.openCase(Fixtures.caseInput(principal: person), by: .system)
            let store = node.store
            let seeds: [(String, String)] = [
                ("/api/v1/persons", personJSON),
                ("/api/v1/cases", jsonString(["type": "asylum", "office": "HQ", "principalPersonID": person.id.rawValue, "parties": [["personID": person.id.rawValue, "role": "legal_representative"]]])),
                ("/api/v1/cases/\(record.number.text)/notes", #"{"text": "A note with ünïcödé and \"quotes\""}"#),
                ("/api/v1/cases/\(record.number.text)/parties", jsonString(["personID": person.id.rawValue, "role": "family_member", "relationship": "child"])),
            ]
            try await node.withClient { client in
                var generator = SystemRandomNumberGenerator()
                for round in 0..<240 {
                    let (path, body) = seeds[round % seeds.count]
                    var bytes = Array(body.utf8)
                    switch round % 4 {
                    case 0: bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                    case 1: bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &generator)))
                    case 2: bytes.insert(contentsOf: Array(#""\u0000":null,"#.utf8), at: Int.random(in: 0..<bytes.count, using: &generator))
                    default:
                        let index = Int.random(in: 0..<bytes.count, using: &generator)
                        bytes.replaceSubrange(index..<min(index + 3, bytes.count), with: Array("[{".utf8))
                    }
                    let counts = try await Fixtures.rowCounts(store)
                    let reply = try await client.call(.post, path, json: String(decoding: bytes, as: UTF8.self))
                    #expect(reply.status.code < 500, "round \(round): \(reply.status.code) \(reply.errorCode ?? "")")
                    if reply.status.code >= 400 {
                        #expect(reply.errorCode != nil)
                        #expect(try await Fixtures.rowCounts(store) == counts, "round \(round) wrote despite \(reply.errorCode ?? "")")
                    }
                }
            }
        }
    }
}
