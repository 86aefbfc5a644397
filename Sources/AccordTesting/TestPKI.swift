public import Crypto
public import Exchange
import Foundation
import SwiftASN1
public import X509

/// A throwaway federation PKI made at run time (no private key is ever committed): a P-256 root
/// CA and leaf certificates for participants.
public struct TestPKI: Sendable {
    public let caKey: P256.Signing.PrivateKey
    public let caCertificate: Certificate
    public let now: Date

    public init(name: String = "Accord Test Federation CA", now: Date = Date()) throws {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            CountryName("EU")
            OrganizationName("Accord Test Federation")
            CommonName(name)
        }
        self.caKey = key
        self.now = now
        self.caCertificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3_600), notValidAfter: now.addingTimeInterval(365 * 86_400),
            issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: .init(key.publicKey))
            },
            issuerPrivateKey: .init(key)
        )
    }

    public var caPEM: String { (try? caCertificate.serializeAsPEM().pemString) ?? "" }

    /// A signing identity for `participant`, issued by this CA.
    public func identity(_ participant: String) throws -> TestIdentity {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            CountryName(String(participant.prefix(2)))
            OrganizationName("Accord Test Federation")
            CommonName(participant)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3_600), notValidAfter: now.addingTimeInterval(90 * 86_400),
            issuer: caCertificate.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.clientAuth, .serverAuth])
                SubjectAlternativeNames([.dnsName("\(participant.lowercased()).accord.test")])
                AuthorityKeyIdentifier(keyIdentifier: try caCertificate.extensions.subjectKeyIdentifier?.keyIdentifier)
            },
            issuerPrivateKey: .init(caKey)
        )
        return try TestIdentity(participant: ParticipantID(participant)!, key: key, certificate: certificate)
    }
}

public struct TestIdentity: Sendable {
    public let participant: ParticipantID
    public let key: P256.Signing.PrivateKey
    public let certificate: Certificate
    public let signer: P256MessageSigner
    public let trusted: TrustedSigner

    init(participant: ParticipantID, key: P256.Signing.PrivateKey, certificate: Certificate) throws {
        self.participant = participant
        self.key = key
        self.certificate = certificate
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        signer = P256MessageSigner(participant: participant, key: key, certificateDER: serializer.serializedBytes)
        trusted = try TrustedSigner(participant: participant, certificate: certificate)
    }

    public var certificatePEM: String { (try? certificate.serializeAsPEM().pemString) ?? "" }
    public var keyPEM: String { key.pemRepresentation }
}
