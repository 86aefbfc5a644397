import AccordServer
import Foundation
import HTTPTypes
import Identity
import Storage
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A decoded JSON response: the status, and the body as a loose JSON object for assertions.
struct JSONReply {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let bytes: [UInt8]

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:]
    }

    var errorCode: String? {
        (json["error"] as? [String: Any])?["code"] as? String
    }

    subscript(key: String) -> Any? { json[key] }
}

/// A test client that signs its requests with the bearer token of a named test user.
struct APIClient: Sendable {
    let client: any TestClientProtocol
    let tokens: [String: String]

    func call(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil, bytes: [UInt8]? = nil, contentType: String? = nil,
              user: String? = "k.novak", purpose: String? = nil, headers extra: HTTPFields = [:]) async throws -> JSONReply {
        var headers = extra
        if let user { headers[.authorization] = "Bearer \(tokens[user] ?? "acc_unknown")" }
        if let purpose { headers[HTTPField.Name("X-Accord-Purpose")!] = purpose }
        if json != nil { headers[.contentType] = contentType ?? "application/json" }
        if bytes != nil, let contentType { headers[.contentType] = contentType }
        let body: ByteBuffer? = json.map { ByteBuffer(string: $0) } ?? bytes.map { ByteBuffer(bytes: $0) }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
            JSONReply(status: response.status, headers: response.headers, bytes: Array(response.body.readableBytesView))
        }
    }
}

extension AccordNode {
    /// Test users and their roles (the `tester` role may do everything everywhere).
    static let testUsers: [String: [RoleGrant]] = [
        "k.novak": [RoleGrant(role: "tester")],
        "l.legal": [RoleGrant(role: "tester")],
        "dpo": [RoleGrant(role: "tester")],
        "officer.north": [RoleGrant(role: "case_officer", office: "NORTH-1")],
        "officer.south": [RoleGrant(role: "case_officer", office: "SOUTH-2")],
        "supervisor.north": [RoleGrant(role: "supervisor", office: "NORTH-1")],
        "legal": [RoleGrant(role: "legal_officer")],
        "auditor": [RoleGrant(role: "auditor")],
        "dpo.real": [RoleGrant(role: "data_protection_officer")],
        "admin": [RoleGrant(role: "administrator")],
        "applicant": [RoleGrant(role: "applicant")],
        "liaison": [RoleGrant(role: "partner_liaison")],
        "clerk.north": [RoleGrant(role: "registry_clerk", office: "NORTH-1")],
        "representative": [RoleGrant(role: "legal_representative")],
        "border.agency": [RoleGrant(role: "agency")],
    ]

    /// Runs `body` with an in-process client of this node's full router, after creating the test
    /// users and an API token for each.
    func withClient<T: Sendable>(_ body: @escaping @Sendable (APIClient) async throws -> T) async throws -> T {
        let auth = try authentication()
        let tokens = SQLTokenRepository(store: store)
        var issued: [String: String] = [:]
        for (name, grants) in Self.testUsers {
            let id = UserID(name)!
            if var existing = try await auth.users.user(id) {
                // A fixture officer of the same name takes the test roles.
                existing.grants = grants
                try await auth.users.update(existing, expectedVersion: existing.version)
            } else {
                _ = try await auth.users.insert(UserAccount(id: id, displayName: name, grants: grants, passwordHash: "-", createdAt: Date()))
            }
            issued[name] = try await auth.issueToken(for: id, scopes: nil, validity: 3_600, tokens: tokens, by: .tool("test"))
        }
        let application = Application(router: try await makeRouter())
        let frozen = issued
        return try await application.test(.router) { client in try await body(APIClient(client: client, tokens: frozen)) }
    }
}

func jsonString(_ object: Any) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
}
let personJSON = """
    {"name": {"given": "Ahmad", "family": "Karimi"}, "nativeNames": [{"script": "Arab", "given": "احمد", "family": "کریمی"}],
     "dateOfBirth": "1987-03", "sex": "M", "nationality": "AFG",
     "identityDocuments": [{"kind": "passport", "number": "P0123 4567", "issuingCountry": "AFG", "expiresOn": "2030-04-30"}]}
    """
