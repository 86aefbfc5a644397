public import Exchange
public import Foundation

/// A message the hub has verified and may carry: signature, sender, agreement and sharing
/// rules all passed.
public struct AdmittedMessage: Sendable {
    public let inbound: InboundMessage
    public let agreement: Agreement?

    public var envelope: Envelope { inbound.message.envelope }
}

/// The key under which a message is unique in every store: (sender, message ID).
public struct MessageKey: Sendable, Hashable, Codable, CustomStringConvertible {
    public let sender: ParticipantID
    public let messageID: Message.ID

    public init(sender: ParticipantID, messageID: Message.ID) {
        self.sender = sender
        self.messageID = messageID
    }

    public var description: String { "\(sender)/\(messageID)" }
}

/// Delivery state of a message in the hub's outbox (and as the sender sees it).
public enum DeliveryState: String, Sendable, Codable {
    /// Accepted and logged by the hub, not yet acknowledged by the recipient.
    case queued
    /// The recipient's signed receipt was verified.
    case delivered
    /// Given up after the retry limit: a dead letter, shown to operators and alerted.
    case failed
}

/// One message in the hub's outbox.
public struct OutboxItem: Sendable {
    public let key: MessageKey
    public let recipient: ParticipantID
    public let messageType: MessageType
    public let digest: String
    public let payload: [UInt8]
    public let acceptedAt: Date
    public let logIndex: Int
    public var state: DeliveryState
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastError: String?
    public var receipt: [UInt8]?

    public init(
        key: MessageKey, recipient: ParticipantID, messageType: MessageType, digest: String, payload: [UInt8], acceptedAt: Date, logIndex: Int,
        state: DeliveryState, attempts: Int, nextAttemptAt: Date, lastError: String?, receipt: [UInt8]?
    ) {
        self.key = key
        self.recipient = recipient
        self.messageType = messageType
        self.digest = digest
        self.payload = payload
        self.acceptedAt = acceptedAt
        self.logIndex = logIndex
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.receipt = receipt
    }
}

/// The hub's durable store: message log and outbox written in one transaction.
public protocol HubMessageStore: Sendable {
    /// Logs and queues `message`. A message already accepted (same sender and ID) is not logged
    /// again: the existing item is returned, so a retried submission is harmless.
    func accept(_ message: AdmittedMessage, at time: Date) async throws -> OutboxItem
    /// Queued items for `recipients` whose next attempt is due, oldest first.
    func due(recipients: [ParticipantID], limit: Int, now: Date) async throws -> [OutboxItem]
    /// Dead-letters what `recipients` (pull nodes) have not fetched since before `cutoff`;
    /// returns the items given up.
    func expire(recipients: [ParticipantID], acceptedBefore cutoff: Date, reason: String, at time: Date) async throws -> [OutboxItem]
    func item(_ key: MessageKey) async throws -> OutboxItem?
    /// Records the recipient's verified receipt. Idempotent.
    func delivered(_ key: MessageKey, receipt: [UInt8], at time: Date) async throws
    /// Records a failed attempt; `retryAt` nil makes it a dead letter.
    func attemptFailed(_ key: MessageKey, error: String, retryAt: Date?, at time: Date) async throws
    /// Counts by state, for metrics and the console.
    func counts() async throws -> [DeliveryState: Int]
}

/// A node's durable inbox: the message's effect and its receipt in one transaction, unique by
/// (sender, message ID) — a duplicate has no second effect and gets the stored receipt.
/// The inbox knows no procedure: it keeps each message until a consumer (the readmission desk)
/// has taken it into its case, then forgets the content and keeps digest and receipt.
public protocol NodeInboxStore: Sendable {
    func receive(_ inbound: InboundMessage, at time: Date, receipt: @Sendable (InboundMessage) async throws -> [UInt8]) async throws -> (receipt: [UInt8], isNew: Bool)
    func count() async throws -> Int
    /// Received messages not taken yet, in the order they arrived.
    func untaken(limit: Int) async throws -> [StoredInboundMessage]
    /// `problem`: why the consumer could not take it (the content is kept for an operator).
    func markTaken(_ key: MessageKey, problem: String?, at time: Date) async throws
}

/// A message as the inbox stored it: the signed bytes and the receipt this node issued.
public struct StoredInboundMessage: Sendable {
    public let key: MessageKey
    public let bytes: [UInt8]
    public let digest: String
    public let receipt: [UInt8]
    public let receivedAt: Date

    public init(key: MessageKey, bytes: [UInt8], digest: String, receipt: [UInt8], receivedAt: Date) {
        self.key = key
        self.bytes = bytes
        self.digest = digest
        self.receipt = receipt
        self.receivedAt = receivedAt
    }
}

/// Exponential backoff with full jitter, and the attempt limit after which a message is a dead
/// letter.
public struct RetryPolicy: Sendable {
    public var initialDelay: TimeInterval
    public var maximumDelay: TimeInterval
    public var maximumAttempts: Int

    public init(initialDelay: TimeInterval = 1, maximumDelay: TimeInterval = 300, maximumAttempts: Int = 12) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.maximumAttempts = maximumAttempts
    }

    /// When to try again after `attempts` failures, or nil when the limit is reached.
    public func nextAttempt(after attempts: Int, now: Date, random: Double = .random(in: 0...1)) -> Date? {
        guard attempts < maximumAttempts else { return nil }
        let ceiling = min(maximumDelay, initialDelay * pow(2, Double(max(0, attempts - 1))))
        return now.addingTimeInterval(max(0.05, ceiling * random))
    }
}

/// The hub's admission rules for a submitted message.
public enum HubIntake {
    /// Verifies `bytes` from the TLS peer `peer`: a valid signature by a signer certificate the
    /// configuration lists, signer = envelope sender = TLS peer, an agreement for (sender,
    /// recipient, type), and the sharing rules. Each refusal has its own code.
    public static func admit(
        _ bytes: [UInt8], peer: FederationIdentity, configuration: FederationConfiguration, signers: any SignerTrustStore, now: Date
    ) throws -> AdmittedMessage {
        let inbound = try MessageCodec.open(bytes, trust: signers, now: now)
        let envelope = inbound.message.envelope
        guard envelope.sender == peer.participant else {
            throw FederationError.senderMismatch("the message names \(envelope.sender) as sender, but the TLS client is \(peer.participant)")
        }
        guard inbound.signer.participant == peer.participant else {
            throw FederationError.senderMismatch("the message is signed by \(inbound.signer.participant), but the TLS client is \(peer.participant)")
        }
        guard envelope.recipient != configuration.hub else {
            throw FederationError.noAgreement("messages are addressed to participants, not to the hub")
        }
        let agreement = try configuration.admissibleAgreement(for: inbound.message)
        try SharingRules.check(inbound.message, agreement: agreement)
        return AdmittedMessage(inbound: inbound, agreement: agreement)
    }
}
