import Foundation
import Identity
import Testing

@Suite struct TOTPTests {
    /// RFC 6238 Appendix B: 8-digit codes with the ASCII seeds of each algorithm.
    static let seed1 = Array("12345678901234567890".utf8)
    static let seed256 = Array("12345678901234567890123456789012".utf8)
    static let seed512 = Array("1234567890123456789012345678901234567890123456789012345678901234".utf8)
    static let vectors: [(Int64, String, String, String)] = [
        (59, "94287082", "46119246", "90693936"),
        (1_111_111_109, "07081804", "68084774", "25091201"),
        (1_111_111_111, "14050471", "67062674", "99943326"),
        (1_234_567_890, "89005924", "91819424", "93441116"),
        (2_000_000_000, "69279037", "90698825", "38618901"),
        (20_000_000_000, "65353130", "77737706", "47863826"),
    ]

    @Test func rfc6238Vectors() {
        for (time, sha1, sha256, sha512) in Self.vectors {
            let date = Date(timeIntervalSince1970: TimeInterval(time))
            #expect(TOTP(secret: Self.seed1, digits: 8, algorithm: .sha1).code(at: date) == sha1)
            #expect(TOTP(secret: Self.seed256, digits: 8, algorithm: .sha256).code(at: date) == sha256)
            #expect(TOTP(secret: Self.seed512, digits: 8, algorithm: .sha512).code(at: date) == sha512)
        }
    }

    @Test func windowAndProvisioning() {
        let totp = TOTP(secret: TOTP.newSecret())
        let now = Date(timeIntervalSince1970: 1_772_443_800)
        let code = totp.code(at: now)
        #expect(totp.matchingStep(code, at: now) == totp.step(at: now))
        #expect(totp.matchingStep(code, at: now.addingTimeInterval(30)) == totp.step(at: now))
        #expect(totp.matchingStep(code, at: now.addingTimeInterval(95)) == nil)
        #expect(totp.matchingStep("000000x", at: now) == nil)
        let uri = totp.provisioningURI(account: "k.novak", issuer: "Accord node")
        #expect(uri.hasPrefix("otpauth://totp/Accord%20node:k.novak?secret="))
        #expect(Base32.decode(Base32.encode(totp.secret)) == totp.secret)
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI")
    }
}
