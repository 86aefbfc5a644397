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

/// A national registry that can confirm a person's identity (national ID, civil registry). The
/// adapter framework will provide these; simulated ones serve the demo and the tests.
public protocol IdentityRegistry: Sendable {
    var name: String { get }
    func verify(_ person: PersonRecord) async throws -> IdentityMatch
}

public struct IdentityMatch: Sendable, Equatable {
    public enum Outcome: String, Sendable {
        case confirmed
        case notFound = "not_found"
        /// The registry knows the person with different particulars.
        case conflicting
    }

    public let outcome: Outcome
    public let reference: String?
    public let detail: String

    public init(outcome: Outcome, reference: String? = nil, detail: String) {
        self.outcome = outcome
        self.reference = reference
        self.detail = detail
    }
}
