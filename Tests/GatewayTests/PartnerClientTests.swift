import AccordTesting
import Crypto
import Exchange
import Federation
import Foundation
import Gateway
import Ledger
import Storage
import Testing
import X509

/// A partner's client written from Docs/Protocol.md alone (Tests/Partner/partner_client.py:
/// Python's ssl, `cryptography` and joserfc) fetches the hub's signed configuration over mutual
/// TLS, verifies it against the pinned hub and the federation CA, and checks inclusion proofs of
/// the hub's message log offline with the signer certificate the configuration names.
@Suite(.enabled(if: ExternalTool.available("python3"))) struct PartnerClientTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Partner/partner_client.py")

    @Test(arguments: TestDatabase.all)
    func aPartnerVerifiesTheConfigurationAndALogProofFromTheTextAlone(_ database: TestDatabase) async throws {
        try await FederationHarness.run(database) { h in
            let message = try h.federation.message(.readmissionApplication, from: LiveFederation.belgium, to: LiveFederation.morocco, encoding: .xml)
            _ = try await h.belgium.submit(message)
            try await h.worker.runOnce()
            let hubKey = try #require(h.federation.signerKeys[LiveFederation.hubID])
            _ = try #require(try await h.hubOutbox.checkpoint(origin: "accord-exchange-log/EUE-HUB", key: hubKey, at: Date()))
            let proofs = try await h.hubOutbox.inclusionProofs(for: try h.key(message))
            #expect(proofs.count == 2)  // accepted and delivered
            var proofObjects = try proofs.map { try JSONSerialization.jsonObject(with: JSONEncoder().encode($0)) }
            // A forged proof (another index) must not hold.
            if var forged = proofObjects.first as? [String: Any] {
                forged["index"] = ((forged["index"] as? Int) ?? 0) + 1
                proofObjects.append(forged)
            }
            let tls = try #require(h.federation.tlsPEM[LiveFederation.belgium])
            let input: [String: Any] = [
                "host": "127.0.0.1", "port": h.hubPort, "hub": "EUE-HUB",
                "ca": try h.federation.authority.certificate.serializeAsPEM().pemString,
                "certificate": tls.certificate, "key": tls.key,
                "message": Data(message).base64EncodedString(), "proofs": proofObjects,
            ]
            let run = try ExternalTool.run("python3", [Self.script.path], input: try JSONSerialization.data(withJSONObject: input))
            #expect(run.status == 0, "\(run.output)\n\(run.errors.suffix(2000))")
            let output = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any], "\(run.output)")
            #expect(output["hub"] as? String == "EUE-HUB")
            #expect(output["serial"] as? Int == h.federation.configuration.serial)
            let signers = try #require(output["signers"] as? [String: [String]])
            for (participant, certificate) in h.federation.signerCertificates {
                #expect(signers[participant.rawValue] == [sha256Hex(try certificate.derBytes())], "\(participant)")
            }
            let results = try #require(output["proofs"] as? [[String: Any]])
            #expect(results.map { $0["ok"] as? Bool } == [true, true, false])
            #expect(results.prefix(2).compactMap { $0["event"] as? String }.sorted() == ["accepted", "delivered"])
        }
    }
}
