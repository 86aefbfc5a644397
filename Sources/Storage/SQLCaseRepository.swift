public import AccordCore
public import Casework
import Crypto
import Foundation
import SQLKit

/// Cases, parties, history and notes in SQL.
public struct SQLCaseRepository: CaseRepository {
    let store: SQLStore
    let cipher: FieldCipher

    /// Notes and history summaries are sealed under the case principal's data key.
    public init(store: SQLStore, cipher: FieldCipher) {
        self.store = store
        self.cipher = cipher
    }

    static func principalKey(of caseID: Case.ID, cipher: FieldCipher, in db: any SQLDatabase) async throws -> SymmetricKey? {
        guard let row = try await db.raw("SELECT principal_person_id FROM cases WHERE id = \(bind: caseID.rawValue)").first() else {
            throw CaseworkError.caseNotFound(caseID.rawValue)
        }
        return try await cipher.dataKey(for: row.parsed("principal_person_id", Person.ID.init), in: db)
    }

    public func open(_ draft: CaseDraft, history: HistoryRecord, change: CaseChange) async throws -> Case {
        let cipher = self.cipher
        return try await store.transaction { db in
            let counter = try await db.raw("""
                INSERT INTO case_number_counters (prefix, year, last_value) VALUES (\(bind: draft.type.numberPrefix), \(bind: draft.year), 1)
                ON CONFLICT (prefix, year) DO UPDATE SET last_value = case_number_counters.last_value + 1
                RETURNING last_value
                """).first()
            let sequence = try counter?.integer("last_value") ?? 0
            guard let number = CaseNumber(type: draft.type, year: draft.year, sequence: sequence) else {
                throw CaseworkError(
                    code: "casework.case_numbers_exhausted",
                    reason: "no case numbers left for \(draft.type.numberPrefix) in \(draft.year)",
                    category: .conflict
                )
            }
            let opened = Case(
                id: draft.id, number: number, state: draft.state, workflowVersion: draft.workflowVersion, stateEnteredAt: draft.openedAt,
                deadline: draft.deadline, office: draft.office, assignedOfficer: draft.assignedOfficer,
                title: draft.title, parties: draft.parties, fields: draft.fields, openedAt: draft.openedAt, updatedAt: draft.openedAt, version: 1
            )
            guard let principal = opened.principal else {
                throw CaseworkError.invalid([Diagnostic(code: "casework.missing_field", message: "a case needs a principal person", path: "principalPersonID")])
            }
            let key = try await cipher.dataKey(for: principal, in: db)
            let sealed = try Self.sealed(opened, key: key)
            try await db.raw("""
                INSERT INTO cases (id, number, type, status, office, assigned_officer, title, principal_person_id,
                                   opened_at, updated_at, version, history_length, workflow_version, state_entered_at,
                                   deadline_on, timers_fired, next_timer_on, closed_at, fields, pending)
                VALUES (\(bind: opened.id.rawValue), \(bind: number.text), \(bind: opened.type.rawValue), \(bind: opened.state),
                        \(bind: opened.office.rawValue), \(bind: opened.assignedOfficer?.rawValue), \(bind: opened.title),
                        \(bind: principal.rawValue), \(bind: opened.openedAt.millisecondsSince1970),
                        \(bind: opened.updatedAt.millisecondsSince1970), 1, 1, \(bind: opened.workflowVersion),
                        \(bind: opened.stateEnteredAt.millisecondsSince1970), \(bind: opened.deadline?.daysSinceEpoch), 0,
                        \(bind: change.nextTimer?.daysSinceEpoch), NULL, \(bind: sealed.fields), NULL)
                """).run()
            try await Self.writeParties(opened, in: db)
            try await CaseHistoryWriter.insert([history] + change.history, caseID: opened.id, firstSequence: 1, key: key, in: db)
            try await Self.writeEffects(change, caseNumber: number, in: db)
            return opened
        }
    }

    private static func writeParties(_ record: Case, in db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM case_parties WHERE case_id = \(bind: record.id.rawValue)").run()
        guard !record.parties.isEmpty else { return }
        let values = record.parties.enumerated().map { position, party -> SQLQueryString in
            "(\(bind: record.id.rawValue), \(bind: party.personID.rawValue), \(bind: party.role.rawValue), \(bind: party.relationship), \(bind: position))"
        }
        try await db.raw("""
            INSERT INTO case_parties (case_id, person_id, role, relationship, position) VALUES \(values.joined(separator: ", "))
            """).run()
    }

    public func `case`(_ id: Case.ID) async throws -> Case? {
        try await load("SELECT * FROM cases WHERE id = \(bind: id.rawValue)").first
    }

    public func `case`(number: CaseNumber) async throws -> Case? {
        try await load("SELECT * FROM cases WHERE number = \(bind: number.text)").first
    }

    public func list(_ filter: CaseFilter) async throws -> CasePage {
        var conditions: [SQLQueryString] = []
        if let type = filter.type { conditions.append("type = \(bind: type.rawValue)") }
        if let state = filter.state { conditions.append("status = \(bind: state)") }
        if let open = filter.open { conditions.append(open ? "closed_at IS NULL" : "closed_at IS NOT NULL") }
        if let office = filter.office { conditions.append("office = \(bind: office.rawValue)") }
        if let officer = filter.assignedOfficer { conditions.append("assigned_officer = \(bind: officer.rawValue)") }
        if let person = filter.personID {
            conditions.append("id IN (SELECT case_id FROM case_parties WHERE person_id = \(bind: person.rawValue))")
        }
        if let clauses = filter.access {
            let alternatives = clauses.map { clause -> SQLQueryString in
                var parts: [SQLQueryString] = ["1 = 1"]
                if let office = clause.office { parts.append("office = \(bind: office)") }
                if let types = clause.caseTypes { parts.append(types.isEmpty ? "1 = 0" : "type IN (\(binds: types))") }
                return "(\(parts.joined(separator: " AND ")))"
            }
            conditions.append(alternatives.isEmpty ? "1 = 0" : "(\(alternatives.joined(separator: " OR ")))")
        }
        let whereClause: SQLQueryString = conditions.isEmpty ? "" : "WHERE \(conditions.joined(separator: " AND "))"
        let total = try await store.database.raw("SELECT COUNT(*) AS total FROM cases \(whereClause)").first()?.integer("total") ?? 0
        let order: SQLQueryString = switch filter.sort {
        case .newest: "opened_at DESC, number DESC"
        case .oldest: "opened_at, number"
        case .deadline: "CASE WHEN deadline_on IS NULL THEN 1 ELSE 0 END, deadline_on, opened_at"
        case .updated: "updated_at DESC, number DESC"
        }
        let cases = try await load("""
            SELECT * FROM cases \(whereClause) ORDER BY \(order)
            LIMIT \(bind: filter.limit) OFFSET \(bind: filter.offset)
            """, unseal: false)
        return CasePage(cases: cases, total: total)
    }

    public func update(_ updated: Case, expectedVersion: Int, change: CaseChange) async throws -> Case {
        let cipher = self.cipher
        return try await store.transaction { db in
            let key = try await Self.principalKey(of: updated.id, cipher: cipher, in: db)
            let sealed = try Self.sealed(updated, key: key)
            let rows = try await db.raw("""
                UPDATE cases SET status = \(bind: updated.state), office = \(bind: updated.office.rawValue),
                       assigned_officer = \(bind: updated.assignedOfficer?.rawValue), title = \(bind: updated.title),
                       updated_at = \(bind: updated.updatedAt.millisecondsSince1970), version = version + 1,
                       state_entered_at = \(bind: updated.stateEnteredAt.millisecondsSince1970),
                       deadline_on = \(bind: updated.deadline?.daysSinceEpoch), timers_fired = \(bind: updated.timersFired),
                       next_timer_on = \(bind: change.nextTimer?.daysSinceEpoch), closed_at = \(bind: updated.closedAt?.millisecondsSince1970),
                       fields = \(bind: sealed.fields), pending = \(bind: sealed.pending),
                       triage_track = \(bind: updated.triage?.track), triage_rule = \(bind: updated.triage?.rule),
                       triage_overridden_by = \(bind: updated.triage?.overriddenBy?.rawValue)
                WHERE id = \(bind: updated.id.rawValue) AND version = \(bind: expectedVersion)
                RETURNING version
                """).all()
            guard let version = try rows.first?.integer("version") else {
                let current = try await db.raw("SELECT version FROM cases WHERE id = \(bind: updated.id.rawValue)").first()
                guard let current else { throw CaseworkError.caseNotFound(updated.number.text) }
                throw CaseworkError.versionConflict(expected: expectedVersion, actual: try current.integer("version"))
            }
            try await Self.writeParties(updated, in: db)
            try await CaseHistoryWriter.append(change.history, to: updated.id, key: key, in: db)
            try await Self.writeEffects(change, caseNumber: updated.number, in: db)
            var result = updated
            result.version = version
            return result
        }
    }

    public func addNote(_ note: CaseNote, history: HistoryRecord) async throws {
        let cipher = self.cipher
        try await store.transaction { db in
            guard let key = try await Self.principalKey(of: note.caseID, cipher: cipher, in: db) else {
                throw CaseworkError.personErased("principal of case \(note.caseID)")
            }
            try await CaseHistoryWriter.append([history], to: note.caseID, key: key, in: db)
            let text = try FieldCipher.seal(Array(note.text.utf8), key: key, context: "note:\(note.id)")
            try await db.raw("""
                INSERT INTO case_notes (id, case_id, author, at, text, recipient)
                VALUES (\(bind: note.id.rawValue), \(bind: note.caseID.rawValue), \(bind: note.author.rawValue),
                        \(bind: note.at.millisecondsSince1970), \(bind: text), \(bind: note.recipient?.rawValue))
                """).run()
        }
    }

    public func notes(of caseID: Case.ID) async throws -> [CaseNote] {
        let key = try await Self.principalKey(of: caseID, cipher: cipher, in: store.database)
        return try await store.database.raw("""
            SELECT n.*, r.read_at FROM case_notes n LEFT JOIN case_note_reads r ON r.note_id = n.id
            WHERE n.case_id = \(bind: caseID.rawValue) ORDER BY n.at, n.id
            """).all().map { row in
            let id = try row.parsed("id", CaseNote.ID.init)
            return CaseNote(
                id: id, caseID: caseID, author: try row.parsed("author", UserID.init), at: try row.date("at"),
                text: try FieldCipher.openText(row.text("text"), key: key, context: "note:\(id)") ?? "",
                recipient: try row.optionalParsed("recipient", UserID.init), readAt: try row.optionalDate("read_at")
            )
        }
    }

    public func unreadMessages(for recipient: UserID, limit: Int) async throws -> [(id: CaseNote.ID, caseNumber: CaseNumber, author: UserID, at: Date)] {
        try await store.database.raw("""
            SELECT n.id, n.author, n.at, c.number FROM case_notes n JOIN cases c ON c.id = n.case_id
            WHERE n.recipient = \(bind: recipient.rawValue) AND NOT EXISTS (SELECT 1 FROM case_note_reads r WHERE r.note_id = n.id)
            ORDER BY n.at DESC LIMIT \(bind: limit)
            """).all().map { row in
            (try row.parsed("id", CaseNote.ID.init), try row.parsed("number") { try? CaseNumber(parsing: $0) }, try row.parsed("author", UserID.init), try row.date("at"))
        }
    }

    public func markMessagesRead(on caseID: Case.ID, recipient: UserID, at: Date) async throws {
        try await store.database.raw("""
            INSERT INTO case_note_reads (note_id, case_id, read_at)
            SELECT n.id, n.case_id, \(bind: at.millisecondsSince1970) FROM case_notes n
            WHERE n.case_id = \(bind: caseID.rawValue) AND n.recipient = \(bind: recipient.rawValue)
                AND NOT EXISTS (SELECT 1 FROM case_note_reads r WHERE r.note_id = n.id)
            ON CONFLICT (note_id) DO NOTHING
            """).run()
    }

    public func history(of caseID: Case.ID) async throws -> [CaseHistoryEntry] {
        let key = try await Self.principalKey(of: caseID, cipher: cipher, in: store.database)
        return try await store.database.raw("SELECT * FROM case_history WHERE case_id = \(bind: caseID.rawValue) ORDER BY sequence").all().map { row in
            let id = try row.parsed("id", CaseHistoryEntry.ID.init)
            let stored = try row.text("summary")
            let summary = stored == CaseworkError.erasedPlaceholder ? stored : try FieldCipher.openText(stored, key: key, context: CaseHistoryWriter.context(id)) ?? ""
            return CaseHistoryEntry(
                id: id, caseID: caseID, sequence: try row.integer("sequence"), at: try row.date("at"),
                actor: try row.parsed("actor", UserID.init), action: try row.parsed("action", CaseHistoryEntry.Action.init(rawValue:)),
                summary: summary
            )
        }
    }

    public func offices() async throws -> [OfficeCode] {
        try await store.database.raw("SELECT DISTINCT office FROM cases ORDER BY office").all().map { try $0.parsed("office", OfficeCode.init) }
    }

    public func caseResources(ofPersons ids: [Person.ID]) async throws -> [Person.ID: [(office: OfficeCode, type: CaseType)]] {
        var result: [Person.ID: [(office: OfficeCode, type: CaseType)]] = [:]
        for chunk in Array(Set(ids)).chunked(500) {
            let rows = try await store.database.raw("""
                SELECT DISTINCT p.person_id, c.office, c.type FROM case_parties p JOIN cases c ON c.id = p.case_id
                WHERE p.person_id IN (\(binds: chunk.map(\.rawValue)))
                """).all()
            for row in rows {
                result[try row.parsed("person_id", Person.ID.init), default: []]
                    .append((try row.parsed("office", OfficeCode.init), try row.parsed("type", CaseType.init(rawValue:))))
            }
        }
        return result
    }

    public func decisionOutcomes(triageRule rule: String, caseType: CaseType) async throws -> [String: Int] {
        var result: [String: Int] = [:]
        for row in try await store.database.raw("""
            SELECT d.outcome, COUNT(*) AS n FROM case_decisions d JOIN cases c ON c.id = d.case_id
            WHERE c.triage_rule = \(bind: rule) AND c.type = \(bind: caseType.rawValue) AND d.state = 'approved'
            GROUP BY d.outcome
            """).all() {
            result[try row.text("outcome")] = try row.integer("n")
        }
        return result
    }

    public func casesWithTimersDue(by day: CalendarDate, limit: Int) async throws -> [Case] {
        try await load("""
            SELECT * FROM cases WHERE next_timer_on IS NOT NULL AND next_timer_on <= \(bind: day.daysSinceEpoch)
            ORDER BY next_timer_on, id LIMIT \(bind: limit)
            """)
    }

    public func events(of caseID: Case.ID) async throws -> [CaseEvent] {
        try await store.database.raw("SELECT * FROM case_events WHERE case_id = \(bind: caseID.rawValue) ORDER BY at, id").all().map { row in
            CaseEvent(
                id: try row.parsed("id", CaseEvent.ID.init), caseID: caseID, name: try row.text("name"), at: try row.date("at"),
                actor: try row.parsed("actor", UserID.init), source: try row.optionalText("source")
            )
        }
    }

    /// The workflow fields and the pending transition, sealed under the principal's key.
    static func sealed(_ record: Case, key: SymmetricKey?) throws -> (fields: String?, pending: String?) {
        guard let key else { return (nil, nil) }
        let fields = record.fields.isEmpty ? nil : try FieldCipher.seal(Array(JSONCoding.encode(record.fields).utf8), key: key, context: "case-fields:\(record.id)")
        let pending = try record.pendingTransition.map { try FieldCipher.seal(Array(JSONCoding.encode($0).utf8), key: key, context: "case-pending:\(record.id)") }
        return (fields, pending)
    }

    /// Tasks and events written with a case change.
    static func writeEffects(_ change: CaseChange, caseNumber: CaseNumber, in db: any SQLDatabase) async throws {
        for task in change.tasks { try await SQLTaskRepository.insert(task, in: db) }
        for event in change.events {
            try await db.raw("""
                INSERT INTO case_events (id, case_id, name, at, actor, source)
                VALUES (\(bind: event.id.rawValue), \(bind: event.caseID.rawValue), \(bind: event.name),
                        \(bind: event.at.millisecondsSince1970), \(bind: event.actor.rawValue), \(bind: event.source))
                """).run()
        }
    }

    /// Runs a query over `cases` and attaches each case's parties (one extra query in all);
    /// with `unseal`, also the sealed workflow fields and pending transition.
    private func load(_ query: SQLQueryString, unseal: Bool = true) async throws -> [Case] {
        let rows = try await store.database.raw(query).all()
        guard !rows.isEmpty else { return [] }
        let ids = try rows.map { try $0.text("id") }
        var parties: [String: [CaseParty]] = [:]
        for chunk in ids.chunked(500) {
            let partyRows = try await store.database.raw("""
                SELECT * FROM case_parties WHERE case_id IN (\(binds: Array(chunk))) ORDER BY case_id, position
                """).all()
            for row in partyRows {
                let party = CaseParty(
                    personID: try row.parsed("person_id", Person.ID.init),
                    role: try row.parsed("role", CaseParty.Role.init(rawValue:)),
                    relationship: try row.optionalText("relationship")
                )
                parties[try row.text("case_id"), default: []].append(party)
            }
        }
        var keys: [Person.ID: SymmetricKey] = [:]
        if unseal {
            let sealedRows = try rows.filter { try $0.optionalText("fields") != nil || $0.optionalText("pending") != nil }
            let principals = try sealedRows.map { try $0.parsed("principal_person_id", Person.ID.init) }
            if !principals.isEmpty { keys = try await cipher.dataKeys(for: principals, in: store.database) }
        }
        return try rows.map { row in
            let id = try row.text("id")
            let caseID = try row.parsed("id", Case.ID.init)
            let key = keys[try row.parsed("principal_person_id", Person.ID.init)]
            var fields: [String: String] = [:]
            var pending: PendingTransition?
            if unseal, let key {
                if let sealed = try row.optionalText("fields"), let text = try FieldCipher.openText(sealed, key: key, context: "case-fields:\(caseID)") {
                    fields = try JSONCoding.decode([String: String].self, from: text)
                }
                if let sealed = try row.optionalText("pending"), let text = try FieldCipher.openText(sealed, key: key, context: "case-pending:\(caseID)") {
                    pending = try JSONCoding.decode(PendingTransition.self, from: text)
                }
            }
            return Case(
                id: caseID,
                number: try row.parsed("number") { try? CaseNumber(parsing: $0) },
                state: try row.text("status"),
                workflowVersion: try row.integer("workflow_version"),
                stateEnteredAt: try row.date("state_entered_at"),
                deadline: try row.optionalInteger("deadline_on").map(CalendarDate.init(daysSinceEpoch:)),
                timersFired: try row.integer("timers_fired"),
                closedAt: try row.optionalDate("closed_at"),
                office: try row.parsed("office", OfficeCode.init),
                assignedOfficer: try row.optionalParsed("assigned_officer", UserID.init),
                title: try row.optionalText("title"),
                parties: parties[id] ?? [],
                fields: fields,
                pendingTransition: pending,
                triage: try row.optionalText("triage_track").map { track in
                    CaseTriage(track: track, rule: try row.optionalText("triage_rule"), overriddenBy: try row.optionalParsed("triage_overridden_by", UserID.init))
                },
                openedAt: try row.date("opened_at"),
                updatedAt: try row.date("updated_at"),
                version: try row.integer("version")
            )
        }
    }
}
