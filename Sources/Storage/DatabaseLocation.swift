public import Foundation

/// Which database a node uses, parsed from a database URL:
/// - `sqlite:///absolute/path/accord.sqlite`, `sqlite:relative/path.sqlite` or a bare file path
///   ending in `.sqlite`/`.db` — the embedded default;
/// - `postgres://user:password@host:port/database[?sslmode=disable|prefer|require][&schema=NAME]`
///   (also `postgresql://`) — production. `schema` puts Accord's tables in that schema (created
///   if missing), so that, for instance, a hub and a node can share one database.
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
            if let schema = Self.schema(inURL: trimmed), !Self.isValidSchemaName(schema) {
                throw .invalidDatabaseURL(trimmed, "schema must be lower-case letters, digits and _ and start with a letter or _")
            }
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

    /// The `schema` query parameter of a PostgreSQL URL.
    static func schema(inURL url: String) -> String? {
        URLComponents(string: url)?.queryItems?.first { $0.name == "schema" }?.value
    }

    /// The URL without its `schema` parameter (the driver does not know it).
    static func withoutSchema(_ url: String) -> String {
        guard var components = URLComponents(string: url), let items = components.queryItems else { return url }
        let kept = items.filter { $0.name != "schema" }
        components.queryItems = kept.isEmpty ? nil : kept
        return components.string ?? url
    }

    static func isValidSchemaName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.count <= 63 else { return false }
        let lower = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz_")
        return lower.contains(first) && name.unicodeScalars.allSatisfy { lower.contains($0) || CharacterSet(charactersIn: "0123456789").contains($0) }
    }

    public var isPostgres: Bool {
        if case .postgres = self { return true }
        return false
    }
}
