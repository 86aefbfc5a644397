import AccordCore
import AccordServer
import AccordTesting
import Casework
import Foundation
import HTTPTypes
import Identity
import Testing

/// Every standard role against every endpoint of the API. The expectations come from this file's
/// own reading of Profiles/access/roles.yaml (which permission each role has, in which scope) and
/// of what each endpoint needs — not from the code under test.
@Suite struct EndpointMatrixTests {
    /// Role → (permissions, office of the grant or nil for all-office roles, case types or nil).
    static let roles: [String: (Set<String>, String?, Set<String>?)] = [
        "admin": (["administer"], nil, nil),
        "clerk.north": (["view_case", "view_person", "edit_person", "edit_case", "attach_document", "add_note"], "NORTH-1", nil),
        "officer.north": (["view_case", "edit_case", "view_person", "edit_person", "add_note", "attach_document"], "NORTH-1", nil),
        "officer.south": (["view_case", "edit_case", "view_person", "edit_person", "add_note", "attach_document"], "SOUTH-2", nil),
        "supervisor.north": (["view_case", "edit_case", "view_person", "add_note", "decide", "reassign", "export"], "NORTH-1", nil),
        "legal": (["view_case", "view_person", "add_note", "decide"], nil, ["appeal", "asylum", "return"]),
        "auditor": (["view_audit", "view_case"], nil, nil),
        "liaison": (["view_case", "exchange"], nil, ["readmission"]),
        "dpo.real": (["erase_person", "view_audit"], nil, nil),
        "applicant": ([], nil, nil),
        "representative": ([], nil, nil),
    ]

    struct Endpoint {
        let method: HTTPRequest.Method
        let path: String
        let body: String?
        let bytes: [UInt8]?
        let permission: String
        /// Whether the record is bound to the north case (NORTH-1, asylum); false: bound to no office.
        let north: Bool
        let success: Int
    }

    static func endpoints(_ f: [String: String]) -> [Endpoint] {
        let north = f["north"]!, p1 = f["p1"]!, document = f["document"]!
        return [
            Endpoint(method: .post, path: "/api/v1/persons", body: #"{"name": {"family": "Doe"}}"#, bytes: nil, permission: "edit_person", north: false, success: 201),
            Endpoint(method: .get, path: "/api/v1/persons?name=karimi", body: nil, bytes: nil, permission: "view_person", north: false, success: 200),
            Endpoint(method: .post, path: "/api/v1/duplicates", body: #"{"name": {"family": "Karimi", "given": "Ahmed"}, "dateOfBirth": "1987"}"#, bytes: nil, permission: "view_person", north: false, success: 200),
            Endpoint(method: .get, path: "/api/v1/persons/\(p1)", body: nil, bytes: nil, permission: "view_person", north: true, success: 200),
            Endpoint(method: .put, path: "/api/v1/persons/\(p1)", body: "PERSON_UPDATE", bytes: nil, permission: "edit_person", north: true, success: 200),
            Endpoint(method: .get, path: "/api/v1/persons/\(p1)/cases", body: nil, bytes: nil, permission: "view_person", north: true, success: 200),
            Endpoint(method: .delete, path: "/api/v1/persons/\(f["loner"]!)", body: nil, bytes: nil, permission: "erase_person", north: false, success: 204),
            Endpoint(method: .post, path: "/api/v1/cases", body: #"{"type": "asylum", "office": "NORTH-1", "principalPersonID": "\#(p1)"}"#, bytes: nil, permission: "edit_case", north: true, success: 201),
            Endpoint(method: .get, path: "/api/v1/cases/\(north)", body: nil, bytes: nil, permission: "view_case", north: true, success: 200),
            Endpoint(method: .patch, path: "/api/v1/cases/\(north)", body: "CASE_UPDATE", bytes: nil, permission: "edit_case", north: true, success: 200),
            Endpoint(method: .post, path: "/api/v1/cases/\(north)/parties", body: #"{"personID": "\#(f["partner"]!)", "role": "family_member"}"#, bytes: nil, permission: "edit_case", north: true, success: 201),
            Endpoint(method: .get, path: "/api/v1/cases/\(north)/notes", body: nil, bytes: nil, permission: "view_case", north: true, success: 200),
            Endpoint(method: .post, path: "/api/v1/cases/\(north)/notes", body: #"{"text": "seen"}"#, bytes: nil, permission: "add_note", north: true, success: 201),
            Endpoint(method: .get, path: "/api/v1/cases/\(north)/history", body: nil, bytes: nil, permission: "view_case", north: true, success: 200),
            Endpoint(method: .get, path: "/api/v1/cases/\(north)/documents", body: nil, bytes: nil, permission: "view_case", north: true, success: 200),
            Endpoint(method: .post, path: "/api/v1/cases/\(north)/documents?kind=evidence", body: nil, bytes: Fixtures.pdf, permission: "attach_document", north: true, success: 201),
            Endpoint(method: .get, path: "/api/v1/documents/\(document)", body: nil, bytes: nil, permission: "view_case", north: true, success: 200),
            Endpoint(method: .get, path: "/api/v1/documents/\(document)/content", body: nil, bytes: nil, permission: "view_case", north: true, success: 200),
        ]
    }

    static func expected(_ role: String, _ endpoint: Endpoint) -> Int {
        let (permissions, office, types) = roles[role]!
        guard permissions.contains(endpoint.permission) else { return 403 }
        if endpoint.north {
            if let office, office != "NORTH-1" { return 403 }
            if let types, !types.contains("asylum") { return 403 }
        }
        return endpoint.success
    }

    @Test(arguments: TestDatabase.all)
    func everyRoleAgainstEveryEndpoint(_ database: TestDatabase) async throws {
        try await database.withNode { node in
            let service = node.service
            let p1 = try await service.registerPerson(Fixtures.person(), by: .system)
            let north = try await service.openCase(Fixtures.caseInput(principal: p1, type: .asylum, office: "NORTH-1"), by: .system)
            let document = try await service.attachDocument(north.number, metadata: DocumentMetadataInput(kind: "evidence"), mediaType: "application/pdf", bytes: Fixtures.pdf, by: .system)
            let checked = try await node.withClient { client -> Int in
                var checked = 0
                for role in Self.roles.keys.sorted() {
                    let loner = try await service.registerPerson(Fixtures.person(given: "Loner", passport: nil), by: .system)
                    let partner = try await service.registerPerson(Fixtures.person(given: "Partner", passport: nil), by: .system)
                    let fields = ["north": north.number.text, "p1": p1.id.rawValue, "document": document.id.rawValue, "loner": loner.id.rawValue, "partner": partner.id.rawValue]
                    for endpoint in Self.endpoints(fields) {
                        var body = endpoint.body
                        if body == "PERSON_UPDATE" {
                            let version = try await service.person(p1.id, by: .system).version
                            body = #"{"name": {"given": "Ahmad", "family": "Karimi"}, "expectedVersion": \#(version)}"#
                        } else if body == "CASE_UPDATE" {
                            let version = try await service.caseRecord(north.number, by: .system).version
                            body = #"{"expectedVersion": \#(version), "title": "Reviewed by \#(role)"}"#
                        }
                        let reply = try await client.call(endpoint.method, endpoint.path, json: body, bytes: endpoint.bytes,
                                                          contentType: endpoint.bytes == nil ? nil : "application/pdf", user: role, purpose: "matrix test")
                        #expect(Int(reply.status.code) == Self.expected(role, endpoint), "\(role) \(endpoint.method) \(endpoint.path): \(reply.errorCode ?? "")")
                        checked += 1
                    }
                }
                return checked
            }
            #expect(checked == Self.roles.count * 18)
        }
    }
}
