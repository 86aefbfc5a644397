import AccordCore
public import Casework
import Crypto
import SQLKit

/// Document records in SQL; their bytes are in a `BlobStore`. Title, file name and document
/// number are sealed under the data key of the person the document is about (or of the case
/// principal).
public struct SQLDocumentRepository: DocumentRepository {
    let store: SQLStore
    let cipher: FieldCipher

    public init(store: SQLStore, cipher: FieldCipher) {
        self.store = store
        self.cipher = cipher
    }

    static func context(_ id: CaseDocument.ID, _ field: String) -> String { "document:\(id):\(field)" }

    public func attach(_ document: CaseDocument, history: HistoryRecord) async throws {
        let cipher = self.cipher
        try await store.transaction { db in
            let principal = try await SQLCaseRepository.principalKey(of: document.caseID, cipher: cipher, in: db)
            let owner = try await document.personID.asyncMap { try await cipher.dataKey(for: $0, in: db) } ?? principal
            guard let key = owner else { throw CaseworkError.personErased("owner of document \(document.id)") }
            try await CaseHistoryWriter.append([history], to: document.caseID, key: principal, in: db)
            let title = try FieldCipher.seal(document.title, key: key, context: Self.context(document.id, "title"))
            let fileName = try FieldCipher.seal(document.fileName, key: key, context: Self.context(document.id, "file_name"))
            let number = try FieldCipher.seal(document.documentNumber, key: key, context: Self.context(document.id, "document_number"))
            try await db.raw("""
                INSERT INTO documents (id, case_id, person_id, kind, title, file_name, issuing_country, document_number,
                                       valid_from, valid_until, media_type, byte_count, sha256, uploaded_at, uploaded_by)
                VALUES (\(bind: document.id.rawValue), \(bind: document.caseID.rawValue), \(bind: document.personID?.rawValue),
                        \(bind: document.kind.rawValue), \(bind: title), \(bind: fileName),
                        \(bind: document.issuingCountry?.rawValue), \(bind: number),
                        \(bind: document.validFrom?.text), \(bind: document.validUntil?.text), \(bind: document.mediaType),
                        \(bind: document.byteCount), \(bind: document.digest.hex), \(bind: document.uploadedAt.millisecondsSince1970),
                        \(bind: document.uploadedBy.rawValue))
                """).run()
        }
    }

    public func document(_ id: CaseDocument.ID) async throws -> CaseDocument? {
        try await load("WHERE d.id = \(bind: id.rawValue)").first
    }

    public func documents(of caseID: Case.ID) async throws -> [CaseDocument] {
        try await load("WHERE d.case_id = \(bind: caseID.rawValue) ORDER BY d.uploaded_at, d.id")
    }

    /// The person whose data key seals the document's fields and bytes.
    public func owner(of id: CaseDocument.ID) async throws -> Person.ID? {
        try await store.database.raw("""
            SELECT COALESCE(d.person_id, c.principal_person_id) AS owner_id FROM documents d JOIN cases c ON c.id = d.case_id WHERE d.id = \(bind: id.rawValue)
            """).first().map { try $0.parsed("owner_id", Person.ID.init) }
    }

    private func load(_ condition: SQLQueryString) async throws -> [CaseDocument] {
        let rows = try await store.database.raw("""
            SELECT d.*, COALESCE(d.person_id, c.principal_person_id) AS owner_id FROM documents d JOIN cases c ON c.id = d.case_id \(condition)
            """).all()
        let keys = try await cipher.dataKeys(for: try rows.map { try $0.parsed("owner_id", Person.ID.init) }, in: store.database)
        return try rows.map { row in try Self.decode(row, key: keys[try row.parsed("owner_id", Person.ID.init)]) }
    }

    static func decode(_ row: any SQLRow, key: SymmetricKey?) throws -> CaseDocument {
        let id = try row.parsed("id", CaseDocument.ID.init)
        return CaseDocument(
            id: id,
            caseID: try row.parsed("case_id", Case.ID.init),
            personID: try row.optionalParsed("person_id", Person.ID.init),
            kind: try row.parsed("kind", CaseDocument.Kind.init(rawValue:)),
            title: try FieldCipher.openText(row.optionalText("title"), key: key, context: context(id, "title")),
            fileName: try FieldCipher.openText(row.optionalText("file_name"), key: key, context: context(id, "file_name")),
            issuingCountry: try row.optionalParsed("issuing_country", CountryCode.init),
            documentNumber: try FieldCipher.openText(row.optionalText("document_number"), key: key, context: context(id, "document_number")),
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
