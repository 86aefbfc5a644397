import AccordCore
import AccordServer
import AccordTesting
import Casework
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Identity
import Storage
import Testing

/// Each standard role against the endpoints: officers see and change only their office's cases,
/// roles with a purpose requirement must state one, scopes and missing tokens are refused — and
/// what a role may not see, it does not find in lists either.
@Suite struct PermissionMatrixTests {
    struct Row: Sendable {
        let user: String?
        let purpose: String?
        let method: HTTPRequest.Method
        let path: String
        let body: String?
        let status: Int
        let code: String?

        init(_ user: String?, _ method: HTTPRequest.Method, _ path: String, body: String? = nil, purpose: String? = nil, _ status: Int, _ code: String? = nil) {
            self.user = user
            self.purpose = purpose
            self.method = method
            self.path = path
            self.body = body
            self.status = status
            self.code = code
        }
    }

    static let note = #"{"text": "checked"}"#
    static let newPerson = #"{"name": {"family": "Doe"}}"#
    static let forbidden = "identity.forbidden"
    static let purpose = "identity.purpose_required"
    static let unauthenticated = "identity.unauthenticated"

    /// {north} asylum case at NORTH-1 (principal {p1}); {south} visa at SOUTH-2; {appeal} appeal at SOUTH-2;
    /// {loner} a person in no case.
    static let rows: [Row] = [
        // No or bad token.
        Row(nil, .get, "/api/v1/cases/{north}", 401, unauthenticated),
        Row("nobody", .get, "/api/v1/cases", 401, unauthenticated),
        // Administrator: no case data at all.
        Row("admin", .get, "/api/v1/cases/{north}", 403, forbidden),
        Row("admin", .get, "/api/v1/persons/{p1}", 403, forbidden),
        Row("admin", .post, "/api/v1/persons", body: newPerson, 403, forbidden),
        // Registry clerk and case officer of NORTH-1.
        Row("clerk.north", .get, "/api/v1/cases/{north}", 200),
        Row("clerk.north", .get, "/api/v1/cases/{south}", 403, forbidden),
        Row("clerk.north", .post, "/api/v1/persons", body: newPerson, 201),
        Row("officer.north", .get, "/api/v1/cases/{north}/history", 200),
        Row("officer.north", .get, "/api/v1/cases/{south}/notes", 403, forbidden),
        Row("officer.north", .post, "/api/v1/cases/{north}/notes", body: note, 201),
        Row("officer.north", .post, "/api/v1/cases/{south}/notes", body: note, 403, forbidden),
        Row("officer.north", .get, "/api/v1/persons/{p1}", 200),
        Row("officer.north", .get, "/api/v1/persons/{p2}", 403, forbidden),
        Row("officer.north", .get, "/api/v1/persons/{loner}", 200),
        Row("officer.north", .post, "/api/v1/cases", body: #"{"type": "visa", "office": "NORTH-1", "principalPersonID": "{loner}"}"#, 201),
        Row("officer.north", .post, "/api/v1/cases", body: #"{"type": "visa", "office": "SOUTH-2", "principalPersonID": "{loner}"}"#, 403, forbidden),
        Row("officer.north", .patch, "/api/v1/cases/{north}", body: #"{"expectedVersion": 1, "assignedOfficer": "officer.north"}"#, 403, forbidden),
        Row("officer.north", .delete, "/api/v1/persons/{loner}", 403, forbidden),
        // Workflow: transitions need the transition's permission on the case, decisions `decide`.
        Row("officer.north", .get, "/api/v1/cases/{north}/transitions", 200),
        Row("officer.north", .post, "/api/v1/cases/{north}/transitions", body: #"{"transition": "lodge", "expectedVersion": 1}"#, 422, "workflow.guard_unmet"),
        Row("officer.south", .post, "/api/v1/cases/{north}/transitions", body: #"{"transition": "lodge", "expectedVersion": 1}"#, 403, forbidden),
        // The case officer proposes (not yet: the case is only registered), the supervisor approves.
        Row("officer.north", .post, "/api/v1/cases/{north}/decisions", body: #"{"outcome": "refugee_status"}"#, 409, "workflow.decision_not_expected"),
        Row("officer.south", .post, "/api/v1/cases/{north}/decisions", body: #"{"outcome": "refugee_status"}"#, 403, forbidden),
        Row("officer.north", .post, "/api/v1/cases/{north}/decisions/review", body: #"{"decision": "00000000-0000-4000-8000-000000000000", "verdict": "approve"}"#, 403, forbidden),
        Row("officer.north", .get, "/api/v1/tasks", 200),
        Row("officer.north", .get, "/api/v1/tasks?queue=SOUTH-2", 403, forbidden),
        Row("officer.north", .get, "/api/v1/workload?office=NORTH-1", 403, forbidden),
        Row("supervisor.north", .get, "/api/v1/workload?office=NORTH-1", 200),
        Row("supervisor.north", .get, "/api/v1/workload?office=SOUTH-2", 403, forbidden),
        // Officer of SOUTH-2.
        Row("officer.south", .get, "/api/v1/cases/{north}", 403, forbidden),
        Row("officer.south", .get, "/api/v1/cases/{appeal}", 200),
        Row("officer.south", .get, "/api/v1/cases/{south}/documents", 200),
        // Supervisor of NORTH-1: reassigns and decides there, registers nobody.
        Row("supervisor.north", .patch, "/api/v1/cases/{north}", body: #"{"expectedVersion": 1, "assignedOfficer": "officer.north"}"#, 200),
        Row("supervisor.north", .get, "/api/v1/cases/{south}", 403, forbidden),
        Row("supervisor.north", .post, "/api/v1/persons", body: newPerson, 403, forbidden),
        // Legal officer: every office, appeals/asylum/return only, with a purpose.
        Row("legal", .get, "/api/v1/cases/{appeal}", 403, purpose),
        Row("legal", .get, "/api/v1/cases/{appeal}", purpose: "appeal hearing", 200),
        Row("legal", .get, "/api/v1/cases/{north}", purpose: "appeal hearing", 200),
        Row("legal", .get, "/api/v1/cases/{south}", purpose: "appeal hearing", 403, forbidden),
        Row("legal", .get, "/api/v1/persons/{p1}", 403, purpose),
        Row("legal", .post, "/api/v1/cases/{appeal}/notes", body: note, 201),
        Row("legal", .patch, "/api/v1/cases/{appeal}", body: #"{"expectedVersion": 1, "title": "x"}"#, 403, forbidden),
        // Auditor: reads cases with a purpose, never persons.
        Row("auditor", .get, "/api/v1/cases/{south}", 403, purpose),
        Row("auditor", .get, "/api/v1/cases/{south}", purpose: "audit 2026-04", 200),
        Row("auditor", .get, "/api/v1/persons/{p2}", purpose: "audit 2026-04", 403, forbidden),
        Row("auditor", .post, "/api/v1/cases/{south}/notes", body: note, 403, forbidden),
        // Data protection officer: erasure only, with a purpose.
        Row("dpo.real", .get, "/api/v1/cases/{north}", purpose: "erasure request 17", 403, forbidden),
        Row("dpo.real", .delete, "/api/v1/persons/{loner2}", 403, purpose),
        Row("dpo.real", .delete, "/api/v1/persons/{loner2}", purpose: "erasure request 17", 204),
        // Applicant (portal only) and partner liaison (readmission only).
        Row("applicant", .get, "/api/v1/cases/{north}", 403, forbidden),
        Row("liaison", .get, "/api/v1/cases/{north}", 403, forbidden),
    ]

    @Test(arguments: TestDatabase.all)
    func everyRoleGetsExactlyWhatThePolicyAllows(_ database: TestDatabase) async throws {
        try await database.withNode { node in
            let service = node.service
            let p1 = try await service.registerPerson(Fixtures.person(), by: .system)
            let p2 = try await service.registerPerson(Fixtures.person(given: "Lina", family: "Haddad", nationality: "SYR", native: nil, passport: nil), by: .system)
            let p3 = try await service.registerPerson(Fixtures.person(given: "Omar", passport: nil), by: .system)
            let loner = try await service.registerPerson(Fixtures.person(given: "Yusuf", passport: nil), by: .system)
            let loner2 = try await service.registerPerson(Fixtures.person(given: "Noor", passport: nil), by: .system)
            let north = try await service.openCase(Fixtures.caseInput(principal: p1, type: .asylum, office: "NORTH-1"), by: .system)
            let south = try await service.openCase(Fixtures.caseInput(principal: p2, type: .visa, office: "SOUTH-2"), by: .system)
            let appeal = try await service.openCase(Fixtures.caseInput(principal: p3, type: .appeal, office: "SOUTH-2"), by: .system)
            let names = ["{north}": north.number.text, "{south}": south.number.text, "{appeal}": appeal.number.text,
                         "{p1}": p1.id.rawValue, "{p2}": p2.id.rawValue, "{loner}": loner.id.rawValue, "{loner2}": loner2.id.rawValue]
            @Sendable func fill(_ text: String) -> String { names.reduce(text) { $0.replacingOccurrences(of: $1.key, with: $1.value) } }
            try await node.withClient { client in
                for row in Self.rows {
                    let reply = try await client.call(row.method, fill(row.path), json: row.body.map(fill), user: row.user, purpose: row.purpose)
                    let label = "\(row.user ?? "no token") \(row.method) \(row.path) \(row.purpose == nil ? "" : "with purpose")"
                    #expect(Int(reply.status.code) == row.status, "\(label): got \(reply.status.code) \(reply.errorCode ?? "")")
                    if let code = row.code { #expect(reply.errorCode == code, "\(label)") }
                }
                // Lists show only what each role may see.
                let visible: [String: Int] = ["clerk.north": 2, "officer.south": 2, "legal": 2, "auditor": 4, "admin": 0, "liaison": 0, "applicant": 0]
                for (user, count) in visible {
                    let list = try await client.call(.get, "/api/v1/cases?limit=100", user: user)
                    #expect(list["total"] as? Int == count, "\(user) sees \(list["total"] ?? "nil") cases")
                }
            }
            // Refusals are in the audit trail.
            let denied = try await node.auditLog.entries().filter { $0.event.outcome == .denied }
            #expect(denied.contains { $0.event.actor == "officer.north" && $0.event.resourceType == "case" })
            #expect(denied.contains { $0.event.actor == "legal" && $0.event.purpose == nil })
        }
    }

    @Test(arguments: TestDatabase.all)
    func tokensAreScopedExpireAndDieWithTheirUser(_ database: TestDatabase) async throws {
        try await database.withNode { node in
            let p1 = try await node.service.registerPerson(Fixtures.person(), by: .system)
            let north = try await node.service.openCase(Fixtures.caseInput(principal: p1, type: .asylum, office: "NORTH-1"), by: .system)
            let clock = ManualWallClock(Date())
            let auth = try node.authentication(clock: clock)
            let tokens = SQLTokenRepository(store: node.store)
            try await node.withClient { client in
                let readOnly = try await auth.issueToken(for: UserID("officer.north")!, scopes: [.viewCase], validity: 60, tokens: tokens, by: .tool("test"))
                var headers: HTTPFields = [:]
                headers[.authorization] = "Bearer \(readOnly)"
                let read = try await client.call(.get, "/api/v1/cases/\(north.number.text)", user: nil, headers: headers)
                #expect(read.status == .ok)
                let write = try await client.call(.post, "/api/v1/cases/\(north.number.text)/notes", json: Self.note, user: nil, headers: headers)
                #expect(write.status == .forbidden && write.errorCode == Self.forbidden)
                let person = try await client.call(.get, "/api/v1/persons/\(p1.id.rawValue)", user: nil, headers: headers)
                #expect(person.status == .forbidden)
                _ = try await auth.change(UserID("officer.north")!, by: .tool("test"), purpose: "disable") { $0.disabled = true }
                let disabled = try await client.call(.get, "/api/v1/cases/\(north.number.text)", user: nil, headers: headers)
                #expect(disabled.status == .unauthorized)
                #expect(try await client.call(.get, "/api/v1/cases", user: "officer.north").status == .unauthorized)
            }
            // Expiry.
            let short = try await auth.issueToken(for: UserID("officer.south")!, scopes: nil, validity: 60, tokens: tokens, by: .tool("test"))
            #expect(try await auth.authenticate(token: short, tokens: tokens).0.id == UserID("officer.south"))
            clock.advance(by: 61)
            await #expect(throws: IdentityError.unauthenticated) { try await auth.authenticate(token: short, tokens: tokens) }
        }
    }
}
