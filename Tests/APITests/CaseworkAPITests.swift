import AccordServer
import AccordTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct CaseworkAPITests {
    @Test(arguments: TestDatabase.all)
    func aCaseFromRegistrationToDocumentDownload(_ database: TestDatabase) async throws {
        try await database.withNode { node in
            try await node.withClient { client in
                let health = try await client.call(.get, "/health")
                #expect(health.status == .ok && health["database"] as? String == database.rawValue)

                let person = try await client.call(.post, "/api/v1/persons", json: personJSON)
                #expect(person.status == .created)
                let personID = try #require(person["id"] as? String)
                #expect((person["identityDocuments"] as? [[String: Any]])?.first?["number"] as? String == "P01234567")

                let found = try await client.call(.get, "/api/v1/persons?name=KARIMI")
                #expect((found["persons"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [personID])
                let byDocument = try await client.call(.get, "/api/v1/persons?documentNumber=p01234567")
                #expect((byDocument["persons"] as? [Any])?.count == 1)
                // Search before create: another spelling in Latin, the name in Arabic script, the year of birth.
                let likely = try await client.call(.post, "/api/v1/duplicates", json: #"{"name": {"given": "Ahmed", "family": "Kareemi"}, "nativeNames": [{"script": "Arab", "given": "احمد", "family": "کریمی"}], "dateOfBirth": "1987"}"#)
                let candidates = try #require(likely["candidates"] as? [[String: Any]])
                #expect(likely.status == .ok && candidates.count == 1 && (candidates.first?["person"] as? [String: Any])?["id"] as? String == personID)
                #expect((candidates.first?["reasons"] as? [String])?.contains("same year of birth 1987 (the rest unknown on one side)") == true)
                let invalid = try await client.call(.post, "/api/v1/duplicates", json: #"{"name": {"family": "Karimi"}, "dateOfBirth": "1987-13"}"#)
                #expect(invalid.status.code == 422, "an impossible date is refused, not searched around")

                let opened = try await client.call(.post, "/api/v1/cases", json: jsonString([
                    "type": "asylum", "office": "hq-asylum", "principalPersonID": personID, "title": "Protection request",
                ]))
                #expect(opened.status == .created)
                let number = try #require(opened["number"] as? String)
                #expect(number.hasPrefix("ASY-2026-000001-"))
                #expect(opened["office"] as? String == "HQ-ASYLUM")

                let moved = try await client.call(.patch, "/api/v1/cases/\(number)", json: #"{"expectedVersion": 1, "assignedOfficer": "k.novak"}"#)
                #expect(moved.status == .ok && moved["version"] as? Int == 2 && moved["state"] as? String == "registered")
                let nobody = try await client.call(.patch, "/api/v1/cases/\(number)", json: #"{"expectedVersion": 2, "assignedOfficer": "no.such.officer"}"#)
                #expect(nobody.status.code == 422 && nobody.errorCode == "casework.unknown_officer")

                let note = try await client.call(.post, "/api/v1/cases/\(number)/notes", json: #"{"text": "Interview on Monday."}"#)
                #expect(note.status == .created && note["author"] as? String == "k.novak")

                let upload = try await client.call(.post, "/api/v1/cases/\(number)/documents?kind=passport&fileName=passport.pdf&personID=\(personID)&issuingCountry=AFG",
                                                   bytes: Fixtures.pdf, contentType: "application/pdf")
                #expect(upload.status == .created)
                let documentID = try #require(upload["id"] as? String)
                let download = try await client.call(.get, "/api/v1/documents/\(documentID)/content")
                #expect(download.status == .ok && download.bytes == Fixtures.pdf)
                #expect(download.headers[.contentType] == "application/pdf")
                #expect(download.headers[.contentDisposition] == "attachment; filename=\"passport.pdf\"")

                let history = try await client.call(.get, "/api/v1/cases/\(number)/history")
                let actions = (history["history"] as? [[String: Any]])?.compactMap { $0["action"] as? String }
                #expect(actions == ["case_opened", "assignment_changed", "note_added", "document_attached"])
                let listed = try await client.call(.get, "/api/v1/cases?state=registered&type=asylum&office=HQ-ASYLUM&open=true")
                #expect(listed["total"] as? Int == 1)
                let personCases = try await client.call(.get, "/api/v1/persons/\(personID)/cases")
                #expect(personCases["total"] as? Int == 1)
                let documents = try await client.call(.get, "/api/v1/cases/\(number)/documents")
                #expect((documents["documents"] as? [Any])?.count == 1)

                // Erasure: the person's data is gone, the case and its numbering remain.
                let erased = try await client.call(.delete, "/api/v1/persons/\(personID)", user: "dpo")
                #expect(erased.status == .noContent)
                let gone = try await client.call(.get, "/api/v1/persons/\(personID)")
                #expect(gone.status == .gone && gone.errorCode == "casework.person_erased")
                #expect(try await client.call(.delete, "/api/v1/persons/\(personID)").status == .gone)
                #expect(try await client.call(.get, "/api/v1/documents/\(documentID)/content").errorCode == "casework.person_erased")
                let notes = try await client.call(.get, "/api/v1/cases/\(number)/notes")
                #expect((notes["notes"] as? [[String: Any]])?.first?["text"] as? String == "[erased]")
                #expect(try await client.call(.get, "/api/v1/cases/\(number)").status == .ok)
            }
        }
    }
}
