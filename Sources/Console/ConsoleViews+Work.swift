import AccordCore
import Casework
import Foundation

/// A workflow field's value on the case page.
struct FieldValue {
    let label: String
    let value: String
}

/// An input of a form drawn from a workflow field.
struct FieldInput {
    let name: String
    let id: String
    let label: String
    let value: String
    let isDate: Bool
    let isChoice: Bool
    let isBoolean: Bool
    let isText: Bool
    let options: [Option]
    let error: String?

    init(_ field: Workflow.Field, form: String, value: String, error: String?) {
        name = "field.\(field.id)"
        id = "\(form)-\(field.id)"
        label = field.label
        self.value = value
        isDate = field.kind == .date
        isChoice = field.kind == .choice
        isBoolean = field.kind == .boolean
        isText = field.kind == .text
        let choices = field.kind == .boolean ? ["true", "false"] : field.options
        options = choices.map { Option(value: $0, label: field.kind == .boolean ? ($0 == "true" ? "Yes" : "No") : $0.replacingOccurrences(of: "_", with: " "), selected: $0 == value) }
        self.error = error
    }
}

/// A transition the officer may take, as a form; unmet guards are listed instead of a button.
struct ActionForm {
    let id: String
    let label: String
    let to: String
    let available: Bool
    let unmet: [String]
    let hasUnmet: Bool
    let fields: [FieldInput]
    let reasonRequired: Bool
    let reason: String
    let reasonError: String?
    let fourEyes: Bool
}

struct PendingView {
    let label: String
    let to: String
    let requestedBy: String
    let at: String
    let reason: String?
    /// The viewer may confirm or refuse (someone else asked, and the viewer holds the permission).
    let canAnswer: Bool
    let ownRequest: Bool
}

struct DecisionView {
    let id: String
    let outcome: String
    let grounds: String?
    let legalBasis: String?
    let state: String
    let proposed: String
    let approved: String?
    let returnReason: String?
    let signature: String?
    let verified: Bool
    let canReview: Bool
    let isProposed: Bool
    let isApproved: Bool
}

struct ProposeForm {
    let outcomes: [Option]
    let grounds: String
    let legalBasis: String
    let fourEyes: Bool
}

struct TaskView {
    let id: String
    let version: Int
    let title: String
    let caseNumber: String
    let holder: String
    let due: String
    let overdue: Bool
    let dueToday: Bool
    let priority: String
    let state: String
    let open: Bool
    let canClaim: Bool
    let canComplete: Bool
    let canRelease: Bool

    init(_ task: CaseTask, viewer: UserID, today: CalendarDate) {
        id = task.id.rawValue
        version = task.version
        title = task.title
        caseNumber = task.caseNumber.text
        holder = task.assignee?.rawValue ?? task.team.map { "queue: \($0.replacingOccurrences(of: "_", with: " "))" } ?? "unassigned"
        due = task.due?.text ?? "—"
        overdue = task.isOverdue(on: today)
        dueToday = task.state == .open && task.due == today
        priority = task.priority.rawValue
        state = task.state.rawValue
        open = task.state == .open
        canClaim = open && task.assignee == nil
        canComplete = open && (task.assignee == viewer || task.assignee == nil)
        canRelease = open && task.assignee == viewer && task.team != nil
    }
}

/// The error summary at the top of a form: each problem links to its field.
struct ErrorSummary {
    struct Item {
        let text: String
        let anchor: String
    }

    let code: String
    let text: String
    let items: [Item]
}

/// Everything on the case page an officer works with.
struct CaseWorkView {
    let csrf: String
    let caseVersion: Int
    let actions: [ActionForm]
    let hasActions: Bool
    let pending: PendingView?
    let decisions: [DecisionView]
    let propose: ProposeForm?
    let tasks: [TaskView]
    let canAddTask: Bool
    let canAddNote: Bool
    let canAttach: Bool
    let documentKinds: [Option]
    let noteText: String
    let teams: [Option]
    let errors: ErrorSummary?
    let checklist: [ChecklistItem]
    let hasChecklist: Bool
    let triage: TriageView?
    let appointments: AppointmentsView
    let noteTo: String
}

/// The case's appointments, and the form to schedule one (kept with its input when refused).
struct AppointmentsView {
    struct Row {
        let id, kind, when, room, officer, state: String
        let version: Int
        let canCancel: Bool
    }

    let rows: [Row]
    let canSchedule: Bool
    let kinds: [Option]
    let date, time, duration, room, officer: String
}

/// The track, the rule that gave it, similar profiles' recognition, and the override form.
struct TriageView {
    let track: String
    let rule: String
    let overriddenBy: String?
    let recognition: String
    let canOverride: Bool
    let tracks: [Option]
    let reason: String
    let reasonError: String?
}

struct ChecklistItem {
    let label: String
    let present: Bool
}

struct WorkloadView {
    let holder: String
    let openTasks: Int
    let overdueTasks: Int
    let openCases: Int
    let oldest: String
}

struct WorkPage {
    let nodeName: String
    let signedIn: SignedIn?
    let csrf: String
    let overdue: [TaskView]
    let today: [TaskView]
    let later: [TaskView]
    let hasOverdue: Bool
    let hasToday: Bool
    let hasLater: Bool
    let hasMine: Bool
    let queues: [QueueView]
    let workload: [WorkloadView]
    let showWorkload: Bool
    let myCases: Int
    let message: Message?
    let appointments: [UpcomingView]
    let messages: [UnreadView]
    let hasAppointments: Bool
    let hasMessages: Bool
}

struct UpcomingView {
    let when, kind, caseNumber, room: String
}

struct UnreadView {
    let at, author, caseNumber: String
}

struct QueueView {
    let office: String
    let tasks: [TaskView]
}
