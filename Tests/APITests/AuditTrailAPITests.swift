import AccordServer
import AccordTesting
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Identity
import Storage
import Testing

/// Every read and write of personal data through the API lands in the audit trail with who, in
/// what role, from where and why — and the trail verifies.
@Suite struct AuditTrailAPITests {
    @Test(arguments: TestDatabase.all)
    func readsAndWritesAreAttributed(_ database: TestDatabase) async throws {
        try await database.withNode { node in
            let ids = try await node.withClient { client -> (String, String) in
                let person = try await client.call(.post, "/api/v1/persons", json: personJSON)
                let personID = try #require(person["id"] as? String)
                let opened = try await client.call(.post, "/api/v1/cases", json: jsonString(["type": "asylum", "office": "HQ", "principalPersonID": personID]))
                let caseID = try #require(opened["id"] as? String)
                var headers: HTTPFields = [:]
                headers[HTTPField.Name("X-Forwarded-For")!] = "192.0.2.7, 10.0.0.1"
                let read = try await client.call(.get, "/api/v1/persons/\(personID)", user: "l.legal", purpose: "appeal preparation", headers: headers)
                #expect(read.status == .ok)
                let anonymous = try await client.call(.get, "/api/v1/persons?name=karimi", user: nil)
                #expect(anonymous.status == .unauthorized && anonymous.errorCode == "identity.unauthenticated")
                #expect(anonymous.headers[.wwwAuthenticate] != nil)
                return (personID, caseID)
            }
            let log = SQLAuditLog(store: node.store)
            let events = try await log.entries().map(\.event)
            #expect(events.contains(AuditEvent(actor: "k.novak", role: "tester", action: .create, resourceType: "person", resourceRef: ids.0, origin: "api")))
            #expect(events.contains(AuditEvent(actor: "k.novak", role: "tester", action: .create, resourceType: "case", resourceRef: ids.1, origin: "api")))
            #expect(events.contains(AuditEvent(actor: "l.legal", role: "tester", action: .read, resourceType: "person", resourceRef: ids.0, origin: "192.0.2.7", purpose: "appeal preparation")))
            // References are pseudonymous: no name or document number in the trail.
            #expect(!events.contains { "\($0)".localizedCaseInsensitiveContains("karimi") || "\($0)".contains("P01234567") })
            let key = P256.Signing.PrivateKey()
            _ = try await log.checkpoint(key: key)
            #expect(try await log.verify(key: key.publicKey).isIntact)
        }
    }
}
