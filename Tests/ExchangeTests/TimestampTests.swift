import AccordTesting
import Exchange
import Foundation
import Testing

/// Regression: a message signed at a time like …25.4294324 s was refused on receipt, because
/// the wire time went through binary floating point and came back one millisecond earlier
/// (".429" → ".428"), so the strict re-encoding check saw a different message.
@Suite struct TimestampTests {
    @Test func formattingIsStableThroughParsing() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let date = Date(timeIntervalSince1970: Double.random(in: 0...4_102_444_800, using: &generator))
            let text = Timestamp.format(date)
            guard let parsed = Timestamp.parse(text) else { Issue.record("\(text) does not parse"); return }
            #expect(Timestamp.format(parsed) == text)
            #expect(abs(parsed.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.001)
        }
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_795_362_325.4294324)) == "2026-11-22T15:45:25.429Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
    }

    @Test func messagesSignedAtArbitraryTimesOpen() throws {
        let identity = try TestPKI().identity("MAR-INTERIOR")
        for _ in 0..<200 {
            var message = MessageExamples.message(.decision)
            message.envelope.sender = identity.participant
            message.envelope.createdAt = Date(timeIntervalSince1970: Date().timeIntervalSince1970 + Double.random(in: 0..<1))
            message.envelope.expiresAt = message.envelope.createdAt.addingTimeInterval(Double.random(in: 3_600..<86_400))
            for encoding in MessageCodec.Encoding.allCases {
                let signed = try MessageCodec.sign(message, encoding: encoding, with: identity.signer)
                _ = try MessageCodec.open(signed, trust: InMemoryTrustStore([identity.trusted]), now: nil)
            }
        }
    }
}
