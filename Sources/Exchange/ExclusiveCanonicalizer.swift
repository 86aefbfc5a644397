@preconcurrency import CLibXML2

/// Exclusive XML Canonicalization 1.0 without comments (http://www.w3.org/2001/10/xml-exc-c14n#)
/// of one element's subtree, optionally leaving out one descendant subtree (the enveloped
/// signature). Output is byte-identical to `xmllint --exc-c14n` for the same node set.
enum ExclusiveCanonicalizer {
    private struct Selection {
        let subtree: xmlNodePtr
        let excluded: xmlNodePtr?
    }

    static func canonicalize(_ document: ParsedXML, subtree: xmlNodePtr, excluding excluded: xmlNodePtr? = nil) throws(ExchangeError) -> [UInt8] {
        var selection = Selection(subtree: subtree, excluded: excluded)
        guard let output = xmlAllocOutputBuffer(nil) else { throw .xmlMalformed("canonicalizer unavailable") }
        let written = withUnsafeMutablePointer(to: &selection) { pointer in
            xmlC14NExecute(document.document, isVisible, pointer, Int32(XML_C14N_EXCLUSIVE_1_0.rawValue), nil, 0, output)
        }
        defer { xmlOutputBufferClose(output) }
        guard written >= 0, let content = xmlOutputBufferGetContent(output) else { throw .xmlMalformed("cannot canonicalize") }
        return Array(UnsafeBufferPointer(start: content, count: Int(xmlOutputBufferGetSize(output))))
    }

    /// A node is in the node set when it lies inside `subtree` and outside `excluded`. libxml2
    /// passes namespace nodes as `xmlNs*`, so their element is the `parent` argument.
    private static let isVisible: xmlC14NIsVisibleCallback = { context, node, parent in
        guard let context, let node else { return 0 }
        let selection = context.assumingMemoryBound(to: Selection.self).pointee
        let isNamespace = UnsafeMutableRawPointer(node).assumingMemoryBound(to: xmlNs.self).pointee.type == XML_NAMESPACE_DECL
        var current: xmlNodePtr? = isNamespace ? parent : node
        while let here = current {
            if here == selection.excluded { return 0 }
            if here == selection.subtree { return 1 }
            current = here.pointee.parent
        }
        return 0
    }
}
