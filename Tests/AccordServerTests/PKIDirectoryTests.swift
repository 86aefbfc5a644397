import AccordServer
import AccordTesting
import Exchange
import Federation
import Foundation
import Testing
import X509

/// `accord pki` end to end on disk: init, issue, revoke, publish; the published CRL refuses the
/// revoked certificate and accepts the other; the CA key file is private; nothing is overwritten.
@Suite struct PKIDirectoryTests {
    @Test func initIssueRevokePublish() async throws {
        let directory = PKIDirectory(try ExternalTool.temporaryDirectory().appendingPathComponent("pki"))
        let now = Date()
        let authority = try directory.initialise(name: "Disk CA", now: now, crlValidity: 3_600)
        #expect(throws: FederationError.self) { _ = try directory.initialise(name: "Again", now: now, crlValidity: 3_600) }
        let keyAttributes = try FileManager.default.attributesOfItem(atPath: directory.url.appendingPathComponent("ca-key.pem").path)
        #expect((keyAttributes[.posixPermissions] as? Int) == 0o600)

        let node = ParticipantID("BEL-DOFI")!
        let kept = try directory.issue(role: .node, participant: node, dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"], now: now, validityDays: 30)
        let revoked = try directory.issue(role: .signer, participant: node, dnsNames: [], ipAddresses: [], now: now, validityDays: 30)
        try directory.revoke(serial: revoked.serialNumber.description, now: now)
        #expect(throws: FederationError.self) { try directory.revoke(serial: "01:02", now: now) }
        let list = try directory.publishCRL(now: now, validity: 3_600)
        #expect(list.number == 2)
        #expect(list.entries.count == 1)

        let onDisk = try RevocationList(pemEncoded: String(contentsOf: directory.crlURL, encoding: .utf8))
        let trust = try FederationTrust(authority: authority.certificate, revocationList: onDisk)
        _ = try await trust.verify(chain: [kept], roles: [.node], purpose: .clientAuth, at: now)
        await #expect(throws: FederationError.self) { _ = try await trust.verify(chain: [revoked], roles: [.signer], at: now) }
        // The written key belongs to the written certificate.
        _ = try P256MessageSigner(
            participant: node, privateKeyPEM: String(contentsOf: directory.keyURL(node, .node), encoding: .utf8),
            certificatePEM: String(contentsOf: directory.certificateURL(node, .node), encoding: .utf8)
        )
    }
}
