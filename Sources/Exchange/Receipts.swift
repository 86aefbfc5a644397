public import AccordCore
import Crypto
public import Foundation

/// Where issued receipts are kept, keyed by (original sender, message ID), so that a duplicate
/// message gets the identical receipt bytes. The gateway keeps them in its database.
public protocol ReceiptStore: Sendable {
    func receipt(sender: ParticipantID, messageID: Message.ID) async throws -> [UInt8]?
    /// Stores `receipt` unless one is already stored; returns the stored one.
    func store(_ receipt: [UInt8], sender: ParticipantID, messageID: Message.ID) async throws -> [UInt8]
}

public actor InMemoryReceiptStore: ReceiptStore {
    private var receipts: [String: [UInt8]] = [:]

    public init() {}

    public func receipt(sender: ParticipantID, messageID: Message.ID) -> [UInt8]? {
        receipts["\(sender)/\(messageID)"]
    }

    public func store(_ receipt: [UInt8], sender: ParticipantID, messageID: Message.ID) -> [UInt8] {
        let key = "\(sender)/\(messageID)"
        if let existing = receipts[key] { return existing }
        receipts[key] = receipt
        return receipt
    }
}

/// Issues signed receipts: the recipient's proof that it received a message, naming the message
/// ID, the SHA-256 of the exact bytes received and the time of receipt. Receipts travel in the
/// encoding of the message they acknowledge.
public struct ReceiptIssuer: Sendable {
    public let signer: any MessageSigner
    public let store: any ReceiptStore
    public let clock: any WallClock
    /// How long a receipt stays valid for delivery.
    public var validity: TimeInterval = 30 * 86_400

    public init(signer: any MessageSigner, store: any ReceiptStore, clock: any WallClock = SystemWallClock()) {
        self.signer = signer
        self.store = store
        self.clock = clock
    }

    /// The receipt for `inbound`, saying it was received at `time` (the clock's time when nil);
    /// for a message already acknowledged, the stored receipt.
    public func receipt(for inbound: InboundMessage, at time: Date? = nil) async throws -> [UInt8] {
        let original = inbound.message.envelope
        if let existing = try await store.receipt(sender: original.sender, messageID: original.messageID) { return existing }
        let now = time ?? clock.now
        let receipt = CaseMessage(
            envelope: Envelope(
                conversationID: original.conversationID, caseReference: original.caseReference, sender: signer.participant,
                recipient: original.sender, messageType: .receipt, createdAt: now, expiresAt: now.addingTimeInterval(validity),
                inReplyTo: original.messageID
            ),
            body: .receipt(ReceiptBody(receivedMessageID: original.messageID.rawValue, receivedDigest: inbound.digest, receivedAt: Timestamp.format(now)))
        )
        let bytes = try MessageCodec.sign(receipt, encoding: inbound.encoding, with: signer)
        return try await store.store(bytes, sender: original.sender, messageID: original.messageID)
    }

    /// Checks a receipt the sender got back: it verifies, comes from the recipient, and names
    /// the message and the digest of the bytes that were sent.
    public static func check(_ receipt: [UInt8], for sent: [UInt8], message: CaseMessage, trust: any SignerTrustStore, now: Date? = nil) throws(ExchangeError) -> ReceiptBody {
        let digest = sha256Hex(sent)
        return try check(opened: try MessageCodec.open(receipt, trust: trust, now: now), sentDigest: digest,
                         recipient: message.envelope.recipient, messageID: message.envelope.messageID)
    }

    /// The same check on a receipt already opened (its signature verified), for a message known
    /// by its recipient, ID and digest (the hub's outbox keeps them; no need to re-open it).
    public static func check(opened inbound: InboundMessage, sentDigest digest: String, recipient: ParticipantID, messageID: Message.ID) throws(ExchangeError) -> ReceiptBody {
        guard case .receipt(let body) = inbound.message.body else { throw .messageInvalid("", "not a receipt") }
        guard inbound.message.envelope.sender == recipient else {
            throw .signerMismatch("the receipt comes from \(inbound.message.envelope.sender), not the recipient \(recipient)")
        }
        guard body.receivedMessageID == messageID.rawValue, body.receivedDigest == digest else {
            throw ExchangeError(code: "exchange.receipt_mismatch", reason: "the receipt does not name this message and these bytes")
        }
        return body
    }
}

/// SHA-256 of bytes as lowercase hex: how receipts, logs and records name exact bytes.
public func sha256Hex(_ bytes: some DataProtocol) -> String {
    SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
}
