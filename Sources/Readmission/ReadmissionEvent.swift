public import AccordCore
public import Exchange
public import Foundation

/// One entry of a readmission case's history: a message sent or received (with its receipt), or
/// something that happened locally — an identity check, a decision awaiting approval, a clock
/// event. A case is the fold of its events; nothing else is stored as truth.
public struct ReadmissionEvent: Sendable, Equatable {
    public enum Direction: String, Sendable, Codable {
        case sent, received, local
    }

    /// Local kinds (messages use their message type's raw value).
    public enum LocalKind: String, Sendable, CaseIterable {
        case identityChecked = "identity_checked"
        /// The interview record itself (kept by the interviewing side; only its SHA-256 is sent).
        case interviewRecorded = "interview_recorded"
        case decisionProposed = "decision_proposed"
        case decisionDeclined = "decision_declined"
        case reminder
        case escalated
        case deemedAccepted = "deemed_accepted"
        case deadlineMissed = "deadline_missed"
        case transferOverdue = "transfer_overdue"
    }

    /// How far a sent message got.
    public enum Delivery: String, Sendable, Codable {
        /// Signed and stored; the hub has not confirmed it yet (it will be submitted again).
        case pending
        /// The hub logged and queued it.
        case queued
        /// The recipient's receipt verified here.
        case delivered
        /// The hub gave up (dead letter) or refused it.
        case failed
    }

    public var sequence: Int
    public var caseID: ReadmissionCaseID
    /// The requesting state's case reference (the envelopes' caseReference).
    public var reference: String
    /// The other side: the recipient of a sent message, the sender of a received one.
    public var partner: ParticipantID
    public var direction: Direction
    public var kind: String
    public var messageID: Message.ID?
    public var body: MessageBody?
    /// A summary for local events (e.g. what the registry answered).
    public var detail: String?
    public var actor: String
    public var at: Date
    /// For messages: the signed bytes as sent or received (sent: needed to resubmit and to check the receipt).
    public var payload: [UInt8]?
    /// SHA-256 (hex) of the payload.
    public var digest: String?
    /// The recipient's signed receipt (for received messages: the one this side issued).
    public var receipt: [UInt8]?
    /// The time the receipt states.
    public var receivedAt: Date?
    public var delivery: Delivery?
    /// Makes a local event idempotent (e.g. `reminder:2026-03-10`).
    public var dedupKey: String?

    public init(
        sequence: Int = 0, caseID: ReadmissionCaseID, reference: String, partner: ParticipantID, direction: Direction, kind: String, messageID: Message.ID? = nil, body: MessageBody? = nil,
        detail: String? = nil, actor: String, at: Date, payload: [UInt8]? = nil, digest: String? = nil, receipt: [UInt8]? = nil,
        receivedAt: Date? = nil, delivery: Delivery? = nil, dedupKey: String? = nil
    ) {
        self.sequence = sequence
        self.caseID = caseID
        self.reference = reference
        self.partner = partner
        self.direction = direction
        self.kind = kind
        self.messageID = messageID
        self.body = body
        self.detail = detail
        self.actor = actor
        self.at = at
        self.payload = payload
        self.digest = digest
        self.receipt = receipt
        self.receivedAt = receivedAt
        self.delivery = delivery
        self.dedupKey = dedupKey
    }

    public var messageType: MessageType? { direction == .local ? nil : MessageType(rawValue: kind) }
    public var localKind: LocalKind? { direction == .local ? LocalKind(rawValue: kind) : nil }
    /// When the message reached its recipient, as its receipt proves (received messages: when this side got it).
    public var effectiveAt: Date? { direction == .received ? (receivedAt ?? at) : receivedAt }
}

/// A readmission case is one conversation of the exchange protocol.
public typealias ReadmissionCaseID = Message.ConversationID
