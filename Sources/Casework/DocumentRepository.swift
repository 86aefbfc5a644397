/// Where document records are kept (their bytes are in a `BlobStore`).
public protocol DocumentRepository: Sendable {
    /// Stores the record and appends the history entry to its case, atomically.
    func attach(_ document: CaseDocument, history: HistoryRecord) async throws
    func document(_ id: CaseDocument.ID) async throws -> CaseDocument?
    func documents(of caseID: Case.ID) async throws -> [CaseDocument]
}

/// Storage of document bytes, addressed by their SHA-256 digest and the person they are about
/// (whose data key protects them, so erasing the person erases the bytes).
public protocol BlobStore: Sendable {
    /// Stores the bytes and returns their digest. Storing the same bytes twice for one owner
    /// keeps one copy. A blob is complete or absent, never partial.
    func put(_ bytes: [UInt8], owner: Person.ID) async throws -> ContentDigest
    /// The bytes stored under `digest` for `owner`, verified against the digest; nil if absent.
    func get(_ digest: ContentDigest, owner: Person.ID) async throws -> [UInt8]?
}
