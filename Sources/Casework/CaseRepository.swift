public import AccordCore
public import Foundation
public import Identity

/// Where cases, their history and notes are kept. Every method that writes more than one row
/// does so in one transaction: on failure nothing is written.
public protocol CaseRepository: Sendable {
    /// Allocates the next case number for the draft's type and year, stores the case, its parties
    /// and the opening history entry.
    func open(_ draft: CaseDraft, history: HistoryRecord, change: CaseChange) async throws -> Case
    func `case`(_ id: Case.ID) async throws -> Case?
    func `case`(number: CaseNumber) async throws -> Case?
    func list(_ filter: CaseFilter) async throws -> CasePage
    /// Replaces the case record (status, office, officer, title, parties) if its stored version is
    /// `expectedVersion`, and appends the history entries. The stored version becomes
    /// `expectedVersion + 1`.
    func update(_ updated: Case, expectedVersion: Int, change: CaseChange) async throws -> Case
    /// Cases whose next timer is due on or before `day`, oldest first.
    func casesWithTimersDue(by day: CalendarDate, limit: Int) async throws -> [Case]
    /// The (office, case type) of every case each person is a party to, without loading the cases:
    /// what access checks on persons need.
    func caseResources(ofPersons ids: [Person.ID]) async throws -> [Person.ID: [(office: OfficeCode, type: CaseType)]]
    /// Approved decision outcomes of the cases of `caseType` that triage rule `rule` put on their track.
    func decisionOutcomes(triageRule rule: String, caseType: CaseType) async throws -> [String: Int]
    /// The case events (for letters and notifications) of a case, oldest first.
    func events(of caseID: Case.ID) async throws -> [CaseEvent]
    func addNote(_ note: CaseNote, history: HistoryRecord) async throws
    func notes(of caseID: Case.ID) async throws -> [CaseNote]
    /// Messages to `recipient` not read yet, newest first, with their cases (texts stay sealed: not opened here).
    func unreadMessages(for recipient: UserID, limit: Int) async throws -> [(id: CaseNote.ID, caseNumber: CaseNumber, author: UserID, at: Date)]
    func markMessagesRead(on caseID: Case.ID, recipient: UserID, at: Date) async throws
    func history(of caseID: Case.ID) async throws -> [CaseHistoryEntry]
    /// The offices that have cases, for filters.
    func offices() async throws -> [OfficeCode]
}

extension CaseRepository {
    public func open(_ draft: CaseDraft, history: HistoryRecord) async throws -> Case {
        try await open(draft, history: history, change: CaseChange())
    }

    public func update(_ updated: Case, expectedVersion: Int, history: [HistoryRecord]) async throws -> Case {
        try await update(updated, expectedVersion: expectedVersion, change: CaseChange(history: history))
    }
}

/// What a change of a case writes beside the case record, in the same transaction.
public struct CaseChange: Sendable, Equatable {
    public var history: [HistoryRecord]
    /// Tasks the workflow creates.
    public var tasks: [CaseTask]
    /// Events for letters and notifications.
    public var events: [CaseEvent]
    /// The day the case's next timer fires (the timer index).
    public var nextTimer: CalendarDate?

    public init(history: [HistoryRecord] = [], tasks: [CaseTask] = [], events: [CaseEvent] = [], nextTimer: CalendarDate? = nil) {
        self.history = history
        self.tasks = tasks
        self.events = events
        self.nextTimer = nextTimer
    }
}

/// Something that happened to a case that letters and notifications follow: `entered.<state>`,
/// a workflow effect's event name, `decision.approved`, `deadline.reminder`, …
public struct CaseEvent: Identifiable, Sendable, Equatable, Codable {
    public typealias ID = Identifier<CaseEvent>
    public let id: ID
    public let caseID: Case.ID
    public let name: String
    public let at: Date
    public let actor: UserID
    /// The transition or timer it came from.
    public let source: String?

    public init(id: ID, caseID: Case.ID, name: String, at: Date, actor: UserID, source: String?) {
        self.id = id
        self.caseID = caseID
        self.name = name
        self.at = at
        self.actor = actor
        self.source = source
    }
}

/// Where tasks are kept.
public protocol TaskRepository: Sendable {
    func insert(_ task: CaseTask, history: HistoryRecord) async throws
    /// Replaces the task if its stored version is `expectedVersion`; appends the history entry.
    func update(_ task: CaseTask, expectedVersion: Int, history: HistoryRecord) async throws -> CaseTask
    func task(_ id: CaseTask.ID) async throws -> CaseTask?
    func list(_ filter: TaskFilter) async throws -> [CaseTask]
    func openCount(of caseID: Case.ID) async throws -> Int
    /// Open tasks and open cases per officer and per team queue, at `office` (nil: every office).
    func workload(office: OfficeCode?, today: CalendarDate) async throws -> [WorkloadRow]
}

/// Where decisions are kept; grounds are sealed under the case principal's key.
public protocol DecisionRepository: Sendable {
    /// The latest decision of the case.
    func latest(of caseID: Case.ID) async throws -> CaseDecision?
    func all(of caseID: Case.ID) async throws -> [CaseDecision]
    func decision(_ id: CaseDecision.ID) async throws -> CaseDecision?
    func insert(_ decision: CaseDecision, history: HistoryRecord) async throws
    /// Records approval (with the signature) or return; fails with a conflict if it is no longer proposed.
    func settle(_ decision: CaseDecision, history: HistoryRecord) async throws
}

/// A case before it has a number.
public struct CaseDraft: Sendable, Equatable {
    public let id: Case.ID
    public let type: CaseType
    public let year: Int
    public let state: String
    public let workflowVersion: Int
    public let deadline: CalendarDate?
    public let fields: [String: String]
    public let office: OfficeCode
    public let assignedOfficer: UserID?
    public let title: String?
    public let parties: [CaseParty]
    public let openedAt: Date

    public init(
        id: Case.ID, type: CaseType, year: Int, state: String, workflowVersion: Int, deadline: CalendarDate? = nil,
        fields: [String: String] = [:], office: OfficeCode,
        assignedOfficer: UserID?, title: String?, parties: [CaseParty], openedAt: Date
    ) {
        self.id = id
        self.type = type
        self.year = year
        self.state = state
        self.workflowVersion = workflowVersion
        self.deadline = deadline
        self.fields = fields
        self.office = office
        self.assignedOfficer = assignedOfficer
        self.title = title
        self.parties = parties
        self.openedAt = openedAt
    }
}

public struct CaseFilter: Sendable, Equatable {
    public enum Sort: String, Sendable, CaseIterable {
        case newest, oldest, deadline, updated
    }

    public var type: CaseType?
    /// A workflow state id.
    public var state: String?
    /// true: open cases only; false: closed only.
    public var open: Bool?
    public var sort: Sort
    public var office: OfficeCode?
    public var assignedOfficer: UserID?
    public var personID: Person.ID?
    /// When set, only cases matching one of these clauses (access control); empty: none.
    public var access: [AccessClause]?
    public var limit: Int
    public var offset: Int

    public static let maximumLimit = 500

    public init(
        type: CaseType? = nil, state: String? = nil, open: Bool? = nil, sort: Sort = .newest, office: OfficeCode? = nil,
        assignedOfficer: UserID? = nil, personID: Person.ID? = nil, limit: Int = 50, offset: Int = 0
    ) {
        self.type = type
        self.state = state
        self.open = open
        self.sort = sort
        self.office = office
        self.assignedOfficer = assignedOfficer
        self.personID = personID
        self.limit = min(max(limit, 1), CaseFilter.maximumLimit)
        self.offset = max(offset, 0)
    }
}

/// One page of a case list, newest first, with the total number of matches.
public struct CasePage: Sendable, Equatable {
    public let cases: [Case]
    public let total: Int

    public init(cases: [Case], total: Int) {
        self.cases = cases
        self.total = total
    }
}
