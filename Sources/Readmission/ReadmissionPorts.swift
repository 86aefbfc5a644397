public import Exchange
public import Foundation

/// Where a node keeps its readmission events. Received messages are written by the inbox in the
/// same transaction as their receipt; everything else through this port.
public protocol ReadmissionStore: Sendable {
    /// Appends `event` (its sequence is assigned). A local event whose `dedupKey` the case
    /// already has is not added again: returns false.
    @discardableResult
    func append(_ event: ReadmissionEvent) async throws -> Bool
    /// Records how far a sent message got; `receipt` once the recipient's receipt verified.
    func updateDelivery(messageID: Message.ID, delivery: ReadmissionEvent.Delivery, receipt: [UInt8]?, receivedAt: Date?, detail: String?) async throws
    /// The events of one case, in order.
    func events(of caseID: ReadmissionCaseID) async throws -> [ReadmissionEvent]
    /// The events of every case, in order.
    func allEvents() async throws -> [ReadmissionEvent]
    /// Sent messages the hub has not confirmed, or whose receipt has not come back.
    func undelivered() async throws -> [ReadmissionEvent]
    /// Ties a conversation to its case in the case file (before its first event is stored: the
    /// events are sealed with the linked person's key).
    func link(_ conversation: ReadmissionCaseID, to link: CaseFileLink) async throws
    func link(of conversation: ReadmissionCaseID) async throws -> CaseFileLink?
    func links() async throws -> [ReadmissionCaseID: CaseFileLink]
}

/// How a node hands its signed messages to the hub and follows them.
public protocol ReadmissionTransport: Sendable {
    /// Submits a signed message. Throws when the hub cannot be reached (the message is then
    /// submitted again later); returns `.refused` when the hub will never carry it.
    func submit(_ signed: [UInt8]) async throws -> SubmissionResult
    /// Where a sent message is; with the recipient's receipt (verified against `signed`) once delivered.
    func track(_ signed: [UInt8]) async throws -> TrackingResult
    /// Whether messages to `participant` can be carried at all (it is an active participant).
    func reaches(_ participant: ParticipantID) async -> Bool
    /// Case messages received (signature verified, receipt stored) and not yet taken into a case,
    /// oldest first. The inbox keeps each until `taken` is called, so a crash loses none.
    func arrivals(limit: Int) async throws -> [Arrival]
    /// The arrival is in its case (or was refused there, with `problem`): the inbox may forget its content.
    func taken(_ arrival: Arrival, problem: String?) async throws
    /// Returns when a message may have arrived, or after `timeout`.
    func waitForArrivals(timeout: Duration) async
}

/// A message received for this node, as the inbox verified and receipted it.
public struct Arrival: Sendable {
    public let message: CaseMessage
    public let bytes: [UInt8]
    public let digest: String
    public let receipt: [UInt8]
    public let receivedAt: Date

    public init(message: CaseMessage, bytes: [UInt8], digest: String, receipt: [UInt8], receivedAt: Date) {
        self.message = message
        self.bytes = bytes
        self.digest = digest
        self.receipt = receipt
        self.receivedAt = receivedAt
    }

    /// The event it makes in its case.
    public var event: ReadmissionEvent {
        let envelope = message.envelope
        return ReadmissionEvent(
            caseID: envelope.conversationID, reference: envelope.caseReference, partner: envelope.sender, direction: .received, kind: envelope.messageType.rawValue,
            messageID: envelope.messageID, body: message.body, actor: envelope.sender.rawValue, at: receivedAt, payload: bytes, digest: digest,
            receipt: receipt, receivedAt: receivedAt, dedupKey: "message:\(envelope.sender):\(envelope.messageID)"
        )
    }
}

public enum SubmissionResult: Sendable, Equatable {
    case accepted
    case refused(code: String, message: String)
}

public struct TrackingResult: Sendable {
    public let delivery: ReadmissionEvent.Delivery
    public let receipt: [UInt8]?
    public let receivedAt: Date?
    public let detail: String?

    public init(delivery: ReadmissionEvent.Delivery, receipt: [UInt8]? = nil, receivedAt: Date? = nil, detail: String? = nil) {
        self.delivery = delivery
        self.receipt = receipt
        self.receivedAt = receivedAt
        self.detail = detail
    }
}

/// A national registry that can confirm a person's identity (national ID, civil registry),
/// reached through the node's adapters. Never throws: a check that could not run comes back
/// `notVerified` with its reason.
public protocol IdentityRegistry: Sendable {
    var name: String { get }
    func verify(_ person: PersonRecord, by actor: String, caseRef: String?) async -> IdentityMatch
}

public struct IdentityMatch: Sendable, Equatable, Codable {
    public enum Outcome: String, Sendable, Codable {
        case confirmed
        case notFound = "not_found"
        /// The registry knows the person with different particulars.
        case conflicting
        /// The registry could not be asked or refused to answer: never a pass.
        case notVerified = "not_verified"
    }

    public let outcome: Outcome
    public let reference: String?
    public let detail: String
    /// The registry's name (filled by the desk when it records the check).
    public var source: String?
    public var at: Date?
    /// Why a check did not run (a stable code such as `adapter.timeout`).
    public var problem: String?

    public init(outcome: Outcome, reference: String? = nil, detail: String, source: String? = nil, at: Date? = nil, problem: String? = nil) {
        self.outcome = outcome
        self.reference = reference
        self.detail = detail
        self.source = source
        self.at = at
        self.problem = problem
    }

    /// The line recorded in the case history: JSON, so that the case page can show it as a panel.
    public var recorded: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return (try? encoder.encode(self)).flatMap { String(data: $0, encoding: .utf8) } ?? detail
    }

    /// A recorded line read back; older plain-text lines become an entry with that text.
    public static func recorded(_ text: String) -> IdentityMatch {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        if text.hasPrefix("{"), let match = try? decoder.decode(IdentityMatch.self, from: Data(text.utf8)) { return match }
        return IdentityMatch(outcome: .notVerified, detail: text)
    }
}

/// Where a readmission conversation lives in the national case file: the case of type
/// readmission it drives and the person (a Casework person) whose data it carries.
public struct CaseFileLink: Sendable, Equatable, Codable {
    public let caseID: String
    public let caseNumber: String
    public let personID: String

    public init(caseID: String, caseNumber: String, personID: String) {
        self.caseID = caseID
        self.caseNumber = caseNumber
        self.personID = personID
    }
}

/// What the desk needs from the national case file. Every readmission conversation is a case of
/// type readmission on the readmission workflow; its messages are the workflow's events; reads of
/// its personal data are audited there.
public protocol ReadmissionCaseFile: Sendable {
    /// Opens the case for a new conversation. `person`: the person already in the case file (the
    /// requesting side composes from their record); nil: the person is registered from `record`
    /// (an application received from a partner).
    func open(_ conversation: ReadmissionCaseID, record: PersonRecord, person: String?, title: String, by actor: String) async throws -> CaseFileLink
    /// A workflow event of the case: `exchange.<sent|received>.<message_type>`, `exchange.accepted`, …
    func record(_ event: String, on link: CaseFileLink, fields: [String: String], by actor: String) async throws
    /// `actor` read the personal data of these cases (one entry per case, or one search entry for a list).
    func recordRead(_ links: [CaseFileLink], list: Bool, by actor: String, purpose: String?) async throws
}
