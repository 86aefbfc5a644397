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
        #expect(throws: FederationError(code: "federation.pki_exists", reason: "")) { _ = try directory.initialise(name: "Again", now: now, crlValidity: 3_600) }
        let keyAttributes = try FileManager.default.attributesOfItem(atPath: directory.url.appendingPathComponent("ca-key.pem").path)
        #expect((keyAttributes[.posixPermissions] as? Int) == 0o600)

        let node = ParticipantID("BEL-DOFI")!
        let kept = try directory.issue(role: .node, participant: node, dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"], now: now, validityDays: 30)
        let revoked = try directory.issue(role: .signer, participant: node, dnsNames: [], ipAddresses: [], now: now, validityDays: 30)
        try directory.revoke(serial: revoked.serialNumber.description, now: now)
        #expect(throws: FederationError(code: "federation.unknown_certificate", reason: "")) { try directory.revoke(serial: "01:02", now: now) }
        #expect(throws: FederationError(code: "federation.invalid_serial", reason: "")) { try directory.revoke(serial: "not hex", now: now) }
        let list = try directory.publishCRL(now: now, validity: 3_600)
        #expect(list.number == 2)
        #expect(list.entries.count == 1)

        let onDisk = try RevocationList(pemEncoded: String(contentsOf: directory.crlURL, encoding: .utf8))
        let trust = try FederationTrust(authority: authority.certificate, revocationList: onDisk)
        _ = try await trust.verify(chain: [kept], roles: [.node], purpose: .clientAuth, at: now)
        await #expect(throws: FederationError(code: "federation.certificate_rejected", reason: "")) { _ = try await trust.verify(chain: [revoked], roles: [.signer], at: now) }
        // The written key belongs to the written certificate.
        _ = try P256MessageSigner(
            participant: node, privateKeyPEM: String(contentsOf: directory.keyURL(node, .node), encoding: .utf8),
            certificatePEM: String(contentsOf: directory.certificateURL(node, .node), encoding: .utf8)
        )
    }

    /// `pki list` prints canonical colon hex (two digits a byte, upper case); `pki revoke` takes
    /// that, or the plain hex `openssl x509 -serial` prints, in either case.
    @Test func serialsPrintCanonicallyAndRevokeAsOpenSSLPrintsThem() throws {
        #expect(PKIDirectory.canonicalSerial("a:1b:0") == "0A:1B:00")
        #expect(PKIDirectory.canonicalSerial("serial=0A1B00") == "0A:1B:00")
        #expect(PKIDirectory.canonicalSerial("00:8f:01") == "8F:01")
        #expect(PKIDirectory.canonicalSerial("f01") == "0F:01")
        #expect(PKIDirectory.canonicalSerial("0A::1B") == nil && PKIDirectory.canonicalSerial("") == nil && PKIDirectory.canonicalSerial("123:4") == nil)

        let directory = PKIDirectory(try ExternalTool.temporaryDirectory().appendingPathComponent("pki"))
        let now = Date()
        _ = try directory.initialise(name: "Serial CA", now: now, crlValidity: 3_600)
        let node = ParticipantID("BEL-DOFI")!
        let certificate = try directory.issue(role: .signer, participant: node, dnsNames: [], ipAddresses: [], now: now, validityDays: 30)
        let listed = try #require(try directory.state().issued.first?.serial)
        #expect(listed.split(separator: ":").allSatisfy { $0.count == 2 && $0.uppercased() == $0 })
        let openssl = try ExternalTool.run("openssl", ["x509", "-noout", "-serial", "-in", directory.certificateURL(node, .signer).path])
        #expect(openssl.status == 0)
        let printed = openssl.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(printed.hasPrefix("serial="))
        #expect(PKIDirectory.canonicalSerial(printed) == listed)
        try directory.revoke(serial: String(printed.dropFirst(7)).lowercased(), now: now)
        let list = try directory.publishCRL(now: now, validity: 3_600)
        #expect(list.entries.map(\.serial) == [certificate.serialNumber])
    }
}
