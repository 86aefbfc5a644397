import Foundation

/// Generates the examples of Docs/Protocol.md from the code, so the document never goes stale
/// (a test compares the two; `ACCORD_REGENERATE_DOCS=1 swift test --filter ProtocolDocumentation`
/// rewrites the section).
public enum ProtocolDocumentation {
    public static let beginMarker = "<!-- BEGIN GENERATED EXAMPLES (accord message example) -->"
    public static let endMarker = "<!-- END GENERATED EXAMPLES -->"

    public static func examplesSection() throws -> String {
        var output = beginMarker + "\n"
        for type in MessageType.allCases {
            let message = MessageExamples.message(type)
            output += "\n#### `\(type.rawValue)`\n\nXML (unsigned; the signature is appended as the last child of `acc:Message`):\n\n```xml\n"
            output += try prettyXML(MessageCodec.xml(message))
            output += "\n```\n\nJSON (the JWS payload):\n\n```json\n"
            output += try prettyJSON(MessageCodec.json(message))
            output += "\n```\n"
        }
        return output + "\n" + endMarker
    }

    /// Indents our element-only XML; leaves (text) stay on their line, so the data is unchanged.
    static func prettyXML(_ xml: String) -> String {
        var output = ""
        var depth = 0
        var index = xml.startIndex
        while index < xml.endIndex {
            guard let close = xml[index...].firstIndex(of: ">") else { break }
            let tag = String(xml[index...close])
            let afterTag = xml.index(after: close)
            if tag.hasPrefix("</") {
                depth -= 1
                output += String(repeating: "  ", count: depth) + tag + "\n"
                index = afterTag
            } else if let nextTag = xml[afterTag...].firstIndex(of: "<"), xml[nextTag...].hasPrefix("</") {
                // A leaf: <a>text</a> on one line.
                let end = xml[nextTag...].firstIndex(of: ">")!
                output += String(repeating: "  ", count: depth) + String(xml[index...end]) + "\n"
                index = xml.index(after: end)
            } else {
                output += String(repeating: "  ", count: depth) + tag + "\n"
                depth += 1
                index = afterTag
            }
        }
        return output.trimmingCharacters(in: .newlines)
    }

    static func prettyJSON(_ bytes: [UInt8]) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(bytes))
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]), as: UTF8.self)
    }
}
