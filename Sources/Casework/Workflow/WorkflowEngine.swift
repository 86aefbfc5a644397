public import AccordCore
public import Foundation
public import Identity

/// What the guards of a transition look at.
public struct CaseFacts: Sendable, Equatable {
    public var fields: [String: String]
    public var documentKinds: Set<CaseDocument.Kind>
    public var openTasks: Int
    public var decision: CaseDecision?

    public init(fields: [String: String] = [:], documentKinds: Set<CaseDocument.Kind> = [], openTasks: Int = 0, decision: CaseDecision? = nil) {
        self.fields = fields
        self.documentKinds = documentKinds
        self.openTasks = openTasks
        self.decision = decision
    }
}

/// A guard that does not hold, said so an officer knows what to do about it.
public struct UnmetGuard: Sendable, Equatable, Codable {
    public let code: String
    public let message: String
    /// The field or document kind it is about.
    public let subject: String?

    public init(code: String, message: String, subject: String? = nil) {
        self.code = code
        self.message = message
        self.subject = subject
    }
}

/// A transition the caller may take from the case's state, and what still stands in its way.
public struct TransitionOption: Sendable, Equatable, Codable {
    public let id: String
    public let label: String
    public let to: String
    public let toLabel: String
    public let fourEyes: Bool
    public let reasonRequired: Bool
    /// The fields the officer fills in when taking it.
    public let sets: [String]
    public let unmet: [UnmetGuard]
    /// No guard stands in the way (stored so that it is in the JSON).
    public let available: Bool

    public init(id: String, label: String, to: String, toLabel: String, fourEyes: Bool, reasonRequired: Bool, sets: [String], unmet: [UnmetGuard]) {
        self.id = id
        self.label = label
        self.to = to
        self.toLabel = toLabel
        self.fourEyes = fourEyes
        self.reasonRequired = reasonRequired
        self.sets = sets
        self.unmet = unmet
        self.available = unmet.isEmpty
    }
}

/// A timer of a state: a reminder or the expiry of its deadline.
public struct StateTimer: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case reminder(daysBefore: Int), expiry }
    public let kind: Kind
    /// The day on which it fires (at the start of the day in the office's zone).
    public let on: CalendarDate

    public init(kind: Kind, on: CalendarDate) {
        self.kind = kind
        self.on = on
    }
}

/// The workflow engine: pure decisions over a case, its workflow and its facts. It never reads
/// or writes storage; `CaseworkService` gathers the facts and applies the results.
public struct WorkflowEngine: Sendable {
    public let catalog: WorkflowCatalog
    public let calendars: OfficeCalendars
    /// Differentiated processing per case type (Profiles/triage/).
    public let triage: [CaseType: TriageRules]

    public init(catalog: WorkflowCatalog, calendars: OfficeCalendars = OfficeCalendars(), triage: [CaseType: TriageRules] = [:]) {
        self.catalog = catalog
        self.calendars = calendars
        self.triage = triage
    }

    /// The guards of `transition` that do not hold for `facts`.
    public func unmet(_ transition: Workflow.Transition, in workflow: Workflow, facts: CaseFacts) -> [UnmetGuard] {
        var unmet: [UnmetGuard] = []
        for field in transition.guards.fields where (facts.fields[field] ?? "").isEmpty {
            let label = workflow.field(field)?.label ?? Self.builtInLabel(field)
            unmet.append(UnmetGuard(code: "workflow.field_missing", message: "\(label) must be filled in", subject: field))
        }
        for kind in transition.guards.documents where !facts.documentKinds.contains(kind) {
            unmet.append(UnmetGuard(code: "workflow.document_missing", message: "a document of kind “\(kind.label)” must be attached", subject: kind.rawValue))
        }
        if transition.guards.tasksDone, facts.openTasks > 0 {
            unmet.append(UnmetGuard(code: "workflow.tasks_open", message: "\(facts.openTasks) open task(s) must be done first"))
        }
        switch transition.guards.decision {
        case .proposed? where facts.decision == nil || facts.decision?.state == .returned:
            unmet.append(UnmetGuard(code: "workflow.decision_missing", message: "a decision must be proposed first"))
        case .approved? where facts.decision?.state != .approved:
            unmet.append(UnmetGuard(code: "workflow.decision_not_approved", message: facts.decision?.state == .proposed
                ? "the proposed decision must be approved by a second officer" : "a decision must be proposed and approved first"))
        default: break
        }
        return unmet
    }

    static func builtInLabel(_ field: String) -> String {
        switch field {
        case "assignedOfficer": "The case officer"
        case "title": "The case title"
        default: field
        }
    }

    /// The transitions out of the case's state that `may` allows (system-only transitions are
    /// never offered), each with its unmet guards.
    public func options(for record: Case, facts: CaseFacts, may: (Permission) -> Bool) throws -> [TransitionOption] {
        let workflow = try catalog.workflow(of: record)
        return workflow.outgoing(from: record.state).compactMap { transition in
            guard let permission = transition.permission, may(permission) else { return nil }
            return TransitionOption(
                id: transition.id, label: transition.label, to: transition.to, toLabel: workflow.label(of: transition.to),
                fourEyes: transition.fourEyes, reasonRequired: transition.reasonRequired, sets: transition.sets,
                // A field the transition itself asks for is filled in with it, not beforehand.
                unmet: unmet(transition, in: workflow, facts: facts).filter { !($0.code == "workflow.field_missing" && transition.sets.contains($0.subject ?? "")) }
            )
        }
    }

    /// The transition an event takes from the case's state: the first, in file order, that
    /// lists the event and whose guards hold.
    public func transition(triggeredBy event: String, for record: Case, facts: CaseFacts) throws -> Workflow.Transition? {
        let workflow = try catalog.workflow(of: record)
        return workflow.outgoing(from: record.state).first { $0.on.contains(event) && unmet($0, in: workflow, facts: facts).isEmpty }
    }

    /// The reaction of the case's workflow to `event` while the case is open, if any.
    public func reaction(to event: String, for record: Case) throws -> Workflow.Reaction? {
        let workflow = try catalog.workflow(of: record)
        guard workflow.state(record.state)?.final != true else { return nil }
        return workflow.reactions.first { $0.event == event }
    }

    /// The deadline of `state` for a case entering it on `day` at `office`.
    public func deadline(of state: Workflow.State, enteredOn day: CalendarDate, at office: OfficeCode) -> CalendarDate? {
        guard let deadline = state.deadline else { return nil }
        return calendars.calendar(of: office).add(deadline.limit, after: day, rollForward: deadline.rollForward)
    }

    /// The timers of the case's current state, in the order they fire: reminders (furthest
    /// first), then the expiry on the day after the deadline.
    public func timers(of record: Case) throws -> [StateTimer] {
        timers(in: try catalog.workflow(of: record), state: record.state, deadline: record.deadline, at: record.office)
    }

    public func timers(in workflow: Workflow, state: String, deadline: CalendarDate?, at office: OfficeCode) -> [StateTimer] {
        guard let rule = workflow.state(state)?.deadline, let deadline else { return [] }
        let calendar = calendars.calendar(of: office)
        var timers: [StateTimer] = rule.remindBefore.sorted(by: >).map { days in
            let day = rule.limit.count == .working ? calendar.workingDays(days, before: deadline) : deadline.adding(days: -days)
            return StateTimer(kind: .reminder(daysBefore: days), on: day)
        }
        // A deadline passing is always recorded; escalation and automatic moves are the rule's.
        timers.append(StateTimer(kind: .expiry, on: deadline.adding(days: 1)))
        return timers
    }

    /// The day the case's next unfired timer fires, for the timer index.
    public func nextTimer(of record: Case) throws -> CalendarDate? {
        let timers = try timers(of: record)
        return record.timersFired < timers.count ? timers[record.timersFired].on : nil
    }

    /// The timers due on or before `today` that have not fired yet.
    public func dueTimers(of record: Case, today: CalendarDate) throws -> [StateTimer] {
        try timers(of: record).dropFirst(record.timersFired).prefix { $0.on <= today }.map { $0 }
    }

    /// The day `instant` falls on at `office`.
    public func day(of instant: Date, at office: OfficeCode) -> CalendarDate {
        calendars.calendar(of: office).date(of: instant)
    }

    /// The due day of a task created on `day` at `office`.
    public func due(_ limit: DayLimit?, after day: CalendarDate, at office: OfficeCode) -> CalendarDate? {
        limit.map { calendars.calendar(of: office).add($0, after: day, rollForward: true) }
    }
}
