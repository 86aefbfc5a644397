import AccordCore
import AccordTesting
import Exchange
import Foundation
import Testing

@Suite struct MessageCodecTests {
    static let pki = try! TestPKI()
    static let belgium = try! pki.identity("BEL-DOFI")
    static let morocco = try! pki.identity("MAR-INTERIOR")
    static let trust = InMemoryTrustStore([belgium.trusted, morocco.trusted])

    static func signer(for message: CaseMessage) -> TestIdentity {
        message.envelope.sender == belgium.participant ? belgium : morocco
    }

    @Test(arguments: MessageType.allCases)
    func everyMessageTypeRoundTripsInBothEncodings(_ type: MessageType) throws {
        let message = MessageExamples.message(type)
        for encoding in MessageCodec.Encoding.allCases {
            let bytes = try MessageCodec.sign(message, encoding: encoding, with: Self.signer(for: message).signer)
            let inbound = try MessageCodec.open(bytes, trust: Self.trust, now: MessageExamples.created)
            #expect(inbound.message == message)
            #expect(inbound.encoding == encoding)
            #expect(inbound.signer.participant == message.envelope.sender)
        }
    }

    @Test func theSignerMustBeTheSender() throws {
        var message = MessageExamples.message(.decision)
        #expect(throws: ExchangeError(code: "exchange.signer_mismatch", reason: "")) { try MessageCodec.sign(message, encoding: .xml, with: Self.belgium.signer) }
        // A forged envelope signed by another trusted participant is refused on opening.
        message.envelope.sender = Self.belgium.participant
        message.envelope.recipient = Self.morocco.participant
        let forged = try MessageCodec.sign(message, encoding: .json, with: Self.belgium.signer)
        let text = String(decoding: forged, as: UTF8.self)
        #expect(throws: Never.self) { try MessageCodec.open(Array(text.utf8), trust: Self.trust, now: nil) }
        let xml = try XMLSignature.sign(try MessageCodec.xml(MessageExamples.message(.decision)), with: Self.belgium.signer)
        #expect(throws: ExchangeError(code: "exchange.signer_mismatch", reason: "")) { try MessageCodec.open(Array(xml.utf8), trust: Self.trust, now: nil) }
    }

    @Test func expiredAndMalformedEnvelopesAreRefused() throws {
        let message = MessageExamples.message(.readmissionApplication)
        let bytes = try MessageCodec.sign(message, encoding: .xml, with: Self.belgium.signer)
        #expect(throws: ExchangeError(code: "exchange.message_expired", reason: "")) {
            try MessageCodec.open(bytes, trust: Self.trust, now: MessageExamples.created.addingTimeInterval(31 * 86_400))
        }
        var bad = message
        bad.envelope.caseReference = "RDM 2026 <x>"
        #expect(throws: ExchangeError(code: "exchange.envelope_invalid", reason: "")) { try MessageCodec.sign(bad, encoding: .json, with: Self.belgium.signer) }
    }

    @Test func unknownMembersAreErrorsNotIgnored() throws {
        let message = MessageExamples.message(.withdrawal)
        let json = String(decoding: try MessageCodec.json(message), as: UTF8.self).replacingOccurrences(of: "\"reason\":", with: "\"secret\":\"x\",\"reason\":")
        let token = try JWS.sign(payload: Array(json.utf8), with: Self.belgium.signer, contentType: MessageCodec.jwsContentType)
        #expect(throws: ExchangeError(code: "exchange.message_invalid", reason: "")) { try MessageCodec.open(Array(token.utf8), trust: Self.trust, now: nil) }
        let xml = try MessageCodec.xml(message).replacingOccurrences(of: "<acc:reason>", with: "<acc:secret>x</acc:secret><acc:reason>")
        let signed = try XMLSignature.sign(xml, with: Self.belgium.signer)
        #expect(throws: ExchangeError(code: "exchange.message_invalid", reason: "")) { try MessageCodec.open(Array(signed.utf8), trust: Self.trust, now: nil) }
        let wrongBody = try MessageCodec.xml(message).replacingOccurrences(of: "acc:Withdrawal>", with: "acc:Decision>")
        #expect(throws: ExchangeError(code: "exchange.message_invalid", reason: "")) {
            try MessageCodec.open(Array(try XMLSignature.sign(wrongBody, with: Self.belgium.signer).utf8), trust: Self.trust, now: nil)
        }
    }

    /// A version this node does not speak and envelope format errors have their own codes, in both encodings.
    @Test func envelopeProblemsHaveTheirOwnCodes() throws {
        let message = MessageExamples.message(.withdrawal)
        let json = String(decoding: try MessageCodec.json(message), as: UTF8.self)
        let xml = try MessageCodec.xml(message)
        func open(json variant: String) throws {
            let token = try JWS.sign(payload: Array(variant.utf8), with: Self.belgium.signer, contentType: MessageCodec.jwsContentType)
            _ = try MessageCodec.open(Array(token.utf8), trust: Self.trust, now: nil)
        }
        func open(xml variant: String) throws { _ = try MessageCodec.open(Array(try XMLSignature.sign(variant, with: Self.belgium.signer).utf8), trust: Self.trust, now: nil) }
        let version = ExchangeError(code: "exchange.protocol_version_unsupported", reason: "")
        #expect(json.contains("\"protocolVersion\":\"1.0\"") && xml.contains("<acc:protocolVersion>1.0</acc:protocolVersion>"))
        #expect(throws: version) { try open(json: json.replacingOccurrences(of: "\"protocolVersion\":\"1.0\"", with: "\"protocolVersion\":\"2.0\"")) }
        #expect(throws: version) { try open(xml: xml.replacingOccurrences(of: ">1.0</acc:protocolVersion>", with: ">2.0</acc:protocolVersion>")) }
        let created = Timestamp.format(message.envelope.createdAt)
        let envelope = ExchangeError(code: "exchange.envelope_invalid", reason: "")
        #expect(throws: envelope) { try open(json: json.replacingOccurrences(of: created, with: "yesterday")) }
        #expect(throws: envelope) { try open(xml: xml.replacingOccurrences(of: created, with: "yesterday")) }
        #expect(throws: envelope) { try open(json: json.replacingOccurrences(of: "\"sender\":\"", with: "\"sender\":\"bad id ")) }
    }

    /// Array items must be acc:item in the Accord namespace, and no data element (nor acc:Body,
    /// nor acc:Message beyond its Id) carries an attribute a JSON reader would never see.
    @Test func foreignItemsAndAttributesOnDataElementsAreRefused() throws {
        let message = MessageExamples.message(.readmissionApplication)
        let xml = try MessageCodec.xml(message)
        #expect(xml.contains("<acc:item>"))
        func refused(_ variant: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            #expect(variant != xml, sourceLocation: sourceLocation)
            let signed = try XMLSignature.sign(variant, with: Self.belgium.signer)
            #expect(throws: ExchangeError(code: "exchange.message_invalid", reason: ""), sourceLocation: sourceLocation) {
                try MessageCodec.open(Array(signed.utf8), trust: Self.trust, now: nil)
            }
        }
        let firstItem = try #require(xml.range(of: "<acc:item>"))
        let closing = try #require(xml.range(of: "</acc:item>", range: firstItem.upperBound..<xml.endIndex))
        try refused(xml.replacingCharacters(in: firstItem.lowerBound..<closing.upperBound,
                                            with: "<x:item xmlns:x=\"urn:other\">" + xml[firstItem.upperBound..<closing.lowerBound] + "</x:item>"))
        try refused(xml.replacingOccurrences(of: "<acc:family>", with: "<acc:family hidden=\"true\">"))
        try refused(xml.replacingOccurrences(of: "<acc:agreement>", with: "<acc:agreement ref=\"EU-GEO-2026\">"))
        try refused(xml.replacingOccurrences(of: "<acc:Body>", with: "<acc:Body note=\"x\">"))
        try refused(xml.replacingOccurrences(of: "<acc:Message ", with: "<acc:Message extra=\"1\" "))
        // The unmodified document still opens.
        let signed = try XMLSignature.sign(xml, with: Self.belgium.signer)
        #expect(try MessageCodec.open(Array(signed.utf8), trust: Self.trust, now: nil).message == message)
    }

    @Test(arguments: MessageCodec.Encoding.allCases)
    func receiptsNameTheExactBytesAndRepeatForDuplicates(_ encoding: MessageCodec.Encoding) async throws {
        let message = MessageExamples.message(.readmissionApplication)
        let sent = try MessageCodec.sign(message, encoding: encoding, with: Self.belgium.signer)
        let inbound = try MessageCodec.open(sent, trust: Self.trust, now: nil)
        let clock = ManualWallClock(MessageExamples.created.addingTimeInterval(1.25))
        let issuer = ReceiptIssuer(signer: Self.morocco.signer, store: InMemoryReceiptStore(), clock: clock)
        let receipt = try await issuer.receipt(for: inbound)
        clock.advance(by: 60)
        let again = try await issuer.receipt(for: try MessageCodec.open(sent, trust: Self.trust, now: nil))
        #expect(again == receipt)
        let body = try ReceiptIssuer.check(receipt, for: sent, message: message, trust: Self.trust)
        #expect(body.receivedAt == "2026-03-02T09:30:01.250Z")
        #expect(MessageCodec.Encoding.allCases.contains(try MessageCodec.open(receipt, trust: Self.trust, now: nil).encoding))
        var other = sent
        other.append(0x20)
        #expect(throws: ExchangeError(code: "exchange.receipt_mismatch", reason: "")) {
            try ReceiptIssuer.check(receipt, for: other, message: message, trust: Self.trust)
        }
    }
}

@Suite struct MessageSchemaValidationTests {
    @Test func valuesOutsideTheSchemaAreRefusedBothWays() throws {
        let identity = MessageCodecTests.morocco
        var message = MessageExamples.message(.decision)
        guard case .decision(var decision) = message.body else { return }
        decision.outcome = "maybe"
        message.body = .decision(decision)
        #expect(throws: ExchangeError(code: "exchange.message_invalid", reason: "")) { try MessageCodec.sign(message, encoding: .json, with: identity.signer) }
        // A partner that sends it anyway is refused on arrival.
        let json = String(decoding: try MessageCodec.json(MessageExamples.message(.decision)), as: UTF8.self).replacingOccurrences(of: "\"accept\"", with: "\"maybe\"")
        let token = try JWS.sign(payload: Array(json.utf8), with: identity.signer, contentType: MessageCodec.jwsContentType)
        #expect(throws: ExchangeError(code: "exchange.message_invalid", reason: "")) { try MessageCodec.open(Array(token.utf8), trust: MessageCodecTests.trust, now: nil) }
        let xml = try MessageCodec.xml(MessageExamples.message(.decision)).replacingOccurrences(of: ">2026-03-10T14:00:00.000Z<", with: ">10 March<")
        #expect(throws: ExchangeError(code: "exchange.message_invalid", reason: "")) {
            try MessageCodec.open(Array(try XMLSignature.sign(xml, with: identity.signer).utf8), trust: MessageCodecTests.trust, now: nil)
        }
    }
}
