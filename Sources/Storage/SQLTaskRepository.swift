public import AccordCore
public import Casework
import Foundation
public import Identity
import SQLKit

/// Tasks in SQL. Titles come from workflows or officers and hold no personal data by rule.
public struct SQLTaskRepository: TaskRepository {
    let store: SQLStore
    let cipher: FieldCipher

    public init(store: SQLStore, cipher: FieldCipher) {
        self.store = store
        self.cipher = cipher
    }

    static func insert(_ task: CaseTask, in db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO case_tasks (id, case_id, case_number, title, assignee, team, office, due_on, priority, state,
                                    created_at, created_by, source, completed_at, completed_by, version)
            VALUES (\(bind: task.id.rawValue), \(bind: task.caseID.rawValue), \(bind: task.caseNumber.text), \(bind: task.title),
                    \(bind: task.assignee?.rawValue), \(bind: task.team), \(bind: task.office.rawValue), \(bind: task.due?.daysSinceEpoch),
                    \(bind: task.priority.rawValue), \(bind: task.state.rawValue), \(bind: task.createdAt.millisecondsSince1970),
                    \(bind: task.createdBy.rawValue), \(bind: task.source), \(bind: task.completedAt?.millisecondsSince1970),
                    \(bind: task.completedBy?.rawValue), \(bind: task.version))
            """).run()
    }

    public func insert(_ task: CaseTask, history: HistoryRecord) async throws {
        let cipher = self.cipher
        try await store.transaction { db in
            let key = try await SQLCaseRepository.principalKey(of: task.caseID, cipher: cipher, in: db)
            try await CaseHistoryWriter.append([history], to: task.caseID, key: key, in: db)
            try await Self.insert(task, in: db)
        }
    }

    public func update(_ task: CaseTask, expectedVersion: Int, history: HistoryRecord) async throws -> CaseTask {
        let cipher = self.cipher
        return try await store.transaction { db in
            let rows = try await db.raw("""
                UPDATE case_tasks SET title = \(bind: task.title), assignee = \(bind: task.assignee?.rawValue), team = \(bind: task.team),
                       due_on = \(bind: task.due?.daysSinceEpoch), priority = \(bind: task.priority.rawValue), state = \(bind: task.state.rawValue),
                       completed_at = \(bind: task.completedAt?.millisecondsSince1970), completed_by = \(bind: task.completedBy?.rawValue),
                       version = version + 1
                WHERE id = \(bind: task.id.rawValue) AND version = \(bind: expectedVersion)
                RETURNING version
                """).all()
            guard let version = try rows.first?.integer("version") else {
                let current = try await db.raw("SELECT version FROM case_tasks WHERE id = \(bind: task.id.rawValue)").first()
                throw CaseworkError.versionConflict(expected: expectedVersion, actual: try current?.integer("version"))
            }
            let key = try await SQLCaseRepository.principalKey(of: task.caseID, cipher: cipher, in: db)
            try await CaseHistoryWriter.append([history], to: task.caseID, key: key, in: db)
            var result = task
            result.version = version
            return result
        }
    }

    public func task(_ id: CaseTask.ID) async throws -> CaseTask? {
        try await store.database.raw("SELECT * FROM case_tasks WHERE id = \(bind: id.rawValue)").first().map(Self.task)
    }

    public func list(_ filter: TaskFilter) async throws -> [CaseTask] {
        var conditions: [SQLQueryString] = []
        if let caseID = filter.caseID { conditions.append("case_id = \(bind: caseID.rawValue)") }
        if let assignee = filter.assignee { conditions.append("assignee = \(bind: assignee.rawValue)") }
        if let queue = filter.queue {
            conditions.append("assignee IS NULL AND office = \(bind: queue.office.rawValue) AND team IN (\(binds: queue.teams))")
        }
        if let state = filter.state { conditions.append("state = \(bind: state.rawValue)") }
        if let due = filter.dueBy { conditions.append("due_on <= \(bind: due.daysSinceEpoch)") }
        let whereClause: SQLQueryString = conditions.isEmpty ? "" : "WHERE \(conditions.joined(separator: " AND "))"
        let order: SQLQueryString = filter.caseID == nil
            ? "CASE WHEN due_on IS NULL THEN 1 ELSE 0 END, due_on, created_at, id"
            : "created_at, id"
        return try await store.database.raw("SELECT * FROM case_tasks \(whereClause) ORDER BY \(order) LIMIT \(bind: filter.limit)").all().map(Self.task)
    }

    public func openCount(of caseID: Case.ID) async throws -> Int {
        try await store.database.raw("SELECT COUNT(*) AS n FROM case_tasks WHERE case_id = \(bind: caseID.rawValue) AND state = 'open'").first()?.integer("n") ?? 0
    }

    public func workload(office: OfficeCode?, today: CalendarDate) async throws -> [WorkloadRow] {
        let officeTasks: SQLQueryString = office.map { "AND office = \(bind: $0.rawValue)" } ?? ""
        let officeCases: SQLQueryString = office.map { "AND office = \(bind: $0.rawValue)" } ?? ""
        let taskRows = try await store.database.raw("""
            SELECT CASE WHEN assignee IS NULL THEN 'team:' || COALESCE(team, '-') ELSE assignee END AS holder,
                   COUNT(*) AS open_tasks,
                   SUM(CASE WHEN due_on < \(bind: today.daysSinceEpoch) THEN 1 ELSE 0 END) AS overdue,
                   MIN(created_at) AS oldest
            FROM case_tasks WHERE state = 'open' \(officeTasks)
            GROUP BY CASE WHEN assignee IS NULL THEN 'team:' || COALESCE(team, '-') ELSE assignee END
            """).all()
        let caseRows = try await store.database.raw("""
            SELECT assigned_officer AS holder, COUNT(*) AS open_cases FROM cases
            WHERE closed_at IS NULL AND assigned_officer IS NOT NULL \(officeCases) GROUP BY assigned_officer
            """).all()
        var cases: [String: Int] = [:]
        for row in caseRows { cases[try row.text("holder")] = try row.integer("open_cases") }
        let now = Date().millisecondsSince1970
        var rows: [String: WorkloadRow] = [:]
        for row in taskRows {
            let holder = try row.text("holder")
            let oldest = try row.decodeNil(column: "oldest") ? nil : try row.decode(column: "oldest", as: Int64.self)
            rows[holder] = WorkloadRow(
                holder: holder, openTasks: try row.integer("open_tasks"),
                overdueTasks: try row.decodeNil(column: "overdue") ? 0 : try row.integer("overdue"),
                openCases: cases[holder] ?? 0, oldestTaskAgeDays: oldest.map { Int(max(0, now - $0) / 86_400_000) }
            )
        }
        for (holder, count) in cases where rows[holder] == nil {
            rows[holder] = WorkloadRow(holder: holder, openTasks: 0, overdueTasks: 0, openCases: count, oldestTaskAgeDays: nil)
        }
        return rows.values.sorted { ($0.overdueTasks, $0.openTasks, $1.holder) > ($1.overdueTasks, $1.openTasks, $0.holder) }
    }

    static func task(_ row: any SQLRow) throws -> CaseTask {
        CaseTask(
            id: try row.parsed("id", CaseTask.ID.init), caseID: try row.parsed("case_id", Case.ID.init),
            caseNumber: try row.parsed("case_number") { try? CaseNumber(parsing: $0) }, title: try row.text("title"),
            assignee: try row.optionalParsed("assignee", UserID.init), team: try row.optionalText("team"),
            office: try row.parsed("office", OfficeCode.init), due: try row.optionalInteger("due_on").map(CalendarDate.init(daysSinceEpoch:)),
            priority: try row.parsed("priority", CaseTask.Priority.init(rawValue:)), state: try row.parsed("state", CaseTask.State.init(rawValue:)),
            createdAt: try row.date("created_at"), createdBy: try row.parsed("created_by", UserID.init), source: try row.optionalText("source"),
            completedAt: try row.optionalDate("completed_at"), completedBy: try row.optionalParsed("completed_by", UserID.init),
            version: try row.integer("version")
        )
    }
}
