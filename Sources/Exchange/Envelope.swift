public import AccordCore
public import Foundation

/// The header every message carries, in both encodings.
public struct Envelope: Sendable, Equatable, Codable {
    public static let protocolVersion = "1.0"

    public var protocolVersion: String
    public var messageID: Message.ID
    /// Groups all messages about one case between the same parties.
    public var conversationID: Message.ConversationID
    /// The sender's own case reference (e.g. its case number).
    public var caseReference: String
    public var sender: ParticipantID
    public var recipient: ParticipantID
    public var messageType: MessageType
    public var createdAt: Date
    public var expiresAt: Date
    /// The message this one answers, when it answers one.
    public var inReplyTo: Message.ID?

    public init(
        messageID: Message.ID = .init(), conversationID: Message.ConversationID, caseReference: String, sender: ParticipantID,
        recipient: ParticipantID, messageType: MessageType, createdAt: Date, expiresAt: Date, inReplyTo: Message.ID? = nil
    ) {
        self.protocolVersion = Envelope.protocolVersion
        self.messageID = messageID
        self.conversationID = conversationID
        self.caseReference = caseReference
        self.sender = sender
        self.recipient = recipient
        self.messageType = messageType
        self.createdAt = createdAt.truncatedToMilliseconds
        self.expiresAt = expiresAt.truncatedToMilliseconds
        self.inReplyTo = inReplyTo
    }

    /// Structural rules beyond the types: returns every problem found.
    public func problems(now: Date? = nil) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if protocolVersion != Envelope.protocolVersion {
            problems.append(Diagnostic(code: "exchange.protocol_version_unsupported", message: "protocol version \(protocolVersion.prefix(10)) is not supported", path: "envelope.protocolVersion"))
        }
        if caseReference.isEmpty || caseReference.count > 64 || !caseReference.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "-/._".unicodeScalars.contains($0)) }) {
            problems.append(Diagnostic(code: "exchange.envelope_invalid", message: "caseReference must be 1–64 of A–Z, a–z, 0–9, - / . _", path: "envelope.caseReference"))
        }
        if sender == recipient {
            problems.append(Diagnostic(code: "exchange.envelope_invalid", message: "sender and recipient are the same", path: "envelope.recipient"))
        }
        if expiresAt <= createdAt {
            problems.append(Diagnostic(code: "exchange.envelope_invalid", message: "expiresAt must be after createdAt", path: "envelope.expiresAt"))
        }
        if let now, expiresAt < now {
            problems.append(Diagnostic(code: "exchange.message_expired", message: "the message expired at \(expiresAt)", path: "envelope.expiresAt"))
        }
        return problems
    }
}

/// Namespace for message identifiers.
public enum Message {
    public typealias ID = Identifier<Message>
    public enum Conversation {}
    public typealias ConversationID = Identifier<Conversation>
}
