/// Where document records are kept (their bytes are in a `BlobStore`).
public protocol DocumentRepository: Sendable {
    /// Stores the record and appends the history entry to its case, atomically.
    func attach(_ document: CaseDocument, history: HistoryRecord) async throws
    func document(_ id: CaseDocument.ID) async throws -> CaseDocument?
    func documents(of caseID: Case.ID) async throws -> [CaseDocument]
}

/// Content-addressed storage of document bytes.
public protocol BlobStore: Sendable {
    /// Stores the bytes under their SHA-256 digest and returns it. Storing the same bytes twice
    /// keeps one copy. A blob is complete or absent, never partial.
    func put(_ bytes: [UInt8]) async throws -> ContentDigest
    /// The bytes stored under `digest`, verified against it; nil if absent.
    func get(_ digest: ContentDigest) async throws -> [UInt8]?
}
