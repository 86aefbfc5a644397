@preconcurrency import CLibXML2
import Foundation

/// Limits applied to every inbound XML document before and while it is parsed.
public struct XMLLimits: Sendable, Equatable {
    public var maximumBytes: Int
    public var maximumDepth: Int
    /// Attributes (namespace declarations included) on one element. libxml2 2.9.14 checks
    /// duplicates pairwise: 90,000 attributes cost it 12–27 s of CPU, so the cap applies before parsing.
    public var maximumAttributesPerElement: Int
    public var maximumAttributes: Int
    public var maximumNamespaceDeclarationsPerElement: Int
    public var maximumNamespaceDeclarations: Int

    public init(maximumBytes: Int = 1 << 20, maximumDepth: Int = 64, maximumAttributesPerElement: Int = 32, maximumAttributes: Int = 8_192,
                maximumNamespaceDeclarationsPerElement: Int = 8, maximumNamespaceDeclarations: Int = 256) {
        self.maximumBytes = maximumBytes
        self.maximumDepth = maximumDepth
        self.maximumAttributesPerElement = maximumAttributesPerElement
        self.maximumAttributes = maximumAttributes
        self.maximumNamespaceDeclarationsPerElement = maximumNamespaceDeclarationsPerElement
        self.maximumNamespaceDeclarations = maximumNamespaceDeclarations
    }
}

/// A parsed XML document owned by Swift; freed with the last reference.
public final class ParsedXML: @unchecked Sendable {
    let document: xmlDocPtr

    fileprivate init(_ document: xmlDocPtr) {
        self.document = document
    }

    deinit {
        xmlFreeDoc(document)
    }

    var root: xmlNodePtr? { xmlDocGetRootElement(document) }
}

/// The only way Accord parses untrusted XML: libxml2 without entity substitution, DTD loading,
/// huge-document mode or recovery, with network access off; any DOCTYPE or other markup
/// declaration refused before parsing; size and nesting capped; UTF-8 only.
/// (Never Foundation's `XMLDocument`, which resolves external entities on Linux.)
public enum HardenedXML {
    /// NONET only: no NOENT, DTDLOAD, DTDATTR, HUGE or RECOVER. Errors are read from the context, not printed.
    static let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)

    public static func parse(_ bytes: [UInt8], limits: XMLLimits = XMLLimits()) throws(ExchangeError) -> ParsedXML {
        guard bytes.count <= limits.maximumBytes else { throw .xmlTooLarge(limits.maximumBytes) }
        try refuseDeclarations(bytes)
        try requireUTF8(bytes)
        try countAttributes(bytes, limits: limits)
        guard let context = xmlNewParserCtxt() else { throw .xmlMalformed("parser unavailable") }
        defer { xmlFreeParserCtxt(context) }
        let parsed: xmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { pointer in
                xmlCtxtReadMemory(context, pointer, Int32(buffer.count), "urn:accord:inbound", "UTF-8", options)
            }
        }
        guard let parsed else {
            let message = context.pointee.lastError.message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "unreadable"
            if message.localizedCaseInsensitiveContains("depth") { throw .xmlTooDeep(limits.maximumDepth) }
            throw .xmlMalformed(String(message.prefix(200)))
        }
        let document = ParsedXML(parsed)
        guard parsed.pointee.intSubset == nil, parsed.pointee.extSubset == nil else { throw .doctypeForbidden }
        guard document.root != nil else { throw .xmlMalformed("no root element") }
        guard depth(of: document.root!) <= limits.maximumDepth else { throw .xmlTooDeep(limits.maximumDepth) }
        return document
    }

    /// `<!` may only open a comment or a CDATA section: DOCTYPE, ENTITY, ELEMENT, ATTLIST and
    /// NOTATION declarations are refused wherever they appear.
    static func refuseDeclarations(_ bytes: [UInt8]) throws(ExchangeError) {
        let comment = Array("<!--".utf8), cdata = Array("<![CDATA[".utf8)
        var index = 0
        while index < bytes.count - 1 {
            if bytes[index] == UInt8(ascii: "<"), bytes[index + 1] == UInt8(ascii: "!") {
                let rest = bytes[index...]
                guard rest.starts(with: comment) || rest.starts(with: cdata) else { throw .doctypeForbidden }
            }
            index += 1
        }
    }

    /// One linear pass over the markup before libxml2 sees it: attributes and namespace
    /// declarations per start tag and in total (an attribute is a `=` outside quotes inside a
    /// tag; comments, CDATA sections and processing instructions are skipped). Refused with
    /// `exchange.xml_too_many_attributes` at the first count over its limit.
    static func countAttributes(_ bytes: [UInt8], limits: XMLLimits) throws(ExchangeError) {
        let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">"), equals = UInt8(ascii: "="), quote = UInt8(ascii: "\""), apostrophe = UInt8(ascii: "'")
        let xmlns = Array("xmlns".utf8)
        var total = 0, namespaces = 0
        var index = 0
        let count = bytes.count
        func skip(past terminator: [UInt8], from start: Int) -> Int {
            var position = start
            while position + terminator.count <= count {
                if bytes[position] == terminator[0], bytes[position..<(position + terminator.count)].elementsEqual(terminator) { return position + terminator.count }
                position += 1
            }
            return count
        }
        while index < count {
            guard bytes[index] == lt, index + 1 < count else { index += 1; continue }
            let next = bytes[index + 1]
            if next == UInt8(ascii: "!") {
                index = bytes[index...].starts(with: Array("<![CDATA[".utf8)) ? skip(past: Array("]]>".utf8), from: index + 9) : skip(past: Array("-->".utf8), from: index + 4)
                continue
            }
            if next == UInt8(ascii: "?") { index = skip(past: Array("?>".utf8), from: index + 2); continue }
            if next == UInt8(ascii: "/") { index += 2; continue }
            // A start tag: count `=` outside quoted values up to the closing `>`.
            var attributes = 0, declarations = 0
            var position = index + 1
            var nameStart = position
            var inQuote: UInt8? = nil
            while position < count {
                let byte = bytes[position]
                if let open = inQuote {
                    if byte == open { inQuote = nil; nameStart = position + 1 }
                } else if byte == quote || byte == apostrophe {
                    inQuote = byte
                } else if byte == equals {
                    attributes += 1
                    var start = nameStart
                    while start < position, bytes[start] == 0x20 || bytes[start] == 0x09 || bytes[start] == 0x0A || bytes[start] == 0x0D { start += 1 }
                    if bytes[start..<position].starts(with: xmlns) { declarations += 1 }
                    guard attributes <= limits.maximumAttributesPerElement else { throw .xmlTooManyAttributes("more than \(limits.maximumAttributesPerElement) attributes on one element") }
                    guard declarations <= limits.maximumNamespaceDeclarationsPerElement else {
                        throw .xmlTooManyAttributes("more than \(limits.maximumNamespaceDeclarationsPerElement) namespace declarations on one element")
                    }
                } else if byte == gt {
                    break
                } else if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                    nameStart = position + 1
                }
                position += 1
            }
            total += attributes
            namespaces += declarations
            guard total <= limits.maximumAttributes else { throw .xmlTooManyAttributes("more than \(limits.maximumAttributes) attributes in the document") }
            guard namespaces <= limits.maximumNamespaceDeclarations else {
                throw .xmlTooManyAttributes("more than \(limits.maximumNamespaceDeclarations) namespace declarations in the document")
            }
            index = position + 1
        }
    }

    /// A byte-order mark other than UTF-8's, or an encoding declaration other than UTF-8, is refused.
    static func requireUTF8(_ bytes: [UInt8]) throws(ExchangeError) {
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0, 0]) { throw .encodingNotUTF8("UTF-16/32") }
        let head = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3).prefix(200)) : Array(bytes.prefix(200))
        guard head.starts(with: Array("<?xml".utf8)), let end = head.firstIndex(of: UInt8(ascii: ">")) else { return }
        let declaration = String(decoding: head[..<end], as: UTF8.self)
        guard let range = declaration.range(of: "encoding") else { return }
        let value = declaration[range.upperBound...].drop { $0 == " " || $0 == "=" }
        guard let quote = value.first, quote == "\"" || quote == "'" else { throw .xmlMalformed("bad encoding declaration") }
        let name = value.dropFirst().prefix { $0 != quote }
        guard ["utf-8", "utf8"].contains(name.lowercased()) else { throw .encodingNotUTF8(String(name)) }
    }

    static func depth(of node: xmlNodePtr) -> Int {
        var deepest = 0
        var stack: [(xmlNodePtr, Int)] = [(node, 1)]
        while let (current, level) = stack.popLast() {
            deepest = max(deepest, level)
            var child = current.pointee.children
            while let element = child {
                if element.pointee.type == XML_ELEMENT_NODE { stack.append((element, level + 1)) }
                child = element.pointee.next
            }
        }
        return deepest
    }
}
