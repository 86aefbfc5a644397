public import AccordCore
public import Crypto
import Foundation
public import X509
import SwiftASN1

/// A participant of the federation: a state's authority, e.g. `BEL-DOFI`, `MAR-INTERIOR`.
/// Three-letter ISO country code, then one or more upper-case segments.
public struct ParticipantID: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (2...4).contains(parts.count), CountryCode(String(parts[0])) != nil, parts[0] == parts[0].uppercased(),
              parts.dropFirst().allSatisfy({ (1...24).contains($0.count) && $0.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) } })
        else { return nil }
        self.rawValue = text
    }

    public var country: CountryCode { CountryCode(String(rawValue.prefix(3)))! }
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = ParticipantID(text) else { throw ExchangeError.envelopeInvalid("'\(text.prefix(40))' is not a participant ID") }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// SHA-256 of a certificate's DER encoding, as 64 lowercase hex digits: the JWS `kid` and the
/// key of the trust store.
public struct CertificateFingerprint: Hashable, Sendable, CustomStringConvertible {
    public let hex: String

    public init(der: [UInt8]) {
        hex = SHA256.hash(data: der).map { String(format: "%02x", $0) }.joined()
    }

    public init?(hex: String) {
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return nil }
        self.hex = hex
    }

    public var description: String { hex }
}

/// Signs with the sender's key. Behind a protocol so keys can move to an HSM.
public protocol MessageSigner: Sendable {
    var participant: ParticipantID { get }
    /// The signer's certificate, DER-encoded.
    var certificateDER: [UInt8] { get }
    /// ECDSA P-256 with SHA-256 over `data`, as raw r‖s (64 bytes).
    func sign(_ data: [UInt8]) throws -> [UInt8]
}

extension MessageSigner {
    public var fingerprint: CertificateFingerprint { CertificateFingerprint(der: certificateDER) }
}

/// A software P-256 key held in memory.
public struct P256MessageSigner: MessageSigner {
    public let participant: ParticipantID
    public let certificateDER: [UInt8]
    private let key: P256.Signing.PrivateKey

    public init(participant: ParticipantID, key: P256.Signing.PrivateKey, certificateDER: [UInt8]) {
        self.participant = participant
        self.key = key
        self.certificateDER = certificateDER
    }

    /// From PEM text: a PKCS#8 or SEC1 EC private key and an X.509 certificate.
    public init(participant: ParticipantID, privateKeyPEM: String, certificatePEM: String) throws {
        let certificate = try Certificate(pemEncoded: certificatePEM)
        let key = try P256.Signing.PrivateKey(pemRepresentation: privateKeyPEM)
        guard let certificateKey = P256.Signing.PublicKey(certificate.publicKey),
              certificateKey.rawRepresentation == key.publicKey.rawRepresentation else {
            throw ExchangeError.signerMismatch("the private key does not belong to the certificate")
        }
        self.init(participant: participant, key: key, certificateDER: try certificate.derBytes())
    }

    public func sign(_ data: [UInt8]) throws -> [UInt8] {
        Array(try key.signature(for: data).rawRepresentation)
    }
}

extension Certificate {
    /// The certificate's DER encoding.
    public func derBytes() throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(self)
        return serializer.serializedBytes
    }
}

/// One verification path for ES256 and XML-DSig ECDSA-SHA256: a raw r‖s signature of exactly
/// 64 bytes over `message`, checked with swift-crypto (which refuses r or s of 0 or ≥ n).
public enum ECDSAP256 {
    public static func verify(signature: [UInt8], message: [UInt8], key: P256.Signing.PublicKey) -> Bool {
        guard signature.count == 64, let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
        return key.isValidSignature(parsed, for: message)
    }
}
