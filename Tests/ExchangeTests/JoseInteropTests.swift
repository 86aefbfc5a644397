import AccordTesting
import Exchange
import Foundation
import Testing

/// JWS we sign verify with the independent Python library joserfc, and theirs verify in Accord.
@Suite(.enabled(if: ExternalTool.available("python3"))) struct JoseInteropTests {
    static let script = """
        import base64, json, sys
        from joserfc import jws
        from joserfc.jwk import ECKey
        request = json.load(sys.stdin)
        key = ECKey.import_key(request["key"])
        out = []
        if request["mode"] == "verify":
            for token in request["tokens"]:
                try:
                    out.append(base64.b64encode(jws.deserialize_compact(token, key, algorithms=["ES256"]).payload).decode())
                except Exception as error:
                    out.append("ERROR " + type(error).__name__)
        else:
            for payload in request["payloads"]:
                out.append(jws.serialize_compact({"alg": "ES256", "kid": request["kid"]}, base64.b64decode(payload), key, algorithms=["ES256"]))
        print(json.dumps(out))
        """

    static func python(_ request: [String: Any]) throws -> [String] {
        let result = try ExternalTool.run("python3", ["-c", script], input: try JSONSerialization.data(withJSONObject: request))
        try #require(result.status == 0, "\(result.errors.suffix(600))")
        return try JSONDecoder().decode([String].self, from: Data(result.output.utf8))
    }

    static func randomPayload(_ index: Int) -> [UInt8] {
        let names = ["Ahmad Karimi", "Олена Шевченко", "ዮሃንስ", "王伟", "a\"b\\c", "tab\t", "🙂"]
        let object: [String: Any] = ["messageID": "m-\(index)", "n": index, "names": Array(names.shuffled().prefix(Int.random(in: 1...names.count))),
                                     "nested": ["flag": index.isMultiple(of: 2), "value": Double(index) / 7]]
        return Array(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    @Test func joserfcVerifiesWhatAccordSigns() throws {
        let sender = try TestPKI().identity("BEL-DOFI")
        let payloads = (0..<300).map(Self.randomPayload)
        let tokens = try payloads.map { try JWS.sign(payload: $0, with: sender.signer) }
        let results = try Self.python(["mode": "verify", "key": sender.key.publicKey.pemRepresentation, "tokens": tokens])
        #expect(results == payloads.map { Data($0).base64EncodedString() })
    }

    @Test func accordVerifiesWhatJoserfcSigns() throws {
        let sender = try TestPKI().identity("BEL-DOFI")
        let trust = InMemoryTrustStore([sender.trusted])
        let payloads = (0..<300).map(Self.randomPayload)
        let tokens = try Self.python(["mode": "sign", "key": sender.key.pemRepresentation, "kid": sender.signer.fingerprint.hex,
                                      "payloads": payloads.map { Data($0).base64EncodedString() }])
        #expect(tokens.count == payloads.count)
        for (token, payload) in zip(tokens, payloads) {
            #expect(try JWS.verify(token, trust: trust).payload == payload)
        }
    }
}
