@testable import Exchange
import Foundation
import Testing

/// The hand-written base64url codec agrees with Foundation's base64 on every length and refuses
/// padding, foreign characters, impossible lengths and non-canonical final bits.
@Suite struct Base64URLTests {
    @Test func agreesWithFoundation() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<200 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let expected = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(JWS.base64URL(bytes) == expected)
            #expect(JWS.decodeBase64URL(Substring(expected)) == bytes)
        }
    }

    @Test func refusesWhatIsNotCanonicalBase64URL() {
        for bad in ["A", "AB==", "AB=", "AB+/", "A B", "ABC.", "AR", "AAB", "AAAAB", "ABCDE"] {
            #expect(JWS.decodeBase64URL(Substring(bad)) == nil, "\(bad)")
        }
        #expect(JWS.decodeBase64URL("AQ") == [1])
        #expect(JWS.decodeBase64URL("") == [])
    }
}
