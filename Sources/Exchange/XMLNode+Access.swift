@preconcurrency import CLibXML2

/// Small read helpers over libxml2's tree, used only inside Exchange.
extension UnsafeMutablePointer where Pointee == xmlNode {
    var isElement: Bool { pointee.type == XML_ELEMENT_NODE }

    var localName: String { pointee.name.map { String(cString: $0) } ?? "" }

    var namespaceURI: String? { pointee.ns?.pointee.href.map { String(cString: $0) } }

    func attribute(_ name: String) -> String? {
        guard let value = xmlGetNoNsProp(self, name) else { return nil }
        defer { xmlFree(value) }
        return String(cString: value)
    }

    /// Names of all attributes (without namespace), in document order.
    var attributeNames: [String] {
        var names: [String] = []
        var attribute = pointee.properties
        while let current = attribute {
            names.append(current.pointee.name.map { String(cString: $0) } ?? "")
            attribute = current.pointee.next
        }
        return names
    }

    var children: [xmlNodePtr] {
        var result: [xmlNodePtr] = []
        var child = pointee.children
        while let current = child {
            result.append(current)
            child = current.pointee.next
        }
        return result
    }

    var elementChildren: [xmlNodePtr] { children.filter(\.isElement) }

    /// True when a child other than an element is anything but whitespace text.
    var hasMixedContent: Bool {
        children.contains { child in
            switch child.pointee.type {
            case XML_ELEMENT_NODE: false
            case XML_TEXT_NODE: !child.text.allSatisfy { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
            default: true
            }
        }
    }

    /// The concatenated text of this node and its descendants.
    var text: String {
        guard let content = xmlNodeGetContent(self) else { return "" }
        defer { xmlFree(content) }
        return String(cString: content)
    }

    /// Every node of the subtree (elements, text, comments, …), depth first.
    var descendants: [xmlNodePtr] {
        var result: [xmlNodePtr] = []
        var stack = children.reversed() as [xmlNodePtr]
        while let node = stack.popLast() {
            result.append(node)
            stack.append(contentsOf: node.children.reversed())
        }
        return result
    }
}
