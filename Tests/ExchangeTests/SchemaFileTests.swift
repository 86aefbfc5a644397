import AccordTesting
import Exchange
import Foundation
import Testing

/// Profiles/schemas/ holds the JSON Schema and XSD of every message type, generated from the
/// code's `MessageSchema`; independent validators (python jsonschema, xmllint) accept the
/// examples and refuse invalid variants, as Accord does.
@Suite struct SchemaFileTests {
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Profiles/schemas")
    }

    static func jsonFile(_ type: MessageType) -> URL { root.appendingPathComponent("json/\(type.rawValue).schema.json") }
    static func xsdFile(_ type: MessageType) -> URL { root.appendingPathComponent("xml/\(type.rawValue).xsd") }

    @Test(arguments: MessageType.allCases)
    func committedSchemasMatchTheCode(_ type: MessageType) throws {
        let json = try SchemaWriter.jsonSchema(type)
        let xsd = SchemaWriter.xsd(type)
        if ProcessInfo.processInfo.environment["ACCORD_REGENERATE_DOCS"] == "1" {
            try json.write(to: Self.jsonFile(type), atomically: true, encoding: .utf8)
            try xsd.write(to: Self.xsdFile(type), atomically: true, encoding: .utf8)
            return
        }
        #expect(try String(contentsOf: Self.jsonFile(type), encoding: .utf8) == json, "stale: ACCORD_REGENERATE_DOCS=1 swift test --filter SchemaFileTests")
        #expect(try String(contentsOf: Self.xsdFile(type), encoding: .utf8) == xsd, "stale: ACCORD_REGENERATE_DOCS=1 swift test --filter SchemaFileTests")
    }

    /// An invalid variant of each example: an enumeration or format broken.
    static func broken(_ json: String) -> String {
        json.replacingOccurrences(of: "\"1.0\"", with: "\"9.9\"")
    }

    @Test(.enabled(if: ExternalTool.available("python3"))) func pythonJSONSchemaAgreesWithAccord() throws {
        var documents: [[String: String]] = []
        for type in MessageType.allCases {
            let example = String(decoding: try MessageCodec.json(MessageExamples.message(type)), as: UTF8.self)
            documents.append(["schema": Self.jsonFile(type).path, "valid": example, "invalid": Self.broken(example)])
        }
        let script = """
            import json, sys, jsonschema
            out = []
            for d in json.load(sys.stdin):
                schema = json.load(open(d["schema"]))
                validator = jsonschema.Draft202012Validator(schema, format_checker=None)
                out.append([validator.is_valid(json.loads(d["valid"])), validator.is_valid(json.loads(d["invalid"]))])
            print(json.dumps(out))
            """
        let result = try ExternalTool.run("python3", ["-c", script], input: try JSONSerialization.data(withJSONObject: documents))
        try #require(result.status == 0, "\(result.errors.suffix(500))")
        let verdicts = try JSONDecoder().decode([[Bool]].self, from: Data(result.output.utf8))
        #expect(verdicts == Array(repeating: [true, false], count: MessageType.allCases.count))
    }

    @Test(.enabled(if: ExternalTool.available("xmllint"))) func xmllintAgreesWithAccord() throws {
        let directory = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let signer = try TestPKI().identity("BEL-DOFI")
        for type in MessageType.allCases {
            let message = MessageExamples.message(type)
            let valid = try MessageCodec.xml(message)
            try valid.write(to: directory.appendingPathComponent("valid.xml"), atomically: true, encoding: .utf8)
            try valid.replacingOccurrences(of: ">1.0<", with: ">9.9<").write(to: directory.appendingPathComponent("invalid.xml"), atomically: true, encoding: .utf8)
            var signedMessage = message
            signedMessage.envelope.sender = signer.participant
            signedMessage.envelope.recipient = ParticipantID("MAR-INTERIOR")!
            let signed = try MessageCodec.sign(signedMessage, encoding: .xml, with: signer.signer)
            try Data(signed).write(to: directory.appendingPathComponent("signed.xml"))
            for (file, expected) in [("valid.xml", Int32(0)), ("signed.xml", 0)] {
                let result = try ExternalTool.run("xmllint", ["--noout", "--schema", Self.xsdFile(type).path, file], in: directory)
                #expect(result.status == expected, "\(type.rawValue) \(file): \(result.errors.suffix(300))")
            }
            #expect(try ExternalTool.run("xmllint", ["--noout", "--schema", Self.xsdFile(type).path, "invalid.xml"], in: directory).status != 0)
        }
    }
}
