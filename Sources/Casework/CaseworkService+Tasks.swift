public import AccordCore
public import Foundation
public import Identity

/// A task created by hand.
public struct TaskInput: Codable, Sendable, Equatable {
    public var title: String?
    public var assignee: String?
    public var team: String?
    public var due: String?
    public var priority: String?

    public init(title: String?, assignee: String? = nil, team: String? = nil, due: String? = nil, priority: String? = nil) {
        self.title = title
        self.assignee = assignee
        self.team = team
        self.due = due
        self.priority = priority
    }
}

/// A change of a task: claim, reassign (with a reason), complete, cancel.
public struct TaskUpdateInput: Codable, Sendable, Equatable {
    public enum Action: String, Codable, Sendable, CaseIterable { case claim, reassign, complete, cancel, release }
    public var action: String?
    public var expectedVersion: Int?
    public var assignee: String?
    public var reason: String?

    public init(action: String?, expectedVersion: Int?, assignee: String? = nil, reason: String? = nil) {
        self.action = action
        self.expectedVersion = expectedVersion
        self.assignee = assignee
        self.reason = reason
    }
}

extension CaseworkService {
    // MARK: Tasks

    public func createTask(_ number: CaseNumber, _ input: TaskInput, by caller: Caller) async throws -> CaseTask {
        var v = Validation()
        let title = v.text(input.title, at: "title", required: true, maxLength: 200)
        let assignee = v.parsed(input.assignee, at: "assignee", code: "casework.invalid_user", expected: "a user name", UserID.init)
        let team = v.parsed(input.team, at: "team", code: "casework.unknown_team", expected: "a role of the access policy") { policy.roles[$0] == nil ? nil : $0 }
        let due = v.calendarDate(input.due, at: "due")
        let priority = v.enumeration(input.priority, CaseTask.Priority.self, at: "priority", code: "casework.invalid_priority")
        if assignee == nil, team == nil, input.assignee == nil, input.team == nil {
            v.fail("casework.assignee_required", "give an assignee or a team", at: "assignee")
        }
        try v.finish()
        let record = try await load(number)
        try await authorize(caller, .editCase, [resource(record)], .create, "case_task", record.id.rawValue)
        if let assignee { try await requireOfficer(assignee, office: record.office, caseType: record.type, at: "assignee") }
        let now = self.now
        let task = CaseTask(
            id: .init(ids.next()), caseID: record.id, caseNumber: record.number, title: title!, assignee: assignee, team: team,
            office: record.office, due: due, priority: priority ?? .normal, createdAt: now, createdBy: caller.user, source: nil
        )
        let holder = assignee.map { "for \($0)" } ?? "in the \(team!) queue"
        try await tasks.insert(task, history: self.record(.taskCreated, "Task: \(task.title) \(holder)" + (due.map { ", due \($0)" } ?? ""), by: caller.user, at: now))
        try await audit.record(caller.event(.create, "case_task", task.id.rawValue))
        return task
    }

    public func tasks(of number: CaseNumber, by caller: Caller) async throws -> [CaseTask] {
        let record = try await load(number)
        try await authorize(caller, .viewCase, [resource(record)], .read, "case_tasks", record.id.rawValue)
        return try await tasks.list(TaskFilter(caseID: record.id, state: nil, limit: 500))
    }

    /// The caller's open tasks, overdue and due first.
    public func myWork(by caller: Caller) async throws -> [CaseTask] {
        try await tasks.list(TaskFilter(assignee: caller.user, state: .open))
    }

    /// Unclaimed tasks of the caller's teams at `office` (the roles the caller holds there).
    public func teamQueue(office: OfficeCode, by caller: Caller) async throws -> [CaseTask] {
        let teams: [String]
        if let grants = caller.grants {
            teams = grants.filter { $0.office == nil || $0.office == office.rawValue }.map(\.role)
            guard policy.allows(grants, .viewCase, on: AccessPolicy.Resource(office: office.rawValue)) else {
                try await audit.record(caller.event(.read, "task_queue", office.rawValue, outcome: .denied))
                throw IdentityError.forbidden
            }
        } else {
            teams = Array(policy.roles.keys)
        }
        guard !teams.isEmpty else { return [] }
        return try await tasks.list(TaskFilter(queue: (office, teams.sorted()), state: .open))
    }

    public func updateTask(_ id: CaseTask.ID, _ input: TaskUpdateInput, by caller: Caller) async throws -> CaseTask {
        var v = Validation()
        let action = v.enumeration(input.action, TaskUpdateInput.Action.self, at: "action", required: true, code: "casework.invalid_task_action")
        if input.expectedVersion == nil { v.fail("casework.missing_field", "expectedVersion is required", at: "expectedVersion") }
        let assignee = v.parsed(input.assignee, at: "assignee", code: "casework.invalid_user", expected: "a user name", UserID.init)
        let reason = v.text(input.reason, at: "reason", maxLength: 500)
        if action == .reassign {
            if assignee == nil, input.assignee == nil { v.fail("casework.assignee_required", "assignee is required to reassign", at: "assignee") }
            if reason == nil { v.fail("casework.reason_required", "say why the task is reassigned", at: "reason") }
        }
        try v.finish()
        guard var task = try await tasks.task(id) else { throw CaseworkError(code: "casework.task_not_found", reason: "no task \(id.rawValue.prefix(64))", category: .notFound) }
        guard let record = try await cases.case(task.caseID) else { throw CaseworkError.caseNotFound(task.caseID.rawValue) }
        // Claiming from a queue, or finishing or releasing one's own task, needs the right to work
        // on the case; reassigning, or touching someone else's task, the right to reassign.
        let own = task.assignee == caller.user || task.assignee == nil
        let needed: Permission = action == .claim || (own && action != .reassign) ? .editCase : .reassign
        try await authorize(caller, needed, [resource(record)], .update, "case_task", id.rawValue)
        guard task.version == input.expectedVersion! else { throw CaseworkError.versionConflict(expected: input.expectedVersion!, actual: task.version) }
        guard task.state == .open else {
            throw CaseworkError(code: "casework.task_closed", reason: "the task is \(task.state.rawValue) already", category: .conflict)
        }
        let now = self.now
        let summary: String
        switch action! {
        case .claim:
            guard task.assignee == nil else {
                throw CaseworkError(code: "casework.task_taken", reason: "\(task.assignee!) has claimed this task already", category: .conflict)
            }
            task.assignee = caller.user
            summary = "\(caller.user) claimed the task “\(task.title)”"
        case .release:
            task.assignee = nil
            summary = "Task “\(task.title)” returned to the \(task.team ?? "case officer's") queue"
        case .reassign:
            try await requireOfficer(assignee!, office: record.office, caseType: record.type, at: "assignee")
            summary = "Task “\(task.title)” reassigned from \(task.assignee?.rawValue ?? "the queue") to \(assignee!): \(reason!)"
            task.assignee = assignee
        case .complete:
            task.state = .done
            task.completedAt = now
            task.completedBy = caller.user
            summary = "Task done: \(task.title)"
        case .cancel:
            task.state = .cancelled
            task.completedAt = now
            task.completedBy = caller.user
            summary = "Task cancelled: \(task.title)" + (reason.map { " — \($0)" } ?? "")
        }
        let updated = try await tasks.update(task, expectedVersion: task.version, history: self.record(action == .complete ? .taskCompleted : .taskChanged, summary, by: caller.user, at: now))
        try await audit.record(caller.event(.update, "case_task", id.rawValue))
        return updated
    }

    /// Open tasks and cases per officer and team, for a supervisor of `office`.
    public func workload(office: OfficeCode?, by caller: Caller) async throws -> [WorkloadRow] {
        if let grants = caller.grants {
            let allowed = policy.allows(grants, .reassign, on: AccessPolicy.Resource(office: office?.rawValue))
                && (office != nil || grants.contains { policy.roles[$0.role]?.scope == .all })
            guard allowed, caller.scopes?.contains(.reassign) ?? true else {
                try await audit.record(caller.event(.read, "workload", office?.rawValue ?? "all", outcome: .denied))
                throw IdentityError.forbidden
            }
        }
        let rows = try await tasks.workload(office: office, today: CalendarDate(now))
        try await audit.record(caller.event(.read, "workload", office?.rawValue ?? "all"))
        return rows
    }
}
