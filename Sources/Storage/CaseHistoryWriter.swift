public import AccordCore
import Casework
import Crypto
import SQLKit

/// Appends entries to a case's history inside the caller's transaction. The case row's
/// `history_length` is the sequence counter: incrementing it locks the case row, so concurrent
/// writers get consecutive, gap-free sequence numbers.
enum CaseHistoryWriter {
    /// Summaries are sealed under the principal's data key (`nil`: the principal was erased).
    static func append(_ records: [HistoryRecord], to caseID: Case.ID, key: SymmetricKey?, in db: any SQLDatabase) async throws {
        guard !records.isEmpty else { return }
        let rows = try await db.raw("""
            UPDATE cases SET history_length = history_length + \(bind: records.count)
            WHERE id = \(bind: caseID.rawValue) RETURNING history_length
            """).all()
        guard let last = try rows.first?.integer("history_length") else {
            throw CaseworkError.caseNotFound(caseID.rawValue)
        }
        try await insert(records, caseID: caseID, firstSequence: last - records.count + 1, key: key, in: db)
    }

    /// Inserts entries with known sequence numbers (used when the case row is written in the
    /// same transaction with its final `history_length`).
    static func insert(_ records: [HistoryRecord], caseID: Case.ID, firstSequence: Int, key: SymmetricKey?, in db: any SQLDatabase) async throws {
        let values = try records.enumerated().map { offset, record -> SQLQueryString in
            let summary = try key.map { try FieldCipher.seal(Array(record.summary.utf8), key: $0, context: context(record.id)) } ?? CaseworkError.erasedPlaceholder
            return "(\(bind: record.id.rawValue), \(bind: caseID.rawValue), \(bind: firstSequence + offset), \(bind: record.at.millisecondsSince1970), \(bind: record.actor.rawValue), \(bind: record.action.rawValue), \(bind: summary))"
        }
        try await db.raw("""
            INSERT INTO case_history (id, case_id, sequence, at, actor, action, summary) VALUES \(values.joined(separator: ", "))
            """).run()
    }

    static func context(_ id: CaseHistoryEntry.ID) -> String { "history:\(id)" }
}
