import Foundation

/// Writes the JSON Schema (draft 2020-12) and the XSD of each message type from `MessageSchema`.
public enum SchemaWriter {
    // MARK: JSON Schema

    public static func jsonSchema(_ type: MessageType) throws -> String {
        var envelope = json(MessageSchema.envelope)
        if var properties = envelope["properties"] as? [String: Any] {
            properties["messageType"] = ["const": type.rawValue]
            envelope["properties"] = properties
        }
        let schema: [String: Any] = [
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "urn:accord:exchange:1:\(type.rawValue)",
            "title": "Accord \(type.rawValue) message (JWS payload), protocol 1.0",
            "type": "object",
            "required": ["body", "envelope"],
            "additionalProperties": false,
            "properties": ["envelope": envelope, "body": json(MessageSchema.body(type))],
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: schema, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]), as: UTF8.self) + "\n"
    }

    static func json(_ node: SchemaNode) -> [String: Any] {
        switch node {
        case .string(let format):
            var result: [String: Any] = ["type": "string"]
            switch format {
            case .text(let maximum): result["minLength"] = 1; result["maxLength"] = maximum
            case .oneOf(let values): result["enum"] = values
            default: result["pattern"] = "^" + format.pattern! + "$"
            }
            return result
        case .array(let item, let maximum):
            return ["type": "array", "minItems": 1, "maxItems": maximum, "items": json(item)]
        case .object(let members):
            return [
                "type": "object", "additionalProperties": false,
                "required": members.filter(\.required).map(\.name),
                "properties": Dictionary(uniqueKeysWithValues: members.map { ($0.name, json($0.node)) }),
            ]
        }
    }

    // MARK: XSD

    public static func xsd(_ type: MessageType) -> String {
        var output = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- Accord \(type.rawValue) message, protocol 1.0. Generated from MessageSchema; do not edit. -->
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:acc="\(MessageCodec.namespace)"
                       targetNamespace="\(MessageCodec.namespace)" elementFormDefault="qualified">
              <xs:element name="Message">
                <xs:complexType>
                  <xs:sequence>

            """
        element("Envelope", required: true, node: MessageSchema.envelope, depth: 4, into: &output, messageType: type)
        output += "        <xs:element name=\"Body\">\n          <xs:complexType>\n            <xs:sequence>\n"
        element(type.bodyName, required: true, node: MessageSchema.body(type), depth: 7, into: &output)
        output += """
                        </xs:sequence>
                      </xs:complexType>
                    </xs:element>
                    <xs:any namespace="http://www.w3.org/2000/09/xmldsig#" processContents="skip" minOccurs="0"/>
                  </xs:sequence>
                  <xs:attribute name="Id" type="xs:ID" use="required"/>
                </xs:complexType>
              </xs:element>
            </xs:schema>

            """
        return output
    }

    static func element(_ name: String, required: Bool, node: SchemaNode, depth: Int, into output: inout String, messageType: MessageType? = nil, maximum: Int = 1) {
        let pad = String(repeating: "  ", count: depth)
        let occurs = (required ? "" : " minOccurs=\"0\"") + (maximum > 1 ? " maxOccurs=\"\(maximum)\"" : "")
        switch node {
        case .string(let format):
            var format = format
            if name == "messageType", let messageType { format = .oneOf([messageType.rawValue]) }
            output += "\(pad)<xs:element name=\"\(name)\"\(occurs)>\n\(pad)  <xs:simpleType>\n\(pad)    <xs:restriction base=\"xs:string\">\n"
            switch format {
            case .text(let maximum): output += "\(pad)      <xs:minLength value=\"1\"/>\n\(pad)      <xs:maxLength value=\"\(maximum)\"/>\n"
            case .oneOf(let values): for value in values { output += "\(pad)      <xs:enumeration value=\"\(value)\"/>\n" }
            default: output += "\(pad)      <xs:pattern value=\"\(format.pattern!)\"/>\n"
            }
            output += "\(pad)    </xs:restriction>\n\(pad)  </xs:simpleType>\n\(pad)</xs:element>\n"
        case .array(let item, let itemMaximum):
            output += "\(pad)<xs:element name=\"\(name)\"\(occurs)>\n\(pad)  <xs:complexType>\n\(pad)    <xs:sequence>\n"
            element("item", required: true, node: item, depth: depth + 3, into: &output, maximum: itemMaximum)
            output += "\(pad)    </xs:sequence>\n\(pad)  </xs:complexType>\n\(pad)</xs:element>\n"
        case .object(let members):
            output += "\(pad)<xs:element name=\"\(name)\"\(occurs)>\n\(pad)  <xs:complexType>\n\(pad)    <xs:all>\n"
            for member in members {
                element(member.name, required: member.required, node: member.node, depth: depth + 3, into: &output, messageType: messageType)
            }
            output += "\(pad)    </xs:all>\n\(pad)  </xs:complexType>\n\(pad)</xs:element>\n"
        }
    }
}
