/// Where a case stands. The allowed moves are a fixed graph for now; the workflow engine will
/// replace it with per-case-type workflows from Profiles/.
public enum CaseStatus: String, Sendable, Codable, CaseIterable {
    case registered
    case inProgress = "in_progress"
    case awaitingInformation = "awaiting_information"
    case decisionPending = "decision_pending"
    case decided
    case appealed
    case withdrawn
    case closed

    public var allowedNext: Set<CaseStatus> {
        switch self {
        case .registered: [.inProgress, .withdrawn, .closed]
        case .inProgress: [.awaitingInformation, .decisionPending, .withdrawn]
        case .awaitingInformation: [.inProgress, .withdrawn]
        case .decisionPending: [.inProgress, .decided, .withdrawn]
        case .decided: [.appealed, .closed]
        case .appealed: [.inProgress, .closed]
        case .withdrawn: [.closed]
        case .closed: []
        }
    }

    public func canMove(to next: CaseStatus) -> Bool { allowedNext.contains(next) }

    public var isOpen: Bool { self != .closed && self != .withdrawn }

    public var label: String {
        switch self {
        case .registered: "Registered"
        case .inProgress: "In progress"
        case .awaitingInformation: "Awaiting information"
        case .decisionPending: "Decision pending"
        case .decided: "Decided"
        case .appealed: "Appealed"
        case .withdrawn: "Withdrawn"
        case .closed: "Closed"
        }
    }
}
