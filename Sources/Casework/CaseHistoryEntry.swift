public import AccordCore
public import Foundation

/// One line of a case's append-only history: who did what, when.
public struct CaseHistoryEntry: Identifiable, Sendable, Equatable, Codable {
    public typealias ID = Identifier<CaseHistoryEntry>

    public enum Action: String, Sendable, Codable, CaseIterable {
        case caseOpened = "case_opened"
        case statusChanged = "status_changed"
        case assignmentChanged = "assignment_changed"
        case detailsChanged = "details_changed"
        case personLinked = "person_linked"
        case noteAdded = "note_added"
        case documentAttached = "document_attached"
        case transitionRequested = "transition_requested"
        case transitionRefused = "transition_refused"
        case fieldsChanged = "fields_changed"
        case taskCreated = "task_created"
        case taskChanged = "task_changed"
        case taskCompleted = "task_completed"
        case decisionProposed = "decision_proposed"
        case decisionApproved = "decision_approved"
        case decisionReturned = "decision_returned"
        case deadlineReminder = "deadline_reminder"
        case deadlineExpired = "deadline_expired"
        case triaged
        case appointmentScheduled = "appointment_scheduled"
        case appointmentCancelled = "appointment_cancelled"
        /// A national system's answer that the workflow reacts to (a police hit).
        case checkRecorded = "check_recorded"
    }

    public let id: ID
    public let caseID: Case.ID
    /// 1, 2, 3, … within the case, without gaps.
    public let sequence: Int
    public let at: Date
    public let actor: UserID
    public let action: Action
    public let summary: String

    public init(id: ID, caseID: Case.ID, sequence: Int, at: Date, actor: UserID, action: Action, summary: String) {
        self.id = id
        self.caseID = caseID
        self.sequence = sequence
        self.at = at
        self.actor = actor
        self.action = action
        self.summary = summary
    }
}

/// A history entry before the repository has given it its place in the sequence.
public struct HistoryRecord: Sendable, Equatable {
    public let id: CaseHistoryEntry.ID
    public let at: Date
    public let actor: UserID
    public let action: CaseHistoryEntry.Action
    public let summary: String

    public init(id: CaseHistoryEntry.ID, at: Date, actor: UserID, action: CaseHistoryEntry.Action, summary: String) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.summary = summary
    }
}
