public import Crypto
public import Exchange
public import Foundation
import SwiftASN1
public import X509

/// The federation's root CA: issues hub, node and signer certificates and signs revocation lists.
/// In production it runs offline (Certificates/README.md); `accord pki` drives it for development.
public struct FederationAuthority: Sendable {
    public let certificate: Certificate
    let key: P256.Signing.PrivateKey

    public init(certificate: Certificate, key: P256.Signing.PrivateKey) throws {
        guard let certificateKey = P256.Signing.PublicKey(certificate.publicKey),
              certificateKey.rawRepresentation == key.publicKey.rawRepresentation else {
            throw FederationError.pkiInvalid("the CA key does not belong to the CA certificate")
        }
        guard case .some(.isCertificateAuthority) = try certificate.extensions.basicConstraints else {
            throw FederationError.pkiInvalid("the CA certificate is not a CA")
        }
        self.certificate = certificate
        self.key = key
    }

    public var fingerprint: CertificateFingerprint {
        CertificateFingerprint(der: (try? certificate.derBytes()) ?? [])
    }

    /// The CA's private key as PEM, for the offline store that holds it.
    public var keyPEM: String { key.pemRepresentation }

    public init(certificatePEM: String, keyPEM: String) throws {
        try self.init(certificate: Certificate(pemEncoded: certificatePEM), key: P256.Signing.PrivateKey(pemRepresentation: keyPEM))
    }

    /// A new P-256 root: critical basicConstraints (cA, pathLen 0 — the federation has no
    /// intermediates), keyCertSign and cRLSign, a subject key identifier.
    public static func create(name: String, now: Date, validityDays: Int = 3_650) throws -> FederationAuthority {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            OrganizationName("Accord Federation")
            CommonName(name)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: randomSerial(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(Double(validityDays) * 86_400),
            issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: .init(key.publicKey))
            },
            issuerPrivateKey: .init(key)
        )
        return try FederationAuthority(certificate: certificate, key: key)
    }

    /// A leaf for `participant` in `role`. TLS roles list their DNS names and IP addresses.
    public func issue(
        role: CertificateRole, participant: ParticipantID, publicKey: P256.Signing.PublicKey, dnsNames: [String] = [], ipAddresses: [String] = [],
        now: Date, validityDays: Int = 365
    ) throws -> Certificate {
        var names: [GeneralName] = [.uniformResourceIdentifier(FederationIdentity.participantPrefix + participant.rawValue), .uniformResourceIdentifier(role.uri)]
        for dns in dnsNames {
            guard StrictChainPolicy.isHostname(dns) else { throw FederationError.pkiInvalid("'\(dns)' is not a host name") }
            names.append(.dnsName(dns))
        }
        for address in ipAddresses {
            guard let bytes = Self.ipBytes(address) else { throw FederationError.pkiInvalid("'\(address)' is not an IP address") }
            names.append(.ipAddress(ASN1OctetString(contentBytes: bytes[...])))
        }
        let subject = try DistinguishedName {
            OrganizationName("Accord Federation")
            OrganizationalUnitName(role.rawValue)
            CommonName(participant.rawValue)
        }
        return try Certificate(
            version: .v3, serialNumber: Self.randomSerial(), publicKey: .init(publicKey),
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(Double(validityDays) * 86_400),
            issuer: certificate.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(role.keyUsage)
                try ExtendedKeyUsage(role.extendedKeyUsage)
                SubjectAlternativeNames(names)
                SubjectKeyIdentifier(hash: .init(publicKey))
                AuthorityKeyIdentifier(keyIdentifier: try certificate.extensions.subjectKeyIdentifier?.keyIdentifier)
            },
            issuerPrivateKey: .init(key)
        )
    }

    /// A CRL numbered `number`, valid from `now` for `validity` seconds.
    public func revocationList(number: Int, revoked: [RevocationList.Entry], now: Date, validity: TimeInterval) throws -> RevocationList {
        try RevocationList.issue(issuer: certificate, key: key, number: number, thisUpdate: now, nextUpdate: now.addingTimeInterval(validity), entries: revoked)
    }

    /// 16 random octets with the top bit clear: positive, unique, within RFC 5280's 20 octets.
    static func randomSerial() -> Certificate.SerialNumber {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255) }
        bytes[0] = bytes[0] & 0x7F | 0x01
        return Certificate.SerialNumber(bytes: bytes)
    }

    static func ipBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}
