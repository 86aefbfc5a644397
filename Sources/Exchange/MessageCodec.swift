public import AccordCore
import Crypto
public import Foundation

/// Encodes, signs, verifies and decodes case messages in both encodings.
///
/// - XML: `<acc:Message xmlns:acc="urn:accord:exchange:1" Id="m-<messageID>">` with children
///   `acc:Envelope`, `acc:Body` (holding one element named after the message type) and the
///   enveloped `ds:Signature` (see `XMLSignature`).
/// - JSON: the canonical JSON object `{"body": {...}, "envelope": {...}}` (sorted members, no
///   whitespace) as the payload of a JWS compact serialization (see `JWS`).
public enum MessageCodec {
    public static let namespace = "urn:accord:exchange:1"
    public static let jwsContentType = "accord-message+json"

    public enum Encoding: String, Sendable, CaseIterable, Codable {
        case xml, json
    }

    // MARK: Encoding

    /// The message as a data-model tree: `{"envelope": …, "body": …}`.
    static func tree(_ message: CaseMessage) throws -> MessageTree {
        let envelope = try MessageTree.from(json: JSONSerialization.jsonObject(with: encoder.encode(message.envelope)), path: "envelope")
        let body = try MessageTree.from(json: JSONSerialization.jsonObject(with: encoder.encode(AnyEncodable(message.body.content))), path: "body")
        return .object([("body", body), ("envelope", envelope)])
    }

    /// Canonical JSON: sorted members, no insignificant whitespace.
    public static func json(_ message: CaseMessage) throws -> [UInt8] {
        let tree = try tree(message)
        return Array(try JSONSerialization.data(withJSONObject: tree.json, options: [.sortedKeys, .withoutEscapingSlashes]))
    }

    /// The unsigned XML document.
    public static func xml(_ message: CaseMessage) throws -> String {
        guard case .object(let members) = try tree(message), case .object(let envelope) = members[1].1 else { throw ExchangeError.messageInvalid("", "bad tree") }
        var output = "<acc:Message xmlns:acc=\"\(namespace)\" Id=\"\(message.xmlID)\">"
        MessageTree.object(envelope).xml(name: "Envelope", into: &output)
        output += "<acc:Body>"
        members[0].1.xml(name: message.body.type.bodyName, into: &output)
        output += "</acc:Body></acc:Message>"
        return output
    }

    /// The signed wire form: an XML-DSig document or a JWS compact serialization.
    public static func sign(_ message: CaseMessage, encoding: Encoding, with signer: any MessageSigner) throws -> [UInt8] {
        guard message.envelope.sender == signer.participant else {
            throw ExchangeError.signerMismatch("the envelope names \(message.envelope.sender) as sender but the key belongs to \(signer.participant)")
        }
        let problems = message.envelope.problems()
        if let first = problems.first { throw ExchangeError(code: first.code, reason: first.message) }
        guard case .object(let members) = try tree(message) else { throw ExchangeError.messageInvalid("", "bad tree") }
        try MessageSchema.validate(envelope: members[1].1, body: members[0].1, type: message.body.type)
        switch encoding {
        case .xml: return Array(try XMLSignature.sign(xml(message), with: signer).utf8)
        case .json: return Array(try JWS.sign(payload: json(message), with: signer, contentType: jwsContentType).utf8)
        }
    }

    // MARK: Decoding

    /// Verifies and decodes inbound bytes. The signer must be trusted and must be the envelope's
    /// sender; an expired message is refused when `now` is given.
    public static func open(_ bytes: [UInt8], trust: any SignerTrustStore, now: Date?, xmlLimits: XMLLimits = XMLLimits(), jsonLimits: JSONLimits = JSONLimits()) throws(ExchangeError) -> InboundMessage {
        let encoding: Encoding = bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }) == UInt8(ascii: "<") ? .xml : .json
        let message: CaseMessage
        let signer: TrustedSigner
        switch encoding {
        case .xml:
            let verified = try XMLSignature.verify(bytes, trust: trust, limits: xmlLimits)
            message = try decode(xml: verified.element)
            signer = verified.signer
        case .json:
            guard let text = String(validating: bytes, as: UTF8.self) else { throw .jwsMalformed("not ASCII") }
            let verified = try JWS.verify(text.trimmingCharacters(in: .whitespacesAndNewlines), trust: trust, limits: jsonLimits)
            guard verified.contentType == jwsContentType else { throw .jwsMalformed("cty must be \(jwsContentType)") }
            message = try decode(json: verified.payload)
            signer = verified.signer
        }
        guard message.envelope.sender == signer.participant else {
            throw .signerMismatch("the envelope names \(message.envelope.sender) as sender but the message was signed by \(signer.participant)")
        }
        if let first = message.envelope.problems(now: now).first { throw ExchangeError(code: first.code, reason: first.message) }
        return InboundMessage(message: message, encoding: encoding, signer: signer, bytes: bytes)
    }

    /// Decodes an unsigned message (as printed by `accord message example`) without any
    /// signature check — for tools that are about to sign it, never for inbound traffic.
    public static func decodeUnsigned(_ bytes: [UInt8]) throws(ExchangeError) -> CaseMessage {
        if bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "<") {
            let document = try HardenedXML.parse(bytes)
            guard let root = document.root else { throw .xmlMalformed("no root element") }
            return try decode(xml: XMLElementView(document: document, node: root, hidden: nil))
        }
        try StrictJSON.validate(bytes)
        return try decode(json: bytes)
    }

    static func decode(xml root: XMLElementView) throws(ExchangeError) -> CaseMessage {
        guard root.name == "Message", root.namespaceURI == namespace else { throw .messageInvalid("", "the root element must be acc:Message") }
        let children = root.children
        guard children.map(\.name) == ["Envelope", "Body"], children.allSatisfy({ $0.namespaceURI == namespace }) else {
            throw .messageInvalid("", "acc:Message must contain acc:Envelope and acc:Body")
        }
        guard root.attributeNames == ["Id"], children[1].attributeNames.isEmpty else {
            throw .messageInvalid("", "acc:Message carries only its Id attribute, and acc:Body none")
        }
        let envelopeTree = try MessageTree.from(xml: children[0], path: "envelope")
        guard children[1].children.count == 1, let bodyElement = children[1].children.first, bodyElement.namespaceURI == namespace else {
            throw .messageInvalid("body", "acc:Body must contain exactly one element")
        }
        let bodyTree = try MessageTree.from(xml: bodyElement, path: "body")
        let message = try decode(envelope: envelopeTree, bodyName: bodyElement.name, body: bodyTree)
        guard root.attribute("Id") == message.xmlID else { throw .messageInvalid("", "the Id must be m-<messageID>") }
        try requireNoUnknownMembers(message, received: .object([("body", bodyTree), ("envelope", envelopeTree)]))
        return message
    }

    static func decode(json payload: [UInt8]) throws(ExchangeError) -> CaseMessage {
        guard let object = try? JSONSerialization.jsonObject(with: Data(payload)) else { throw .jsonMalformed("undecodable payload") }
        let received = try MessageTree.from(json: object)
        guard case .object(let members) = received, members.map(\.0) == ["body", "envelope"] else {
            throw .messageInvalid("", "the payload must be an object with exactly body and envelope")
        }
        let message = try decode(envelope: members[1].1, bodyName: nil, body: members[0].1)
        try requireNoUnknownMembers(message, received: received)
        return message
    }

    /// Envelope problems have their own codes: a version this node does not speak is
    /// `exchange.protocol_version_unsupported`, any other envelope format error
    /// `exchange.envelope_invalid` (with the member's path), before the body is looked at.
    private static func decode(envelope envelopeTree: MessageTree, bodyName: String?, body: MessageTree) throws(ExchangeError) -> CaseMessage {
        if case .object(let members) = envelopeTree, let version = members.first(where: { $0.0 == "protocolVersion" })?.1,
           case .string(let text) = version, text != Envelope.protocolVersion {
            throw ExchangeError(code: "exchange.protocol_version_unsupported", reason: "protocol version \(text.prefix(10)) is not supported; this node speaks \(Envelope.protocolVersion)",
                                diagnostics: [Diagnostic(code: "exchange.protocol_version_unsupported", message: "unsupported version", path: "envelope.protocolVersion")])
        }
        let envelopeProblems = MessageSchema.envelope.problems(envelopeTree, path: "envelope")
        if let first = envelopeProblems.first {
            throw ExchangeError(code: "exchange.envelope_invalid", reason: first.message, diagnostics: envelopeProblems)
        }
        let envelope: Envelope
        do {
            envelope = try decoder.decode(Envelope.self, from: JSONSerialization.data(withJSONObject: envelopeTree.json))
        } catch let error as ExchangeError {
            throw error
        } catch {
            throw .envelopeInvalid("envelope: \(describe(error))")
        }
        if let bodyName, bodyName != envelope.messageType.bodyName {
            throw .messageInvalid("body", "the body element must be \(envelope.messageType.bodyName) for \(envelope.messageType.rawValue)")
        }
        try MessageSchema.validate(envelope: envelopeTree, body: body, type: envelope.messageType)
        let decoded: MessageBody
        do {
            decoded = try MessageBody.decode(envelope.messageType, from: JSONSerialization.data(withJSONObject: body.json), decoder: decoder)
        } catch {
            throw .messageInvalid("body", describe(error))
        }
        return CaseMessage(envelope: envelope, body: decoded)
    }

    /// What was received must be exactly what the typed message encodes: an unknown or
    /// misspelt member is an error, never silently dropped.
    private static func requireNoUnknownMembers(_ message: CaseMessage, received: MessageTree) throws(ExchangeError) {
        let expected: MessageTree
        do {
            expected = try tree(message)
        } catch {
            throw .messageInvalid("", "cannot re-encode")
        }
        guard expected == received.sorted else { throw .messageInvalid("", "the message has members this protocol version does not define") }
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context): "\((context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: ".")) is required"
        case DecodingError.typeMismatch(_, let context), DecodingError.dataCorrupted(let context), DecodingError.valueNotFound(_, let context):
            "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        case let error as any AccordError: error.reason
        default: "undecodable"
        }
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text.prefix(40))' is not a UTC time like 2026-03-02T09:30:00.000Z")
            }
            return date
        }
        return decoder
    }()
}

/// Times on the wire: ISO 8601 in UTC with milliseconds, `2026-03-02T09:30:00.000Z`.
public enum Timestamp {
    /// Written from whole milliseconds, so that `format(parse(format(t)))` is always
    /// `format(t)` (a binary fraction like .429 must not come back as .428).
    public static func format(_ date: Date) -> String {
        let milliseconds = Int64((date.truncatedToMilliseconds.timeIntervalSince1970 * 1000).rounded())
        let (seconds, fraction) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        let whole = seconds - (fraction < 0 ? 1 : 0)
        let millis = fraction < 0 ? fraction + 1000 : fraction
        let text = Date(timeIntervalSince1970: Double(whole)).formatted(Date.ISO8601FormatStyle())
        return text.dropLast() + "." + String(format: "%03d", Int(millis)) + "Z"
    }

    /// For JSON answers and documents outside messages (acceptances, the signed configuration):
    /// the same three fraction digits.
    public static var encodingStrategy: JSONEncoder.DateEncodingStrategy {
        .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(format(date))
        }
    }

    public static var decodingStrategy: JSONDecoder.DateDecodingStrategy {
        .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text.prefix(40))' is not a UTC time with milliseconds (2026-03-02T09:30:00.000Z)")
            }
            return date
        }
    }

    public static func parse(_ text: String) -> Date? {
        guard text.utf8.count == 24, text.hasSuffix("Z"),
              let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text),
              let millis = Int(text.dropLast().suffix(3)) else { return nil }
        // Rebuild from whole seconds plus the written milliseconds: exact, whatever the parser rounded.
        let seconds = (date.timeIntervalSince1970 - Double(millis) / 1000).rounded()
        return Date(timeIntervalSince1970: seconds + Double(millis) / 1000)
    }
}

/// A message that verified and decoded, with the exact bytes it arrived as.
public struct InboundMessage: Sendable {
    public let message: CaseMessage
    public let encoding: MessageCodec.Encoding
    public let signer: TrustedSigner
    public let bytes: [UInt8]

    /// SHA-256 (hex) of the exact bytes received: what a receipt names.
    public var digest: String { sha256Hex(bytes) }
}

struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
