public import Crypto
import Foundation
public import X509

/// A certificate the federation trusts to sign for a participant.
public struct TrustedSigner: Sendable, Equatable {
    public let participant: ParticipantID
    public let certificateDER: [UInt8]
    public let fingerprint: CertificateFingerprint
    public let publicKey: P256.Signing.PublicKey

    public init(participant: ParticipantID, certificate: Certificate) throws {
        guard let key = P256.Signing.PublicKey(certificate.publicKey) else {
            throw ExchangeError(code: "exchange.unsupported_key", reason: "signing certificates must carry a P-256 key")
        }
        self.participant = participant
        self.certificateDER = try certificate.derBytes()
        self.fingerprint = CertificateFingerprint(der: certificateDER)
        self.publicKey = key
    }

    public init(participant: ParticipantID, certificateDER: [UInt8]) throws {
        try self.init(participant: participant, certificate: Certificate(derEncoded: certificateDER))
    }

    public init(participant: ParticipantID, certificatePEM: String) throws {
        try self.init(participant: participant, certificate: Certificate(pemEncoded: certificatePEM))
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.participant == rhs.participant && lhs.fingerprint == rhs.fingerprint
    }
}

/// Where verification keys come from: the federation's list of signing certificates (later the
/// signed federation configuration). Keys are never taken from a message itself.
public protocol SignerTrustStore: Sendable {
    func signer(fingerprint: CertificateFingerprint) -> TrustedSigner?
}

public struct InMemoryTrustStore: SignerTrustStore {
    private let signers: [CertificateFingerprint: TrustedSigner]

    public init(_ signers: [TrustedSigner]) {
        self.signers = Dictionary(signers.map { ($0.fingerprint, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func signer(fingerprint: CertificateFingerprint) -> TrustedSigner? {
        signers[fingerprint]
    }
}
