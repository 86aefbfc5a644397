public import Foundation
import SQLKit
public import Storage

/// Looks for personal data left readable in a database: every text value of every table, and
/// the same value read as base64 (signed payloads are stored that way), searched for `needles`
/// case-insensitively. Returns `table.column` for each hit.
public enum ClearTextScan {
    public static func find(_ needles: [String], in store: SQLStore) async throws -> [String] {
        let tables: [String]
        switch store.dialect {
        case .sqlite:
            tables = try await store.database.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all()
                .map { try $0.decode(column: "name", as: String.self) }
        case .postgres:
            tables = try await store.database.raw("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'").all()
                .map { try $0.decode(column: "table_name", as: String.self) }
        }
        let lowered = needles.map { $0.lowercased() }
        var hits: Set<String> = []
        for table in tables {
            for row in try await store.database.raw("SELECT * FROM \(ident: table)").all() {
                for column in row.allColumns {
                    guard let text = try? row.decode(column: column, as: String?.self) else { continue }
                    var candidates = [text.lowercased()]
                    if let decoded = Data(base64Encoded: text).flatMap({ String(data: $0, encoding: .utf8) }) { candidates.append(decoded.lowercased()) }
                    if candidates.contains(where: { candidate in lowered.contains { candidate.contains($0) } }) { hits.insert("\(table).\(column)") }
                }
            }
        }
        return hits.sorted()
    }
}
