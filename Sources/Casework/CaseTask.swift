public import AccordCore
public import Foundation
public import Identity

/// A piece of work on a case: created by a workflow transition or by hand, for one officer or
/// for a team (a role of an office) from whose queue an officer claims it.
public struct CaseTask: Identifiable, Sendable, Equatable, Codable {
    public typealias ID = Identifier<CaseTask>

    public enum Priority: String, Sendable, Codable, CaseIterable, Comparable {
        case low, normal, high, urgent

        var rank: Int { Self.allCases.firstIndex(of: self)! }
        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
    }

    public enum State: String, Sendable, Codable, CaseIterable {
        case open, done, cancelled
    }

    public let id: ID
    public let caseID: Case.ID
    public let caseNumber: CaseNumber
    public var title: String
    /// The officer it is assigned to; nil while it waits in the team's queue.
    public var assignee: UserID?
    /// The team (role) whose queue it is in, at the case's office.
    public var team: String?
    public var office: OfficeCode
    public var due: CalendarDate?
    public var priority: Priority
    public var state: State
    public let createdAt: Date
    public let createdBy: UserID
    /// The transition or timer that created it; nil when created by hand.
    public let source: String?
    public var completedAt: Date?
    public var completedBy: UserID?
    public var version: Int

    public init(
        id: ID, caseID: Case.ID, caseNumber: CaseNumber, title: String, assignee: UserID?, team: String?, office: OfficeCode,
        due: CalendarDate?, priority: Priority, state: State = .open, createdAt: Date, createdBy: UserID, source: String?,
        completedAt: Date? = nil, completedBy: UserID? = nil, version: Int = 1
    ) {
        self.id = id
        self.caseID = caseID
        self.caseNumber = caseNumber
        self.title = title
        self.assignee = assignee
        self.team = team
        self.office = office
        self.due = due
        self.priority = priority
        self.state = state
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.source = source
        self.completedAt = completedAt
        self.completedBy = completedBy
        self.version = version
    }

    public func isOverdue(on today: CalendarDate) -> Bool { state == .open && (due.map { $0 < today } ?? false) }
}

/// Which tasks to list.
public struct TaskFilter: Sendable, Equatable {
    public var caseID: Case.ID?
    public var assignee: UserID?
    /// Unassigned tasks of these teams at these offices (a team queue).
    public var queue: (office: OfficeCode, teams: [String])?
    public var state: CaseTask.State?
    /// Due on or before this day.
    public var dueBy: CalendarDate?
    public var limit: Int

    public init(caseID: Case.ID? = nil, assignee: UserID? = nil, queue: (office: OfficeCode, teams: [String])? = nil,
                state: CaseTask.State? = .open, dueBy: CalendarDate? = nil, limit: Int = 200) {
        self.caseID = caseID
        self.assignee = assignee
        self.queue = queue
        self.state = state
        self.dueBy = dueBy
        self.limit = min(max(limit, 1), 500)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.caseID == rhs.caseID && lhs.assignee == rhs.assignee && lhs.queue?.office == rhs.queue?.office
            && lhs.queue?.teams == rhs.queue?.teams && lhs.state == rhs.state && lhs.dueBy == rhs.dueBy && lhs.limit == rhs.limit
    }
}

/// Open work per officer or team: the supervisor's workload view.
public struct WorkloadRow: Sendable, Equatable, Codable {
    /// An officer, or `team:<role>` for a team's unclaimed queue.
    public let holder: String
    public let openTasks: Int
    public let overdueTasks: Int
    public let openCases: Int
    /// Days since the oldest open task was created.
    public let oldestTaskAgeDays: Int?

    public init(holder: String, openTasks: Int, overdueTasks: Int, openCases: Int, oldestTaskAgeDays: Int?) {
        self.holder = holder
        self.openTasks = openTasks
        self.overdueTasks = overdueTasks
        self.openCases = openCases
        self.oldestTaskAgeDays = oldestTaskAgeDays
    }
}
