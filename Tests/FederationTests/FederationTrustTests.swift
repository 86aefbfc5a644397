import Crypto
import Exchange
@testable import Federation
import Foundation
import SwiftASN1
import AccordTesting
import Testing
import X509

/// Each rule of the federation certificate profile, tested with the federation's own CA.
@Suite struct FederationTrustTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    let authority: FederationAuthority
    let node = ParticipantID("BEL-DOFI")!

    init() throws {
        authority = try FederationAuthority.create(name: "Test Federation CA", now: Date(timeIntervalSince1970: 1_790_000_000))
    }

    func trust(revoked: [Certificate.SerialNumber] = [], crlValidity: TimeInterval = 86_400, crlIssued: Date? = nil) throws -> FederationTrust {
        let list = try authority.revocationList(
            number: 1, revoked: revoked.map { .init(serial: $0, revokedAt: now) }, now: crlIssued ?? now.addingTimeInterval(-60), validity: crlValidity
        )
        return try FederationTrust(authority: authority.certificate, revocationList: list)
    }

    func leaf(_ role: CertificateRole = .node) throws -> Certificate {
        try authority.issue(role: role, participant: node, publicKey: P256.Signing.PrivateKey().publicKey, dnsNames: ["node.test"], ipAddresses: ["127.0.0.1"], now: now)
    }

    func refusal(_ chain: [Certificate], trust: FederationTrust? = nil, roles: Set<CertificateRole> = [.node], at: Date? = nil) async throws -> String? {
        do {
            _ = try await (trust ?? self.trust()).verify(chain: chain, roles: roles, purpose: .clientAuth, at: at ?? now)
            return nil
        } catch let error as FederationError {
            return error.code + " " + error.reason
        }
    }

    @Test func aFreshNodeCertificateIsAccepted() async throws {
        let certificate = try leaf()
        let identity = try await trust().verify(chain: [certificate], roles: [.node], purpose: .clientAuth, at: now)
        #expect(identity.participant == node)
        #expect(identity.role == .node)
    }

    @Test func expiredAndNotYetValidAreRefused() async throws {
        let certificate = try leaf()
        let late = certificate.notValidAfter.addingTimeInterval(1)
        let lateTrust = try trust(crlIssued: late.addingTimeInterval(-10))
        #expect(try await refusal([certificate], trust: lateTrust, at: late)?.contains("expired") == true)
        let early = certificate.notValidBefore.addingTimeInterval(-1)
        #expect(try await refusal([certificate], trust: trust(crlIssued: early.addingTimeInterval(-10)), at: early) != nil)
    }

    @Test func revokedIsRefusedOnlyOnceTheCRLListsIt() async throws {
        let certificate = try leaf()
        #expect(try await refusal([certificate]) == nil)
        let reason = try await refusal([certificate], trust: trust(revoked: [certificate.serialNumber]))
        #expect(reason?.contains("revoked") == true)
    }

    @Test func revocationFailsClosed() async throws {
        let certificate = try leaf()
        let noList = try FederationTrust(authority: authority.certificate, revocationList: nil)
        #expect(try await refusal([certificate], trust: noList)?.hasPrefix("federation.crl_stale") == true)
        let stale = try trust(crlValidity: 3_600, crlIssued: now.addingTimeInterval(-7_200))
        #expect(try await refusal([certificate], trust: stale)?.hasPrefix("federation.crl_stale") == true)
        // A CRL from another CA is refused when loaded.
        let other = try FederationAuthority.create(name: "Other CA", now: now)
        let foreign = try other.revocationList(number: 1, revoked: [], now: now, validity: 3_600)
        #expect(throws: FederationError.self) { try FederationTrust(authority: authority.certificate, revocationList: foreign) }
    }

    @Test func anotherCAsCertificateIsRefused() async throws {
        let other = try FederationAuthority.create(name: "Test Federation CA", now: now)
        let certificate = try other.issue(role: .node, participant: node, publicKey: P256.Signing.PrivateKey().publicKey, now: now)
        #expect(try await refusal([certificate]) != nil)
        // …even with the other CA presented as an intermediate.
        #expect(try await refusal([certificate, other.certificate]) != nil)
    }

    @Test func theCAItselfCannotBeALeaf() async throws {
        #expect(try await refusal([authority.certificate]) != nil)
        // A CA certificate carrying participant and role names, issued by the federation CA.
        let rogue = try custom(isCA: true)
        #expect(try await refusal([rogue])?.contains("CA") == true)
    }

    @Test func wrongRoleOrExtendedKeyUsageIsRefused() async throws {
        #expect(try await refusal([leaf(.signer)])?.contains("signer certificate cannot be used here") == true)
        let codeSigning = try custom(eku: [.codeSigning])
        #expect(try await refusal([codeSigning])?.contains("extended key usage") == true)
        let serverOnly = try custom(eku: [.serverAuth])
        #expect(try await refusal([serverOnly])?.contains("extended key usage") == true)
        let anyEKU = try custom(eku: [.clientAuth, .any])
        #expect(try await refusal([anyEKU]) != nil)
        let noParticipant = try custom(uris: ["urn:accord:role:node"])
        #expect(try await refusal([noParticipant])?.contains("participant") == true)
    }

    @Test func theCRLRoundTrips() throws {
        let certificate = try leaf()
        let list = try authority.revocationList(number: 7, revoked: [.init(serial: certificate.serialNumber, revokedAt: now)], now: now, validity: 3_600)
        let reparsed = try RevocationList(pemEncoded: list.pemString)
        #expect(reparsed.number == 7)
        #expect(reparsed.isRevoked(certificate.serialNumber))
        #expect(reparsed.isSigned(by: authority.certificate))
        #expect(reparsed.nextUpdate == now.addingTimeInterval(3_600))
    }

    /// openssl, an independent implementation, accepts the CA's CRL and certificates and sees
    /// the revocation; a tampered CRL fails its signature check.
    @Test(.enabled(if: ExternalTool.required || ExternalTool.available("openssl")))
    func opensslAgreesWithTheCRLAndTheCertificates() throws {
        let directory = try ExternalTool.temporaryDirectory()
        let issued = Date()
        let current = try FederationAuthority.create(name: "Interop CA", now: issued)
        let good = try current.issue(role: .node, participant: node, publicKey: P256.Signing.PrivateKey().publicKey, dnsNames: ["node.test"], now: issued)
        let bad = try current.issue(role: .node, participant: node, publicKey: P256.Signing.PrivateKey().publicKey, now: issued)
        let list = try current.revocationList(number: 3, revoked: [.init(serial: bad.serialNumber, revokedAt: issued)], now: issued, validity: 3_600)
        try current.certificate.serializeAsPEM().pemString.write(to: directory.appendingPathComponent("ca.pem"), atomically: true, encoding: .utf8)
        try good.serializeAsPEM().pemString.write(to: directory.appendingPathComponent("good.pem"), atomically: true, encoding: .utf8)
        try bad.serializeAsPEM().pemString.write(to: directory.appendingPathComponent("bad.pem"), atomically: true, encoding: .utf8)
        try list.pemString.write(to: directory.appendingPathComponent("crl.pem"), atomically: true, encoding: .utf8)

        let crlCheck = try ExternalTool.run("openssl", ["crl", "-in", "crl.pem", "-CAfile", "ca.pem", "-noout", "-text"], in: directory)
        #expect(crlCheck.status == 0)
        #expect(crlCheck.errors.contains("verify OK"))
        #expect(crlCheck.output.contains("X509v3 CRL Number: \n                3"))
        let accepted = try ExternalTool.run("openssl", ["verify", "-crl_check", "-CRLfile", "crl.pem", "-CAfile", "ca.pem", "-purpose", "sslclient", "good.pem"], in: directory)
        #expect(accepted.status == 0, "\(accepted.output) \(accepted.errors)")
        let refused = try ExternalTool.run("openssl", ["verify", "-crl_check", "-CRLfile", "crl.pem", "-CAfile", "ca.pem", "bad.pem"], in: directory)
        #expect(refused.status != 0)
        #expect((refused.output + refused.errors).contains("revoked"))

        var tampered = list.derBytes
        tampered[tampered.count - 5] ^= 0x01
        let forged = try RevocationList(derEncoded: tampered)
        #expect(!forged.isSigned(by: current.certificate))
        #expect(throws: FederationError.self) { try FederationTrust(authority: current.certificate, revocationList: forged) }
    }

    /// A certificate from the federation CA with the given deviations from the node profile.
    func custom(isCA: Bool = false, eku: [ExtendedKeyUsage.Usage] = [.clientAuth, .serverAuth], uris: [String]? = nil) throws -> Certificate {
        let key = P256.Signing.PrivateKey()
        let names = (uris ?? ["urn:accord:participant:BEL-DOFI", "urn:accord:role:node"]).map { GeneralName.uniformResourceIdentifier($0) }
        return try Certificate(
            version: .v3, serialNumber: FederationAuthority.randomSerial(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-60), notValidAfter: now.addingTimeInterval(86_400),
            issuer: authority.certificate.subject, subject: try DistinguishedName { CommonName("BEL-DOFI") }, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(isCA ? BasicConstraints.isCertificateAuthority(maxPathLength: nil) : BasicConstraints.notCertificateAuthority)
                Critical(isCA ? KeyUsage(digitalSignature: true, keyCertSign: true) : KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage(eku)
                SubjectAlternativeNames(names)
                SubjectKeyIdentifier(hash: .init(key.publicKey))
                AuthorityKeyIdentifier(keyIdentifier: try authority.certificate.extensions.subjectKeyIdentifier?.keyIdentifier)
            },
            issuerPrivateKey: .init(authority.key)
        )
    }
}
