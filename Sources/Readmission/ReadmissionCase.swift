public import AccordCore
public import Exchange
public import Foundation

/// A readmission case as both sides see it: the fold of its events, in order. The requesting
/// and the requested state fold the same messages and receipts, so they agree on the state.
public struct ReadmissionCase: Sendable {
    public enum Role: String, Sendable, Codable {
        /// This installation asked the partner to readmit the person.
        case requesting
        /// The partner asked this installation.
        case requested
    }

    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Sent; the partner's receipt has not come back yet.
        case submitted
        /// Received by the requested state: its reply clock runs.
        case pending
        case informationRequested = "information_requested"
        case interviewProposed = "interview_proposed"
        case interviewScheduled = "interview_scheduled"
        case accepted
        /// Accepted by silence past the reply limit, as the agreement provides.
        case deemedAccepted = "deemed_accepted"
        case rejected
        case travelDocumentIssued = "travel_document_issued"
        case transferNotified = "transfer_notified"
        case transferred
        case withdrawn

        /// The requested state still owes a reply.
        public var awaitsReply: Bool { [.submitted, .pending, .informationRequested, .interviewProposed, .interviewScheduled].contains(self) }
        public var isAccepted: Bool { [.accepted, .deemedAccepted, .travelDocumentIssued, .transferNotified, .transferred].contains(self) }
        public var isClosed: Bool { [.rejected, .transferred, .withdrawn].contains(self) }
    }

    public let id: ReadmissionCaseID
    public let role: Role
    /// The requesting state's case reference.
    public var reference: String
    public var partner: ParticipantID
    public var application: ReadmissionApplication
    public var status: Status
    public var openedAt: Date
    /// When the requested state received the (latest) application: the receipt's time.
    public var clockStartedAt: Date?
    /// Periods in which the reply clock stood still (open information requests), as receipt times.
    public var suspensions: [(from: Date, to: Date?)]
    public var extensionClaimed: String?
    public var decision: Decision?
    public var decisionAt: Date?
    public var acceptedAt: Date?
    /// A decision drafted on this side and waiting for a second officer (four-eyes).
    public var proposedDecision: Decision?
    public var openQuestions: [String]
    public var interviewSlots: [String]
    public var interviewSlot: String?
    public var interviewOutcome: InterviewOutcome?
    public var travelDocument: TravelDocumentIssued?
    public var transfer: TransferNotice?
    public var transferredAt: Date?
    public var identityChecks: [IdentityMatch]
    public var escalated: Bool
    public var events: [ReadmissionEvent]

    /// Folds `events` (in sequence order); nil when they do not begin with an application.
    public init?(events: [ReadmissionEvent]) {
        guard let first = events.first, first.direction != .local, case .readmissionApplication(let application)? = first.body else { return nil }
        self.id = first.caseID
        self.role = first.direction == .sent ? .requesting : .requested
        self.application = application
        self.reference = first.reference
        self.partner = first.partner
        self.status = .submitted
        self.openedAt = first.at
        self.suspensions = []
        self.openQuestions = []
        self.interviewSlots = []
        self.identityChecks = []
        self.escalated = false
        self.events = []
        for event in events { apply(event) }
    }

    mutating func apply(_ event: ReadmissionEvent) {
        events.append(event)
        if event.direction == .local {
            applyLocal(event)
            return
        }
        // A message counts from the moment its recipient has it (receipt time).
        let reachedAt = event.effectiveAt
        switch event.body {
        case .readmissionApplication(let application)?:
            self.application = application
            startClock(at: reachedAt)
        case .readmissionRevision(let revision)?:
            application = revision.application
            decision = nil
            decisionAt = nil
            acceptedAt = nil
            proposedDecision = nil
            startClock(at: reachedAt)
        case .informationRequest(let request)?:
            openQuestions = request.questions
            if !status.isClosed && !status.isAccepted { status = .informationRequested }
            suspensions.append((reachedAt ?? event.at, nil))
        case .informationResponse?:
            openQuestions = []
            if let last = suspensions.indices.last, suspensions[last].to == nil { suspensions[last].to = reachedAt ?? event.at }
            if status == .informationRequested { status = .pending }
        case .interviewProposal(let proposal)?:
            interviewSlots = proposal.slots
            if status.awaitsReply { status = .interviewProposed }
        case .interviewConfirmation(let confirmation)?:
            interviewSlot = confirmation.slot
            if status.awaitsReply { status = .interviewScheduled }
        case .interviewOutcome(let outcome)?:
            interviewOutcome = outcome
            if status == .interviewScheduled || status == .interviewProposed { status = .pending }
        case .decision(let decision)?:
            proposedDecision = nil
            // A decision after deemed acceptance does not undo it.
            guard status != .deemedAccepted else { return }
            self.decision = decision
            decisionAt = reachedAt ?? event.at
            if decision.outcome == "accept" {
                status = .accepted
                acceptedAt = decisionAt
            } else {
                status = .rejected
            }
        case .travelDocumentIssued(let document)?:
            travelDocument = document
            if status.isAccepted { status = .travelDocumentIssued }
        case .transferNotice(let notice)?:
            transfer = notice
            if status.isAccepted { status = .transferNotified }
        case .withdrawal?:
            status = .withdrawn
        case .caseUpdate(let update)?:
            switch update.status {
            case "transfer_completed":
                transferredAt = reachedAt ?? event.at
                status = .transferred
            case "extension_claimed":
                extensionClaimed = update.summary ?? ""
            default: break
            }
        default: break
        }
    }

    private mutating func startClock(at time: Date?) {
        clockStartedAt = time
        suspensions = []
        extensionClaimed = nil
        escalated = false
        status = time == nil ? .submitted : .pending
    }

    private mutating func applyLocal(_ event: ReadmissionEvent) {
        switch event.localKind {
        case .identityChecked?: identityChecks.append(IdentityMatch.recorded(event.detail ?? ""))
        case .decisionProposed?: if case .decision(let decision)? = event.body { proposedDecision = decision }
        case .decisionDeclined?: proposedDecision = nil
        case .escalated?: escalated = true
        case .deemedAccepted?:
            if status.awaitsReply {
                status = .deemedAccepted
                acceptedAt = event.at
            }
        default: break
        }
    }

    /// The application's procedure decides which reply limit applies.
    public var procedure: String { application.procedure }
    public var personName: String {
        let name = application.person.names.first
        return [name?.given, name?.family].compactMap { $0 }.joined(separator: " ")
    }
}
