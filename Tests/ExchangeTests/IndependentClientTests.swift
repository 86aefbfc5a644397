import AccordCore
import AccordTesting
import Exchange
import Foundation
import Testing

/// A partner's client written in Python from Docs/Protocol.md alone (joserfc for JWS, xmlsec1 for
/// XML-DSig): its messages open in Accord, and it verifies Accord's receipts.
@Suite(.enabled(if: ExternalTool.available("python3") && ExternalTool.available("xmlsec1")))
struct IndependentClientTests {
    static let client = """
        import base64, hashlib, json, subprocess, sys, uuid
        from joserfc import jws
        from joserfc.jwk import ECKey
        request = json.load(sys.stdin)
        key = ECKey.import_key(request["key"])
        def envelope(message_type, encoding_id):
            return {"protocolVersion": "1.0", "messageID": encoding_id, "conversationID": str(uuid.uuid4()),
                    "caseReference": "MAR/2026/118", "sender": "MAR-INTERIOR", "recipient": "BEL-DOFI",
                    "messageType": message_type, "createdAt": "2026-03-02T09:30:00.000Z", "expiresAt": "2026-04-01T09:30:00.000Z",
                    "inReplyTo": "6b1f0c2e-8a4d-4c1b-9f3e-000000000100"}
        def decision(outcome):
            return {"outcome": outcome, "reasons": ["Nationality not established"] if outcome == "reject" else None,
                    "decidedAt": "2026-03-10T14:00:00.000Z", "decidedBy": "k.benali"}
        out = {}
        if request["mode"] == "send":
            tokens, xml = [], []
            for i in range(request["count"]):
                body = {k: v for k, v in decision("reject" if i % 2 else "accept").items() if v is not None}
                message_id = str(uuid.uuid4())
                payload = json.dumps({"envelope": envelope("decision", message_id), "body": body}).encode()
                tokens.append(jws.serialize_compact({"alg": "ES256", "kid": request["kid"], "cty": "accord-message+json"}, payload, key, algorithms=["ES256"]))
                def el(name, value):
                    if isinstance(value, list):
                        return "<acc:%s>%s</acc:%s>" % (name, "".join(el("item", v) for v in value), name)
                    if isinstance(value, dict):
                        return "<acc:%s>%s</acc:%s>" % (name, "".join(el(k, value[k]) for k in sorted(value)), name)
                    return "<acc:%s>%s</acc:%s>" % (name, value.replace("&", "&amp;").replace("<", "&lt;"), name)
                env = envelope("decision", message_id)
                xml.append('<acc:Message xmlns:acc="urn:accord:exchange:1" Id="m-%s">%s<acc:Body>%s</acc:Body>%s</acc:Message>'
                           % (message_id, el("Envelope", env), el("Decision", body), request["template"].replace("#ID", "#m-" + message_id)))
            out = {"tokens": tokens, "xml": xml}
        else:
            receipt = request["receipt"]
            verified = jws.deserialize_compact(receipt, key, algorithms=["ES256"])
            body = json.loads(verified.payload)["body"]
            out = {"ok": body["receivedDigest"] == hashlib.sha256(request["sent"].encode()).hexdigest(), "id": body["receivedMessageID"]}
        print(json.dumps(out))
        """

    @Test func aPythonClientExchangesMessagesAndReceiptsWithAccord() async throws {
        let pki = try TestPKI()
        let partner = try pki.identity("MAR-INTERIOR")
        let accord = try pki.identity("BEL-DOFI")
        let trust = InMemoryTrustStore([partner.trusted, accord.trusted])
        let template = XMLSecInteropTests.template(id: "ID")
        let request: [String: Any] = ["mode": "send", "count": 100, "key": partner.key.pemRepresentation, "kid": partner.signer.fingerprint.hex, "template": template]
        let run = try ExternalTool.run("python3", ["-c", Self.client], input: try JSONSerialization.data(withJSONObject: request))
        try #require(run.status == 0, "\(run.errors.suffix(800))")
        let sent = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: [String]])
        let issuer = ReceiptIssuer(signer: accord.signer, store: InMemoryReceiptStore())

        for token in sent["tokens"] ?? [] {
            let inbound = try MessageCodec.open(Array(token.utf8), trust: trust, now: MessageExamples.created)
            guard case .decision(let decision) = inbound.message.body else { Issue.record("not a decision"); continue }
            #expect(["accept", "reject"].contains(decision.outcome))
            let receipt = String(decoding: try await issuer.receipt(for: inbound), as: UTF8.self)
            let check = try ExternalTool.run("python3", ["-c", Self.client], input: try JSONSerialization.data(withJSONObject: [
                "mode": "receipt", "key": accord.key.publicKey.pemRepresentation, "receipt": receipt, "sent": token,
            ]))
            #expect(check.output.contains("\"ok\": true"), "\(check.errors.suffix(400))")
            break // one receipt round trip through Python is enough; the rest are checked below
        }
        #expect(sent["tokens"]?.count == 100)
        for token in sent["tokens"] ?? [] {
            _ = try MessageCodec.open(Array(token.utf8), trust: trust, now: MessageExamples.created)
        }

        // The XML documents are signed by xmlsec1 in our layout, then opened by Accord.
        let directory = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try partner.keyPEM.write(to: directory.appendingPathComponent("key.pem"), atomically: true, encoding: .utf8)
        try partner.certificatePEM.write(to: directory.appendingPathComponent("cert.pem"), atomically: true, encoding: .utf8)
        for (index, document) in (sent["xml"] ?? []).prefix(25).enumerated() {
            try document.write(to: directory.appendingPathComponent("t\(index).xml"), atomically: true, encoding: .utf8)
            let signed = try ExternalTool.run("xmlsec1", ["--sign", "--privkey-pem", "key.pem,cert.pem", "--id-attr:Id", "urn:accord:exchange:1:Message", "--output", "s\(index).xml", "t\(index).xml"], in: directory)
            try #require(signed.status == 0, "\(signed.errors.suffix(400))")
            let inbound = try MessageCodec.open(Array(try Data(contentsOf: directory.appendingPathComponent("s\(index).xml"))), trust: trust, now: MessageExamples.created)
            #expect(inbound.message.envelope.sender == partner.participant)
        }
    }
}
