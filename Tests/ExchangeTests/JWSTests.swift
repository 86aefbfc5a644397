import AccordTesting
import Crypto
import Exchange
import Foundation
import Testing

@Suite struct JWSTests {
    static let pki = try! TestPKI()
    static let sender = try! pki.identity("BEL-DOFI")
    static let trust = InMemoryTrustStore([sender.trusted])
    static let payload = Array(#"{"messageID":"m-1","body":{"text":"Olena Шевченко"}}"#.utf8)

    static func b64(_ text: String) -> String { b64(Array(text.utf8)) }
    static func b64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// A token with an arbitrary header, signed with `key` (the sender's by default).
    static func token(header: String, payload: [UInt8] = payload, key: P256.Signing.PrivateKey = sender.key) throws -> String {
        let input = b64(header) + "." + b64(payload)
        return input + "." + b64(Array(try key.signature(for: Array(input.utf8)).rawRepresentation))
    }

    func code(_ token: String) -> String? {
        do {
            _ = try JWS.verify(token, trust: Self.trust)
            return nil
        } catch {
            return error.code
        }
    }

    var kid: String { Self.sender.signer.fingerprint.hex }

    @Test func signsAndVerifies() throws {
        let token = try JWS.sign(payload: Self.payload, with: Self.sender.signer)
        let verified = try JWS.verify(token, trust: Self.trust)
        #expect(verified.payload == Self.payload && verified.signer.participant == Self.sender.participant)
    }

    @Test func hostileHeadersAreRefusedWithTheirCodes() throws {
        let hmacKey = SymmetricKey(data: Self.sender.key.publicKey.derRepresentation)
        let hsInput = Self.b64(#"{"alg":"HS256","kid":"\#(kid)"}"#) + "." + Self.b64(Self.payload)
        let hs256 = hsInput + "." + Self.b64(Array(HMAC<SHA256>.authenticationCode(for: Array(hsInput.utf8), using: hmacKey)))
        #expect(code(hs256) == "exchange.jws_algorithm_forbidden")
        #expect(code(Self.b64(#"{"alg":"none"}"#) + "." + Self.b64(Self.payload) + ".") == "exchange.jws_algorithm_forbidden")
        #expect(code(try Self.token(header: #"{"alg":"es256","kid":"\#(kid)"}"#)) == "exchange.jws_algorithm_forbidden")
        #expect(code(try Self.token(header: #"{"alg":"ES384","kid":"\#(kid)"}"#)) == "exchange.jws_algorithm_forbidden")
        let attacker = P256.Signing.PrivateKey()
        let jwk = #"{"kty":"EC","crv":"P-256","x":"\#(Self.b64(Array(attacker.publicKey.rawRepresentation.prefix(32))))","y":"\#(Self.b64(Array(attacker.publicKey.rawRepresentation.suffix(32))))"}"#
        #expect(code(try Self.token(header: #"{"alg":"ES256","jwk":\#(jwk)}"#, key: attacker)) == "exchange.jws_header_forbidden")
        #expect(code(try Self.token(header: #"{"alg":"ES256","kid":"\#(kid)","jku":"https://127.0.0.1/keys"}"#)) == "exchange.jws_header_forbidden")
        #expect(code(try Self.token(header: #"{"alg":"ES256","kid":"\#(kid)","x5u":"https://127.0.0.1/cert"}"#)) == "exchange.jws_header_forbidden")
        #expect(code(try Self.token(header: #"{"alg":"ES256","kid":"\#(kid)","x5c":["MIIB"]}"#)) == "exchange.jws_header_forbidden")
        #expect(code(try Self.token(header: #"{"alg":"ES256","kid":"\#(kid)","b64":false,"crit":["b64"]}"#)) == "exchange.jws_crit_unsupported")
        #expect(code(try Self.token(header: #"{"alg":"ES256","kid":"\#(kid)","b64":false}"#)) == "exchange.jws_header_forbidden")
        #expect(code(try Self.token(header: #"{"alg":"ES256","kid":"\#(kid)","crit":["exp"],"exp":1}"#)) == "exchange.jws_crit_unsupported")
        #expect(code(try Self.token(header: #"{"alg":"ES256","alg":"none","kid":"\#(kid)"}"#)) == "exchange.json_duplicate_key")
        #expect(code(try Self.token(header: #"{"alg":"ES256","\u0061lg":"none","kid":"\#(kid)"}"#)) == "exchange.json_duplicate_key")
        #expect(code(try Self.token(header: #"{"alg":"ES256","kid":"\#(String(repeating: "a", count: 64))"}"#)) == "exchange.unknown_signer")
        #expect(code(try Self.token(header: #"{"alg":"ES256"}"#)) == "exchange.jws_malformed")
    }

    @Test func malformedTokensAndSignaturesAreRefused() throws {
        let good = try JWS.sign(payload: Self.payload, with: Self.sender.signer)
        let parts = good.split(separator: ".").map(String.init)
        #expect(code(parts[0] + "." + parts[1]) == "exchange.jws_malformed")
        #expect(code(good + ".") == "exchange.jws_malformed")
        #expect(code(parts[0] + "=." + parts[1] + "." + parts[2]) == "exchange.jws_malformed")
        #expect(code(parts[0] + "." + parts[1] + " ." + parts[2]) == "exchange.jws_malformed")
        // A DER-encoded signature of the right input is not ES256.
        let input = parts[0] + "." + parts[1]
        let der = Array(try Self.sender.key.signature(for: Array(input.utf8)).derRepresentation)
        #expect(code(input + "." + Self.b64(der)) == "exchange.signature_invalid")
        #expect(code(input + "." + Self.b64(Array(repeating: 0, count: 64))) == "exchange.signature_invalid")
        // Another payload under the same signature.
        #expect(code(parts[0] + "." + Self.b64(#"{"messageID":"m-2"}"#) + "." + parts[2]) == "exchange.signature_invalid")
        // An attacker's valid signature under the sender's kid.
        #expect(code(try Self.token(header: #"{"alg":"ES256","kid":"\#(kid)"}"#, key: P256.Signing.PrivateKey())) == "exchange.signature_invalid")
        // Hostile payloads are refused after the signature checks out.
        let deep = Array((String(repeating: "[", count: 100) + String(repeating: "]", count: 100)).utf8)
        #expect(code(try JWS.sign(payload: deep, with: Self.sender.signer)) == "exchange.json_too_deep")
        #expect(code(try JWS.sign(payload: Array(#"{"a":1,"a":2}"#.utf8), with: Self.sender.signer)) == "exchange.json_duplicate_key")
    }

    @Test func everyFlippedBitIsRefused() throws {
        let token = Array(try JWS.sign(payload: Self.payload, with: Self.sender.signer).utf8)
        for index in token.indices {
            var mutated = token
            mutated[index] ^= 0x01
            #expect(code(String(decoding: mutated, as: UTF8.self)) != nil, "byte \(index)")
        }
    }
}

@Suite struct StrictJSONTests {
    func code(_ text: String) -> String? {
        do {
            try StrictJSON.validate(Array(text.utf8))
            return nil
        } catch {
            return error.code
        }
    }

    @Test func acceptsValidJSON() {
        for text in [#"{}"#, #"[]"#, #"{"a":[1,-2.5e3,true,false,null,"x\u00e9\ud83d\ude42"]}"#, " \"s\" ", "0", "-0.1"] {
            #expect(code(text) == nil, "\(text)")
        }
    }

    @Test func refusesWhatOtherParsersMightReadDifferently() {
        #expect(code(#"{"a":1,"a":2}"#) == "exchange.json_duplicate_key")
        #expect(code(#"{"a":1,"\u0061":2}"#) == "exchange.json_duplicate_key")
        #expect(code(#"{"a":1,}"#) == "exchange.json_malformed")
        #expect(code(#"[1,2]x"#) == "exchange.json_malformed")
        #expect(code(#"{'a':1}"#) == "exchange.json_malformed")
        #expect(code(#"01"#) == "exchange.json_malformed")
        #expect(code("\"\u{1}\"") == "exchange.json_malformed")
        #expect(code(#""\ud800""#) == "exchange.json_malformed")
        #expect(code(String(repeating: "[", count: 33) + String(repeating: "]", count: 33)) == "exchange.json_too_deep")
        #expect(code(String(repeating: "[", count: 100_000)) == "exchange.json_too_deep")
    }
}
