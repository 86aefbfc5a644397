public import AccordCore

/// The one error type of the Storage module.
public struct StorageError: AccordError, Equatable {
    public let code: String
    public let reason: String
    public let category: ErrorCategory

    public init(code: String, reason: String, category: ErrorCategory = .internal) {
        self.code = code
        self.reason = reason
        self.category = category
    }


    public static func invalidDatabaseURL(_ url: String, _ why: String) -> StorageError {
        StorageError(code: "storage.invalid_database_url", reason: "cannot use database URL '\(redacted(url))': \(why)", category: .invalidInput)
    }

    /// A read-only command pointed at a place that holds no Accord database: nothing is created.
    public static func notFound(_ place: String) -> StorageError {
        StorageError(code: "storage.not_found", reason: "no Accord database at \(redacted(place)); check --data-dir or --database-url (nothing was created)", category: .notFound)
    }

    public static func unavailable(_ why: String) -> StorageError {
        StorageError(code: "storage.unavailable", reason: "the database is not reachable: \(why)", category: .unavailable)
    }

    public static func corruptRecord(_ what: String) -> StorageError {
        StorageError(code: "storage.corrupt_record", reason: "a stored record cannot be read: \(what)")
    }

    public static func migrationFailed(_ id: String, _ why: String) -> StorageError {
        StorageError(code: "storage.migration_failed", reason: "migration \(id) failed: \(why)")
    }

    public static func schemaTooNew(_ ids: [String]) -> StorageError {
        StorageError(
            code: "storage.schema_too_new",
            reason: "the database has migrations this version does not know (\(ids.joined(separator: ", "))); run a newer accord",
            category: .unavailable
        )
    }

    public static func blobIO(_ why: String) -> StorageError {
        StorageError(code: "storage.blob_io", reason: "blob store: \(why)")
    }

    public static func blobCorrupt(_ digest: String) -> StorageError {
        StorageError(code: "storage.blob_corrupt", reason: "blob \(digest.prefix(16))… does not match its digest")
    }

    /// A URL with its password replaced by `***`, for messages and logs.
    public static func redacted(_ url: String) -> String {
        guard let at = url.firstIndex(of: "@"), let scheme = url.range(of: "://"),
              let colon = url[scheme.upperBound..<at].firstIndex(of: ":") else { return url }
        return String(url[..<url.index(after: colon)]) + "***" + String(url[at...])
    }
}
