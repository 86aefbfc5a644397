public import AccordCore
public import Identity

/// One case type's procedure as data (Profiles/workflows/<case-type>.yaml): its states, the
/// transitions between them with who may take them, their guards and effects, the state timers
/// and the decision the procedure ends in. A case keeps the version it started under.
public struct Workflow: Sendable, Equatable {
    public var caseType: CaseType
    public var version: Int
    public var title: String
    public var initial: String
    public var states: [State]
    public var transitions: [Transition]
    /// Case data the procedure collects (guards can require them; transitions can set them).
    public var fields: [Field]
    /// The documents the case type's checklist expects, in order.
    public var checklist: [CaseDocument.Kind]
    public var decision: DecisionRule?
    /// Events that do not move the case but have effects (a police hit opens a task for a
    /// supervisor), while the case is open.
    public var reactions: [Reaction]
    /// Where each element was written (`states.registered`, `transitions.submit`, …) → line, for
    /// diagnostics; empty for workflows built in code.
    public var lines: [String: Int]

    public init(
        caseType: CaseType, version: Int, title: String, initial: String, states: [State], transitions: [Transition],
        fields: [Field] = [], checklist: [CaseDocument.Kind] = [], decision: DecisionRule? = nil, reactions: [Reaction] = [], lines: [String: Int] = [:]
    ) {
        self.reactions = reactions
        self.caseType = caseType
        self.version = version
        self.title = title
        self.initial = initial
        self.states = states
        self.transitions = transitions
        self.fields = fields
        self.checklist = checklist
        self.decision = decision
        self.lines = lines
    }

    public struct State: Sendable, Equatable {
        public var id: String
        public var label: String
        /// A final state: the case is closed (no transitions leave it).
        public var final: Bool
        public var deadline: Deadline?

        public init(id: String, label: String, final: Bool = false, deadline: Deadline? = nil) {
            self.id = id
            self.label = label
            self.final = final
            self.deadline = deadline
        }
    }

    /// A statutory limit counted from the day a case enters the state, on the office's calendar.
    public struct Deadline: Sendable, Equatable {
        public var limit: DayLimit
        /// Reminders so many days (of the limit's kind) before the deadline.
        public var remindBefore: [Int]
        /// On expiry, a task for the supervisors of the office.
        public var escalate: Bool
        /// On expiry, this transition is taken automatically (by the system).
        public var onExpiry: String?
        /// Rolls a deadline falling on a non-working day to the next working day.
        public var rollForward: Bool

        public init(limit: DayLimit, remindBefore: [Int] = [], escalate: Bool = false, onExpiry: String? = nil, rollForward: Bool = true) {
            self.limit = limit
            self.remindBefore = remindBefore
            self.escalate = escalate
            self.onExpiry = onExpiry
            self.rollForward = rollForward
        }
    }

    public struct Transition: Sendable, Equatable {
        public var id: String
        public var label: String
        public var from: [String]
        public var to: String
        /// Who may take it; nil: only the system (events and timers).
        public var permission: Permission?
        public var guards: Guards
        /// Taken by one officer, confirmed by another who holds the permission too.
        public var fourEyes: Bool
        /// The officer must say why (withdrawals, reopenings).
        public var reasonRequired: Bool
        /// Fields the officer fills in when taking it.
        public var sets: [String]
        public var effects: Effects
        /// Events that take this transition automatically when the case is in a `from` state
        /// and the guards hold (`exchange.<message_type>`, `adapter.<name>`, `decision.approved`).
        public var on: [String]

        public init(
            id: String, label: String, from: [String], to: String, permission: Permission?, guards: Guards = Guards(),
            fourEyes: Bool = false, reasonRequired: Bool = false, sets: [String] = [], effects: Effects = Effects(), on: [String] = []
        ) {
            self.id = id
            self.label = label
            self.from = from
            self.to = to
            self.permission = permission
            self.guards = guards
            self.fourEyes = fourEyes
            self.reasonRequired = reasonRequired
            self.sets = sets
            self.effects = effects
            self.on = on
        }
    }

    public struct Guards: Sendable, Equatable {
        /// Case fields (the workflow's, or `assignedOfficer`, `title`) that must have a value.
        public var fields: [String]
        /// Document kinds that must be attached.
        public var documents: [CaseDocument.Kind]
        /// No open task may remain on the case.
        public var tasksDone: Bool
        public var decision: DecisionRequirement?

        public init(fields: [String] = [], documents: [CaseDocument.Kind] = [], tasksDone: Bool = false, decision: DecisionRequirement? = nil) {
            self.fields = fields
            self.documents = documents
            self.tasksDone = tasksDone
            self.decision = decision
        }

        public var isEmpty: Bool { fields.isEmpty && documents.isEmpty && !tasksDone && decision == nil }
    }

    public enum DecisionRequirement: String, Sendable, Equatable, CaseIterable {
        /// A decision has been proposed (approved or not).
        case proposed
        /// A decision has been approved (by a second officer where four-eyes applies) and signed.
        case approved
    }

    public struct Effects: Sendable, Equatable {
        public var tasks: [TaskTemplate]
        /// Named events recorded on the case for letters and notifications.
        public var events: [String]

        public init(tasks: [TaskTemplate] = [], events: [String] = []) {
            self.tasks = tasks
            self.events = events
        }
    }

    /// What an event does to an open case without a transition: tasks and named events.
    public struct Reaction: Sendable, Equatable {
        /// `adapter.police.hit`, `agency.registry.document_cancelled`, …
        public var event: String
        public var label: String
        public var effects: Effects

        public init(event: String, label: String, effects: Effects) {
            self.event = event
            self.label = label
            self.effects = effects
        }
    }

    public struct TaskTemplate: Sendable, Equatable {
        public var title: String
        public var due: DayLimit?
        /// The team (role) whose queue the task goes to; nil: the case's officer.
        public var role: String?
        public var priority: CaseTask.Priority

        public init(title: String, due: DayLimit? = nil, role: String? = nil, priority: CaseTask.Priority = .normal) {
            self.title = title
            self.due = due
            self.role = role
            self.priority = priority
        }
    }

    public struct Field: Sendable, Equatable {
        public enum Kind: String, Sendable, CaseIterable { case text, date, choice, boolean }
        public var id: String
        public var label: String
        public var kind: Kind
        public var options: [String]
        public var maxLength: Int

        public init(id: String, label: String, kind: Kind = .text, options: [String] = [], maxLength: Int = 200) {
            self.id = id
            self.label = label
            self.kind = kind
            self.options = options
            self.maxLength = maxLength
        }
    }

    public struct DecisionRule: Sendable, Equatable {
        public var outcomes: [Outcome]
        /// Proposed by one officer, approved by another.
        public var fourEyes: Bool
        /// The permission to approve (and, without four eyes, to decide).
        public var permission: Permission
        /// The permission to propose (with four eyes: the case officer's, by default).
        public var proposePermission: Permission

        public init(outcomes: [Outcome], fourEyes: Bool, permission: Permission = .decide, proposePermission: Permission? = nil) {
            self.outcomes = outcomes
            self.fourEyes = fourEyes
            self.permission = permission
            self.proposePermission = proposePermission ?? (fourEyes ? .editCase : permission)
        }

        public struct Outcome: Sendable, Equatable {
            public var id: String
            public var label: String
            /// Grounds must be written (refusals).
            public var groundsRequired: Bool

            public init(id: String, label: String, groundsRequired: Bool = false) {
                self.id = id
                self.label = label
                self.groundsRequired = groundsRequired
            }
        }
    }

    /// Fields every case has, which guards may name beside the workflow's own.
    public static let builtInFields = ["assignedOfficer", "title"]

    public func state(_ id: String) -> State? { states.first { $0.id == id } }
    public func transition(_ id: String) -> Transition? { transitions.first { $0.id == id } }
    public func field(_ id: String) -> Field? { fields.first { $0.id == id } }

    /// The label of a state, or its identifier when the workflow does not know it.
    public func label(of state: String) -> String { self.state(state)?.label ?? state }

    public func outgoing(from state: String) -> [Transition] { transitions.filter { $0.from.contains(state) } }
}
