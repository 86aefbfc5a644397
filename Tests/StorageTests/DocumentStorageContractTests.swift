import AccordCore
import AccordTesting
import Casework
import Foundation
import Storage
import Testing

@Suite struct DocumentStorageContractTests {
    @Test(arguments: TestDatabase.all)
    func documentsRoundTripByContentAddress(_ database: TestDatabase) async throws {
        try await database.withService { service, clock, _ in
            let person = try await service.registerPerson(Fixtures.person(), by: .system)
            let record = try await service.openCase(Fixtures.caseInput(principal: person), by: .system)
            let metadata = DocumentMetadataInput(kind: "passport", title: "Passport", fileName: "passport.pdf", personID: person.id.rawValue,
                                                 issuingCountry: "AFG", documentNumber: "p 0123 4567", validFrom: "2020-05-01", validUntil: "2030-04-30")
            let first = try await service.attachDocument(record.number, metadata: metadata, mediaType: "application/pdf", bytes: Fixtures.pdf, by: .system)
            clock.advance(by: 1)
            let second = try await service.attachDocument(record.number, metadata: DocumentMetadataInput(kind: "evidence"), mediaType: "application/pdf", bytes: Fixtures.pdf, by: .system)
            #expect(first.digest == second.digest)
            #expect(first.documentNumber == "P01234567")
            #expect(try await service.document(first.id, by: .system) == first)
            #expect(try await service.documents(record.number, by: .system).map(\.id) == [first.id, second.id])
            let (document, bytes) = try await service.documentContent(first.id, by: .system)
            #expect(document == first && bytes == Fixtures.pdf)
        }
    }

    @Test(arguments: TestDatabase.all)
    func refusedUploadsWriteNothing(_ database: TestDatabase) async throws {
        try await database.withService(policy: DocumentPolicy(maximumBytes: 200)) { service, _, store in
            let person = try await service.registerPerson(Fixtures.person(), by: .system)
            let other = try await service.registerPerson(Fixtures.person(given: "Omar"), by: .system)
            let record = try await service.openCase(Fixtures.caseInput(principal: person), by: .system)
            let before = try await Fixtures.rowCounts(store)
            let kind = DocumentMetadataInput(kind: "evidence")
            await #expect(throws: CaseworkError.documentTooLarge(limit: 0)) {
                try await service.attachDocument(record.number, metadata: kind, mediaType: "application/pdf", bytes: Fixtures.pdf + [UInt8](repeating: 32, count: 300), by: .system)
            }
            await #expect(throws: CaseworkError.contentMismatch("")) {
                try await service.attachDocument(record.number, metadata: kind, mediaType: "image/png", bytes: Fixtures.pdf, by: .system)
            }
            await #expect(throws: CaseworkError(code: "casework.invalid_document_kind", reason: "", category: .invalidInput)) {
                try await service.attachDocument(record.number, metadata: DocumentMetadataInput(kind: "selfie"), mediaType: "application/pdf", bytes: Fixtures.pdf, by: .system)
            }
            await #expect(throws: CaseworkError(code: "casework.person_not_in_case", reason: "", category: .invalidInput)) {
                try await service.attachDocument(record.number, metadata: DocumentMetadataInput(kind: "evidence", personID: other.id.rawValue), mediaType: "application/pdf", bytes: Fixtures.pdf, by: .system)
            }
            #expect(try await Fixtures.rowCounts(store) == before)
        }
    }

    @Test(arguments: TestDatabase.all)
    func blobsAreSealedCheckedAndNeverPartial(_ database: TestDatabase) async throws {
        try await database.withService { service, _, _ in
            let person = try await service.registerPerson(Fixtures.person(), by: .system)
            let digest = try await service.blobs.put(Fixtures.pdf, owner: person.id)
            #expect(try await service.blobs.get(digest, owner: person.id) == Fixtures.pdf)
            let blobs = try #require(service.blobs as? FileBlobStore)
            let files = try FileManager.default.subpathsOfDirectory(atPath: blobs.root.appendingPathComponent("sealed").path)
                .map { blobs.root.appendingPathComponent("sealed/\($0)") }.filter { !$0.hasDirectoryPath && $0.lastPathComponent.count == 64 }
            let file = try #require(files.first)
            let sealed = try Data(contentsOf: file)
            #expect(!sealed.starts(with: Array("%PDF".utf8)))
            #expect(!file.lastPathComponent.contains(digest.hex))
            try Data("tampered".utf8).write(to: file)
            await #expect(throws: StorageError.blobCorrupt("")) { try await service.blobs.get(digest, owner: person.id) }
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: blobs.root.appendingPathComponent("tmp").path)
            #expect(leftovers.isEmpty)
            #expect(try await service.blobs.get(ContentDigest(hex: String(repeating: "0", count: 64))!, owner: person.id) == nil)
        }
    }
}
