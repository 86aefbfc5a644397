public import Foundation

/// Which database a node uses, parsed from a database URL:
/// - `sqlite:///absolute/path/accord.sqlite`, `sqlite:relative/path.sqlite` or a bare file path
///   ending in `.sqlite`/`.db` — the embedded default;
/// - `postgres://user:password@host:port/database[?sslmode=disable|prefer|require]` (also
///   `postgresql://`) — production.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    public init(url: String) throws(StorageError) {
        let trimmed = url.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") {
            guard let parsed = URL(string: trimmed), parsed.host != nil else {
                throw .invalidDatabaseURL(trimmed, "expected postgres://user:password@host:port/database")
            }
            guard parsed.path.count > 1 else { throw .invalidDatabaseURL(trimmed, "no database name") }
            self = .postgres(url: trimmed)
        } else if trimmed.hasPrefix("sqlite://") {
            let path = String(trimmed.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw .invalidDatabaseURL(trimmed, "no file path") }
            self = .sqlite(path: path)
        } else if trimmed.hasPrefix("sqlite:") {
            let path = String(trimmed.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw .invalidDatabaseURL(trimmed, "no file path") }
            self = .sqlite(path: path)
        } else if !trimmed.contains("://"), trimmed.hasSuffix(".sqlite") || trimmed.hasSuffix(".db") {
            self = .sqlite(path: trimmed)
        } else {
            throw .invalidDatabaseURL(trimmed, "use sqlite:PATH or postgres://user:password@host:port/database")
        }
    }

    /// The default: an SQLite file in the node's data directory.
    public static func defaultSQLite(dataDirectory: String) -> DatabaseLocation {
        .sqlite(path: (dataDirectory as NSString).appendingPathComponent("accord.sqlite"))
    }

    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url): StorageError.redacted(url)
        }
    }

    public var isPostgres: Bool {
        if case .postgres = self { return true }
        return false
    }
}
