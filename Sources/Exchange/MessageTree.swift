import Foundation

/// The data model shared by both encodings: strings, non-empty arrays and objects — nothing else.
/// JSON carries it as is; XML maps each object member to an element of the same name, each array
/// entry to an `item` element, and each string to text.
indirect enum MessageTree: Equatable {
    case string(String)
    case array([MessageTree])
    case object([(String, MessageTree)])

    static func == (lhs: MessageTree, rhs: MessageTree) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1)
        default: false
        }
    }

    /// From a JSONSerialization value; members sorted by name (the canonical order).
    static func from(json value: Any, path: String = "") throws(ExchangeError) -> MessageTree {
        switch value {
        case let text as String:
            guard !text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r" }) else {
                throw .messageInvalid(path, "control characters cannot be carried in XML")
            }
            return .string(text)
        case let array as [Any]:
            guard !array.isEmpty else { throw .messageInvalid(path, "arrays must not be empty; leave the member out") }
            var items: [MessageTree] = []
            for (index, item) in array.enumerated() { items.append(try from(json: item, path: "\(path)[\(index)]")) }
            return .array(items)
        case let object as [String: Any]:
            var members: [(String, MessageTree)] = []
            for key in object.keys.sorted() {
                guard key != "item", key.first?.isLetter == true, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                    throw .messageInvalid(path, "'\(key.prefix(40))' is not a valid member name")
                }
                members.append((key, try from(json: object[key]!, path: path.isEmpty ? key : "\(path).\(key)")))
            }
            return .object(members)
        default:
            throw .messageInvalid(path, "only strings, arrays and objects are allowed")
        }
    }

    /// The same tree with object members in canonical (sorted) order.
    var sorted: MessageTree {
        switch self {
        case .string: self
        case .array(let items): .array(items.map(\.sorted))
        case .object(let members): .object(members.map { ($0.0, $0.1.sorted) }.sorted { $0.0 < $1.0 })
        }
    }

    var json: Any {
        switch self {
        case .string(let text): text
        case .array(let items): items.map(\.json)
        case .object(let members): Dictionary(uniqueKeysWithValues: members.map { ($0.0, $0.1.json) })
        }
    }

    /// From a verified XML element: no element children → string; all children `item` → array;
    /// otherwise an object whose member names must be unique.
    /// Data elements carry no attributes (one would be data a JSON reader never sees), and
    /// array items are `acc:item` in the Accord namespace, not any element named `item`.
    static func from(xml element: XMLElementView, path: String = "") throws(ExchangeError) -> MessageTree {
        if let attribute = element.attributeNames.first {
            throw .messageInvalid(path, "element \(element.name) has the attribute \(attribute.prefix(40)); data elements carry none")
        }
        let children = element.children
        if children.isEmpty { return .string(element.text) }
        guard !element.hasText else { throw .messageInvalid(path, "element \(element.name) mixes text and elements") }
        if children.contains(where: { $0.name == "item" }) {
            guard children.allSatisfy({ $0.name == "item" && $0.namespaceURI == MessageCodec.namespace }) else {
                throw .messageInvalid(path, "an array holds only acc:item elements in the Accord namespace")
            }
            var items: [MessageTree] = []
            for (index, child) in children.enumerated() { items.append(try from(xml: child, path: "\(path)[\(index)]")) }
            return .array(items)
        }
        var members: [(String, MessageTree)] = []
        var seen: Set<String> = []
        for child in children {
            guard child.namespaceURI == MessageCodec.namespace else { throw .messageInvalid(path, "element \(child.name) is not in the Accord namespace") }
            guard seen.insert(child.name).inserted else { throw .messageInvalid(path, "element \(child.name) occurs twice") }
            members.append((child.name, try from(xml: child, path: path.isEmpty ? child.name : "\(path).\(child.name)")))
        }
        return .object(members)
    }

    func xml(name: String, into output: inout String) {
        output += "<acc:\(name)>"
        switch self {
        case .string(let text): output += MessageTree.escape(text)
        case .array(let items): for item in items { item.xml(name: "item", into: &output) }
        case .object(let members): for (key, value) in members { value.xml(name: key, into: &output) }
        }
        output += "</acc:\(name)>"
    }

    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\r": result += "&#13;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

extension ExchangeError {
    static func messageInvalid(_ path: String, _ why: String) -> ExchangeError {
        ExchangeError(code: "exchange.message_invalid", reason: path.isEmpty ? why : "\(path): \(why)")
    }
}
