public import AccordCore
public import Casework
import SQLKit

/// Document records in SQL; their bytes are in a `BlobStore`.
public struct SQLDocumentRepository: DocumentRepository {
    let store: SQLStore

    public init(store: SQLStore) {
        self.store = store
    }

    public func attach(_ document: CaseDocument, history: HistoryRecord) async throws {
        try await store.transaction { db in
            try await CaseHistoryWriter.append([history], to: document.caseID, in: db)
            try await db.raw("""
                INSERT INTO documents (id, case_id, person_id, kind, title, file_name, issuing_country, document_number,
                                       valid_from, valid_until, media_type, byte_count, sha256, uploaded_at, uploaded_by)
                VALUES (\(bind: document.id.rawValue), \(bind: document.caseID.rawValue), \(bind: document.personID?.rawValue),
                        \(bind: document.kind.rawValue), \(bind: document.title), \(bind: document.fileName),
                        \(bind: document.issuingCountry?.rawValue), \(bind: document.documentNumber),
                        \(bind: document.validFrom?.text), \(bind: document.validUntil?.text), \(bind: document.mediaType),
                        \(bind: document.byteCount), \(bind: document.digest.hex), \(bind: document.uploadedAt.millisecondsSince1970),
                        \(bind: document.uploadedBy.rawValue))
                """).run()
        }
    }

    public func document(_ id: CaseDocument.ID) async throws -> CaseDocument? {
        try await store.database.raw("SELECT * FROM documents WHERE id = \(bind: id.rawValue)").first().map(Self.decode)
    }

    public func documents(of caseID: Case.ID) async throws -> [CaseDocument] {
        try await store.database.raw("SELECT * FROM documents WHERE case_id = \(bind: caseID.rawValue) ORDER BY uploaded_at, id")
            .all().map(Self.decode)
    }

    static func decode(_ row: any SQLRow) throws -> CaseDocument {
        CaseDocument(
            id: try row.parsed("id", CaseDocument.ID.init),
            caseID: try row.parsed("case_id", Case.ID.init),
            personID: try row.optionalParsed("person_id", Person.ID.init),
            kind: try row.parsed("kind", CaseDocument.Kind.init(rawValue:)),
            title: try row.optionalText("title"),
            fileName: try row.optionalText("file_name"),
            issuingCountry: try row.optionalParsed("issuing_country", CountryCode.init),
            documentNumber: try row.optionalText("document_number"),
            validFrom: try row.optionalParsed("valid_from", CalendarDate.init),
            validUntil: try row.optionalParsed("valid_until", CalendarDate.init),
            mediaType: try row.text("media_type"),
            byteCount: try row.integer("byte_count"),
            digest: try row.parsed("sha256") { ContentDigest(hex: $0) },
            uploadedAt: try row.date("uploaded_at"),
            uploadedBy: try row.parsed("uploaded_by", UserID.init)
        )
    }
}
