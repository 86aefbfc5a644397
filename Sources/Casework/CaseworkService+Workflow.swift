public import AccordCore
public import Foundation
public import Identity

/// A transition as asked for by an officer.
public struct TransitionInput: Codable, Sendable, Equatable {
    public var transition: String?
    public var expectedVersion: Int?
    public var reason: String?
    /// Values of the fields the transition sets.
    public var fields: [String: String]?

    public init(transition: String?, expectedVersion: Int?, reason: String? = nil, fields: [String: String]? = nil) {
        self.transition = transition
        self.expectedVersion = expectedVersion
        self.reason = reason
        self.fields = fields
    }
}

/// What one pass of the timers did.
public struct TimerReport: Sendable, Equatable {
    public var reminders = 0
    public var expiries = 0
    public var escalations = 0
    public var automaticTransitions = 0
    public var failures: [String] = []

    public init() {}
}

extension CaseworkService {
    // MARK: Workflow

    /// The workflow the case runs on (the version it started under).
    public func workflow(of record: Case) throws -> Workflow {
        try engine.catalog.workflow(of: record)
    }

    /// What the guards look at: the case's fields, its documents' kinds, open tasks, decision.
    func facts(of record: Case, extraFields: [String: String] = [:]) async throws -> CaseFacts {
        var fields = record.fields.merging(extraFields) { _, new in new }
        fields["assignedOfficer"] = record.assignedOfficer?.rawValue
        fields["title"] = record.title
        let kinds = Set(try await documents.documents(of: record.id).map(\.kind))
        return CaseFacts(fields: fields, documentKinds: kinds, openTasks: try await tasks.openCount(of: record.id), decision: try await decisions.latest(of: record.id))
    }

    /// Whether the caller holds `permission` on the case (trusted tools hold every permission).
    func may(_ caller: Caller, _ permission: Permission, on record: Case) -> Bool {
        guard let grants = caller.grants else { return true }
        guard caller.scopes?.contains(permission) ?? true else { return false }
        return policy.allows(grants, permission, on: resource(record))
    }

    /// The transitions the caller may take from the case's state, each with what stands in its way.
    public func transitions(_ number: CaseNumber, by caller: Caller) async throws -> [TransitionOption] {
        let record = try await load(number)
        try await authorize(caller, .viewCase, [resource(record)], .read, "case_transitions", record.id.rawValue)
        if record.pendingTransition != nil { return [] }
        return try engine.options(for: record, facts: try await facts(of: record)) { may(caller, $0, on: record) }
    }

    /// Takes a transition. A four-eyes transition is first recorded as requested; a second
    /// officer holding the same permission confirms it by taking it again.
    public func takeTransition(_ number: CaseNumber, _ input: TransitionInput, by caller: Caller) async throws -> Case {
        var v = Validation()
        let id = v.text(input.transition, at: "transition", required: true, maxLength: 64)
        if input.expectedVersion == nil { v.fail("casework.missing_field", "expectedVersion is required", at: "expectedVersion") }
        let reason = v.text(input.reason, at: "reason", maxLength: 1000)
        try v.finish()
        let record = try await load(number)
        let workflow = try self.workflow(of: record)
        guard let transition = workflow.transition(id!) else {
            throw CaseworkError(code: "workflow.unknown_transition", reason: "the \(workflow.caseType.rawValue) workflow has no transition \(id!.prefix(64))",
                                category: .unprocessable, diagnostics: [Diagnostic(code: "workflow.unknown_transition", message: "no such transition", path: "transition")])
        }
        guard let permission = transition.permission else {
            try await audit.record(caller.event(.update, "case", record.id.rawValue, outcome: .denied))
            throw CaseworkError(code: "workflow.system_only", reason: "“\(transition.label)” is taken by the system (on \(transition.on.joined(separator: ", ")) or a timer), not by hand", category: .forbidden)
        }
        try await authorize(caller, permission, [resource(record)], .update, "case", record.id.rawValue)
        guard record.version == input.expectedVersion! else { throw CaseworkError.versionConflict(expected: input.expectedVersion!, actual: record.version) }
        guard transition.from.contains(record.state) else {
            throw CaseworkError(
                code: "workflow.transition_not_allowed",
                reason: "“\(transition.label)” cannot be taken from \(workflow.label(of: record.state)); it leaves \(transition.from.map(workflow.label(of:)).joined(separator: ", "))",
                category: .conflict
            )
        }
        if let pending = record.pendingTransition, pending.transition != transition.id {
            throw CaseworkError(code: "workflow.transition_pending", reason: "“\(workflow.transition(pending.transition)?.label ?? pending.transition)” waits for a second officer's confirmation; confirm or refuse it first", category: .conflict)
        }
        // The officer's field values, checked against the workflow's field definitions.
        let given = input.fields ?? [:]
        var values: [String: String] = [:]
        for (name, value) in given.sorted(by: { $0.key < $1.key }) {
            guard transition.sets.contains(name), let field = workflow.field(name) else {
                v.fail("workflow.field_not_settable", "“\(transition.label)” does not set \(name.prefix(40))", at: "fields.\(name.prefix(40))")
                continue
            }
            if let checked = field.check(value, at: "fields.\(name)", into: &v) { values[name] = checked }
        }
        if transition.reasonRequired, reason == nil, record.pendingTransition == nil {
            v.fail("workflow.reason_required", "say why: “\(transition.label)” needs a reason", at: "reason")
        }
        try v.finish()
        let unmet = engine.unmet(transition, in: workflow, facts: try await facts(of: record, extraFields: values))
        if !unmet.isEmpty {
            throw CaseworkError(
                code: "workflow.guard_unmet",
                reason: "“\(transition.label)” cannot be taken yet: " + unmet.map(\.message).joined(separator: "; "),
                category: .unprocessable,
                diagnostics: unmet.map { Diagnostic(code: $0.code, message: $0.message, path: $0.subject.map { "fields.\($0)" }) }
            )
        }
        let now = self.now
        if transition.fourEyes {
            if let pending = record.pendingTransition {
                guard pending.requestedBy != caller.user else {
                    throw CaseworkError(code: "workflow.four_eyes_same_officer", reason: "“\(transition.label)” was asked for by you; a second officer must confirm it", category: .forbidden)
                }
                let updated = try await apply(transition, workflow: workflow, to: record, by: caller.user, reason: pending.reason,
                                              fields: pending.fields, confirmedBy: caller.user, requestedBy: pending.requestedBy)
                try await audit.record(caller.event(.update, "case", updated.id.rawValue))
                return updated
            }
            var requested = record
            requested.pendingTransition = PendingTransition(transition: transition.id, requestedBy: caller.user, requestedAt: now, reason: reason, fields: values)
            requested.updatedAt = now
            let summary = "Asked for “\(transition.label)” (to \(workflow.label(of: transition.to))); a second officer must confirm" + (reason.map { ": \($0)" } ?? "")
            let updated = try await cases.update(requested, expectedVersion: record.version, change: CaseChange(
                history: [self.record(.transitionRequested, summary, by: caller.user, at: now)], nextTimer: try engine.nextTimer(of: record)
            ))
            try await audit.record(caller.event(.update, "case", updated.id.rawValue))
            return updated
        }
        let updated = try await apply(transition, workflow: workflow, to: record, by: caller.user, reason: reason, fields: values)
        try await audit.record(caller.event(.update, "case", updated.id.rawValue))
        return updated
    }

    /// A second officer refuses a four-eyes transition that was asked for; the case stays where it is.
    public func refusePendingTransition(_ number: CaseNumber, reason: String?, expectedVersion: Int?, by caller: Caller) async throws -> Case {
        var v = Validation()
        let reason = v.text(reason, at: "reason", maxLength: 1000)
        if reason == nil { v.fail("casework.reason_required", "say why the transition is refused", at: "reason") }
        if expectedVersion == nil { v.fail("casework.missing_field", "expectedVersion is required", at: "expectedVersion") }
        try v.finish()
        let record = try await load(number)
        let workflow = try self.workflow(of: record)
        guard let pending = record.pendingTransition, let transition = workflow.transition(pending.transition) else {
            throw CaseworkError(code: "workflow.nothing_pending", reason: "no transition waits for confirmation on this case", category: .conflict)
        }
        try await authorize(caller, transition.permission ?? .decide, [resource(record)], .update, "case", record.id.rawValue)
        guard record.version == expectedVersion! else { throw CaseworkError.versionConflict(expected: expectedVersion!, actual: record.version) }
        guard pending.requestedBy != caller.user else {
            throw CaseworkError(code: "workflow.four_eyes_same_officer", reason: "you asked for it: withdraw it by asking a colleague to refuse it", category: .forbidden)
        }
        var updated = record
        updated.pendingTransition = nil
        updated.updatedAt = now
        let result = try await cases.update(updated, expectedVersion: record.version, change: CaseChange(
            history: [self.record(.transitionRefused, "Refused “\(transition.label)” asked for by \(pending.requestedBy): \(reason!)", by: caller.user, at: now)],
            nextTimer: try engine.nextTimer(of: record)
        ))
        try await audit.record(caller.event(.update, "case", result.id.rawValue))
        return result
    }

    /// Moves the case along `transition` and writes its effects in one transaction: the new
    /// state and its deadline, the history entry, tasks, events and the timer index.
    func apply(
        _ transition: Workflow.Transition, workflow: Workflow, to record: Case, by actor: UserID, reason: String?,
        fields: [String: String], confirmedBy: UserID? = nil, requestedBy: UserID? = nil, cause: String? = nil
    ) async throws -> Case {
        let now = self.now
        let day = engine.day(of: now, at: record.office)
        var next = record
        next.state = transition.to
        next.stateEnteredAt = now
        next.pendingTransition = nil
        next.fields.merge(fields) { _, new in new }
        next.deadline = workflow.state(transition.to).flatMap { engine.deadline(of: $0, enteredOn: day, at: record.office) }
        next.timersFired = 0
        next.closedAt = workflow.state(transition.to)?.final == true ? now : nil
        next.updatedAt = now
        var summary = "\(transition.label): \(workflow.label(of: record.state)) → \(workflow.label(of: transition.to))"
        if let requestedBy, let confirmedBy { summary += " (asked for by \(requestedBy), confirmed by \(confirmedBy))" }
        if let cause { summary += " — \(cause)" }
        if let reason { summary += ". Reason: \(reason)" }
        if let deadline = next.deadline { summary += ". Deadline: \(deadline)" }
        var history = [self.record(.statusChanged, summary, by: actor, at: now)]
        if !fields.isEmpty {
            let names = fields.keys.sorted().map { workflow.field($0)?.label ?? $0 }
            history.append(self.record(.fieldsChanged, "Recorded: \(names.joined(separator: ", "))", by: actor, at: now))
        }
        let (created, taskHistory) = tasks(from: transition.effects.tasks, on: next, day: day, by: actor, at: now, source: "transition:\(transition.id)")
        history += taskHistory
        var events = ([ "entered.\(transition.to)" ] + transition.effects.events).map {
            CaseEvent(id: .init(ids.next()), caseID: record.id, name: $0, at: now, actor: actor, source: "transition:\(transition.id)")
        }
        if let rules = engine.triage[record.type], rules.after.contains(transition.id),
           let (entry, event) = try await runTriage(on: &next, rules: rules, by: actor, at: now) {
            history.append(entry)
            events.append(event)
        }
        let nextTimer = engine.timers(in: workflow, state: next.state, deadline: next.deadline, at: next.office).first?.on
        return try await cases.update(next, expectedVersion: record.version, change: CaseChange(history: history, tasks: created, events: events, nextTimer: nextTimer))
    }

    /// The tasks of `templates` on `record` (no team: its officer), with their history entries.
    func tasks(from templates: [Workflow.TaskTemplate], on record: Case, day: CalendarDate, by actor: UserID, at now: Date, source: String) -> ([CaseTask], [HistoryRecord]) {
        var created: [CaseTask] = []
        var history: [HistoryRecord] = []
        for template in templates {
            let task = CaseTask(
                id: .init(ids.next()), caseID: record.id, caseNumber: record.number, title: template.title,
                assignee: template.role == nil ? record.assignedOfficer : nil, team: template.role, office: record.office,
                due: engine.due(template.due, after: day, at: record.office), priority: template.priority,
                createdAt: now, createdBy: actor, source: source
            )
            created.append(task)
            history.append(self.record(.taskCreated, "Task: \(task.title)" + (task.due.map { ", due \($0)" } ?? "") + (task.team.map { " (queue: \($0))" } ?? ""), by: actor, at: now))
        }
        return (created, history)
    }

    /// The workflow's reaction to `event` on an open case (no transition): its tasks and named
    /// events, with `summary` in the history. Nil when the workflow has none.
    @discardableResult
    public func react(to event: String, on caseID: Case.ID, summary: String, by caller: Caller = .system) async throws -> Case? {
        guard let record = try await cases.case(caseID), let reaction = try engine.reaction(to: event, for: record) else { return nil }
        let now = self.now
        let day = engine.day(of: now, at: record.office)
        var next = record
        next.updatedAt = now
        var history = [self.record(.checkRecorded, "\(reaction.label): \(summary)", by: caller.user, at: now)]
        let (created, taskHistory) = tasks(from: reaction.effects.tasks, on: record, day: day, by: caller.user, at: now, source: "reaction:\(event)")
        history += taskHistory
        let events = ([event] + reaction.effects.events).map { CaseEvent(id: .init(ids.next()), caseID: record.id, name: $0, at: now, actor: caller.user, source: "reaction:\(event)") }
        let updated = try await cases.update(next, expectedVersion: record.version,
                                             change: CaseChange(history: history, tasks: created, events: events, nextTimer: try engine.nextTimer(of: record)))
        try await audit.record(caller.event(.update, "case", updated.id.rawValue))
        return updated
    }

    /// Takes the transition `event` triggers from the case's state, if any and if its guards
    /// hold: `exchange.<message_type>`, `adapter.<name>.<result>`, `decision.approved`. Returns
    /// the case as it is afterwards.
    /// `fields`: values the event carries (e.g. the partner of an exchange), checked against the
    /// workflow's field definitions and recorded with the transition.
    @discardableResult
    public func handleEvent(_ event: String, on caseID: Case.ID, fields: [String: String] = [:], by caller: Caller = .system) async throws -> Case {
        guard let record = try await cases.case(caseID) else { throw CaseworkError.caseNotFound(caseID.rawValue) }
        guard record.pendingTransition == nil,
              let transition = try engine.transition(triggeredBy: event, for: record, facts: try await facts(of: record)) else { return record }
        let workflow = try workflow(of: record)
        var v = Validation()
        var values: [String: String] = [:]
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            guard let field = workflow.field(name) else {
                v.fail("workflow.unknown_field", "the \(workflow.caseType.rawValue) workflow has no field \(name.prefix(40))", at: "fields.\(name.prefix(40))")
                continue
            }
            if let checked = field.check(value, at: "fields.\(name)", into: &v) { values[name] = checked }
        }
        try v.finish()
        let updated = try await apply(transition, workflow: workflow, to: record, by: caller.user, reason: nil, fields: values, cause: "on \(event)")
        try await audit.record(caller.event(.update, "case", updated.id.rawValue))
        return updated
    }

    /// Fires the timers due today or earlier: reminders, expiries with escalation to the office's
    /// supervisors and automatic transitions. Each case is handled on its own; a failure is
    /// reported and retried on the next pass.
    public func runTimers(limit: Int = 500) async throws -> TimerReport {
        var report = TimerReport()
        let today = CalendarDate(now)
        for record in try await cases.casesWithTimersDue(by: today.adding(days: 1), limit: limit) {
            do {
                try await fireTimers(of: record, report: &report)
            } catch {
                report.failures.append("\(record.number.text): \(error)")
            }
        }
        return report
    }

    private func fireTimers(of record: Case, report: inout TimerReport) async throws {
        let workflow = try self.workflow(of: record)
        let today = engine.day(of: now, at: record.office)
        let due = try engine.dueTimers(of: record, today: today)
        guard !due.isEmpty, let state = workflow.state(record.state), let rule = state.deadline, let deadline = record.deadline else {
            // Not yet due at the office's today (its zone is behind UTC's next day): a later pass
            // fires it. An index left over from a state without timers is cleared.
            if try engine.nextTimer(of: record) == nil {
                _ = try await cases.update(record, expectedVersion: record.version, change: CaseChange(nextTimer: nil))
            }
            return
        }
        let now = self.now
        var next = record
        next.timersFired += due.count
        var history: [HistoryRecord] = []
        var created: [CaseTask] = []
        var events: [CaseEvent] = []
        var expired = false
        for timer in due {
            switch timer.kind {
            case .reminder(let days):
                report.reminders += 1
                history.append(self.record(.deadlineReminder, "Reminder: \(state.label) ends on \(deadline) (\(days) \(rule.limit.count.rawValue) day(s) left)", by: .system, at: now))
                events.append(CaseEvent(id: .init(ids.next()), caseID: record.id, name: "deadline.reminder", at: now, actor: .system, source: "timer:\(state.id)"))
            case .expiry:
                expired = true
                report.expiries += 1
                history.append(self.record(.deadlineExpired, "Deadline passed: \(state.label) ended on \(deadline)", by: .system, at: now))
                events.append(CaseEvent(id: .init(ids.next()), caseID: record.id, name: "deadline.expired", at: now, actor: .system, source: "timer:\(state.id)"))
                if rule.escalate {
                    report.escalations += 1
                    let task = CaseTask(
                        id: .init(ids.next()), caseID: record.id, caseNumber: record.number,
                        title: "Escalated: \(state.label) passed its deadline of \(deadline)", assignee: nil, team: "supervisor",
                        office: record.office, due: today, priority: .urgent, createdAt: now, createdBy: .system, source: "timer:\(state.id)"
                    )
                    created.append(task)
                    history.append(self.record(.taskCreated, "Task: \(task.title) (queue: supervisor)", by: .system, at: now))
                }
            }
        }
        next.updatedAt = now
        let updated = try await cases.update(next, expectedVersion: record.version, change: CaseChange(
            history: history, tasks: created, events: events, nextTimer: try engine.nextTimer(of: next)
        ))
        if expired, let expiry = rule.onExpiry, let transition = workflow.transition(expiry), transition.from.contains(updated.state), updated.pendingTransition == nil {
            _ = try await apply(transition, workflow: workflow, to: updated, by: .system, reason: nil, fields: [:], cause: "deadline of \(deadline) passed")
            report.automaticTransitions += 1
        }
        try await audit.record(Caller.system.event(.update, "case", record.id.rawValue))
    }

    /// The case's events (for letters and notifications), oldest first.
    public func events(_ number: CaseNumber, by caller: Caller) async throws -> [CaseEvent] {
        try await readAudited(number, "case_events", by: caller) { try await cases.events(of: $0) }
    }

    /// Refuses an officer who does not exist, is disabled or holds no role at `office` that
    /// lets them work on cases of `caseType`.
    func requireOfficer(_ officer: UserID, office: OfficeCode, caseType: CaseType, at path: String) async throws {
        guard let users else { return }
        guard let account = try await users.user(officer), !account.disabled else {
            throw CaseworkError(code: "casework.unknown_officer", reason: "there is no active user \(officer)", category: .unprocessable,
                                diagnostics: [Diagnostic(code: "casework.unknown_officer", message: "there is no active user \(officer)", path: path)])
        }
        let resource = AccessPolicy.Resource(office: office.rawValue, caseType: caseType.rawValue)
        guard policy.allows(account.grants, .editCase, on: resource) || policy.allows(account.grants, .decide, on: resource) else {
            let message = "\(officer) holds no role that works on \(caseType.label.lowercased()) cases at \(office)"
            throw CaseworkError(code: "casework.officer_not_in_office", reason: message, category: .unprocessable,
                                diagnostics: [Diagnostic(code: "casework.officer_not_in_office", message: message, path: path)])
        }
    }
}

extension Workflow.Field {
    /// The value checked against the field's kind; nil (with a diagnostic) when it does not fit.
    func check(_ value: String, at path: String, into v: inout Validation) -> String? {
        if value.unicodeScalars.count > maxLength {
            v.fail("workflow.field_too_long", "\(label) takes at most \(maxLength) characters", at: path)
            return nil
        }
        guard let text = v.text(value, at: path, required: true, maxLength: 2000) else { return nil }
        switch kind {
        case .text: return text
        case .date:
            guard let date = CalendarDate(text) else {
                v.fail("workflow.invalid_field_date", "\(label): '\(text.prefix(40))' is not a date (YYYY-MM-DD)", at: path)
                return nil
            }
            return date.text
        case .choice:
            guard options.contains(text) else {
                v.fail("workflow.invalid_choice", "\(label): '\(text.prefix(40))' is not one of \(options.joined(separator: ", "))", at: path)
                return nil
            }
            return text
        case .boolean:
            guard text == "true" || text == "false" else {
                v.fail("workflow.invalid_boolean", "\(label): give true or false", at: path)
                return nil
            }
            return text
        }
    }
}
