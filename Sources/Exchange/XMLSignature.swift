@preconcurrency import CLibXML2
import Crypto
import Foundation

/// Accord's one XML-DSig profile: an enveloped signature that is the last child of the signed
/// root element, with exactly one Reference to `#<root Id>`, transforms enveloped + exclusive
/// C14N, SHA-256 digest, ECDSA P-256/SHA-256 signature value as raw r‖s (XML-DSig 1.1), and a
/// KeyInfo holding the signer's certificate — which only names the key: the key itself comes
/// from the trust store.
public enum XMLSignature {
    public static let namespace = "http://www.w3.org/2000/09/xmldsig#"
    public static let excC14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
    public static let enveloped = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
    public static let ecdsaSHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
    public static let sha256 = "http://www.w3.org/2001/04/xmlenc#sha256"

    /// Signs a document whose root element carries an `Id` attribute and no signature. The
    /// signature is appended as the root's last child; nothing else of the input changes.
    public static func sign(_ unsigned: String, with signer: any MessageSigner, limits: XMLLimits = XMLLimits()) throws -> String {
        let document = try HardenedXML.parse(Array(unsigned.utf8), limits: limits)
        guard let root = document.root, let id = root.attribute("Id"), !id.isEmpty else {
            throw ExchangeError.signatureLayout("the root element has no Id attribute")
        }
        let digest = Data(SHA256.hash(data: try ExclusiveCanonicalizer.canonicalize(document, subtree: root))).base64EncodedString()
        let signedInfo = """
            <ds:SignedInfo><ds:CanonicalizationMethod Algorithm="\(excC14N)"/><ds:SignatureMethod Algorithm="\(ecdsaSHA256)"/>\
            <ds:Reference URI="#\(id)"><ds:Transforms><ds:Transform Algorithm="\(enveloped)"/><ds:Transform Algorithm="\(excC14N)"/></ds:Transforms>\
            <ds:DigestMethod Algorithm="\(sha256)"/><ds:DigestValue>\(digest)</ds:DigestValue></ds:Reference></ds:SignedInfo>
            """
        let certificate = Data(signer.certificateDER).base64EncodedString()
        let placeholder = "<ds:SignatureValue></ds:SignatureValue>"
        let signature = """
            <ds:Signature xmlns:ds="\(namespace)">\(signedInfo)\(placeholder)\
            <ds:KeyInfo><ds:X509Data><ds:X509Certificate>\(certificate)</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>
            """
        guard let close = unsigned.range(of: "</", options: .backwards) else { throw ExchangeError.signatureLayout("no closing tag") }
        let withSignature = unsigned[..<close.lowerBound] + signature + unsigned[close.lowerBound...]
        let signedDocument = try HardenedXML.parse(Array(withSignature.utf8), limits: limits)
        guard let signatureElement = signedDocument.root?.elementChildren.last,
              let signedInfoElement = signatureElement.elementChildren.first else { throw ExchangeError.signatureLayout("signature not in place") }
        let value = Data(try signer.sign(ExclusiveCanonicalizer.canonicalize(signedDocument, subtree: signedInfoElement))).base64EncodedString()
        return withSignature.replacingOccurrences(of: placeholder, with: "<ds:SignatureValue>\(value)</ds:SignatureValue>")
    }

    /// Verifies `bytes` against the profile and the trust store. Business code receives only the
    /// verified root element (inside `VerifiedXML`), never the raw document.
    public static func verify(_ bytes: [UInt8], trust: any SignerTrustStore, limits: XMLLimits = XMLLimits()) throws(ExchangeError) -> VerifiedXML {
        let document = try HardenedXML.parse(bytes, limits: limits)
        guard let root = document.root else { throw .xmlMalformed("no root element") }
        let nodes = [root] + root.descendants
        if document.document.pointee.children.map({ Array(sequence(first: $0) { $0.pointee.next }) })?
            .contains(where: { $0.pointee.type == XML_COMMENT_NODE || $0.pointee.type == XML_PI_NODE }) == true
            || nodes.contains(where: { $0.pointee.type == XML_COMMENT_NODE || $0.pointee.type == XML_PI_NODE }) {
            throw .commentInSignedContent
        }
        guard let rootID = root.attribute("Id"), !rootID.isEmpty else { throw .signatureLayout("the root element has no Id attribute") }
        var seen: Set<String> = []
        for element in nodes where element.isElement {
            for name in element.attributeNames where ["id", "Id", "ID"].contains(name) {
                guard let value = element.attribute(name), seen.insert(value).inserted else { throw .duplicateID(element.attribute(name) ?? "") }
            }
        }
        let signatures = nodes.filter { $0.isElement && $0.localName == "Signature" && $0.namespaceURI == namespace }
        guard !signatures.isEmpty else { throw .signatureMissing }
        guard signatures.count == 1, let signature = signatures.first else { throw .signatureLayout("more than one Signature element") }
        guard signature.pointee.parent == root, root.elementChildren.last == signature else {
            throw .signatureLayout("the Signature must be the last child of the signed root element")
        }
        let layout = try Layout(signature: signature, rootID: rootID)
        guard let signer = trust.signer(fingerprint: CertificateFingerprint(der: layout.certificate)) else {
            throw .unknownSigner("the certificate in KeyInfo (sha256 \(CertificateFingerprint(der: layout.certificate).hex.prefix(16))…)")
        }
        let digest = Array(SHA256.hash(data: try ExclusiveCanonicalizer.canonicalize(document, subtree: root, excluding: signature)))
        guard digest == layout.digest else { throw .digestMismatch }
        let signedInfo = try ExclusiveCanonicalizer.canonicalize(document, subtree: layout.signedInfo)
        guard ECDSAP256.verify(signature: layout.signatureValue, message: signedInfo, key: signer.publicKey) else { throw .signatureInvalid }
        return VerifiedXML(document: document, root: root, signature: signature, signer: signer, digest: digest)
    }

    /// The parts of a Signature element, checked element by element against the profile.
    private struct Layout {
        let signedInfo: xmlNodePtr
        let digest: [UInt8]
        let signatureValue: [UInt8]
        let certificate: [UInt8]

        init(signature: xmlNodePtr, rootID: String) throws(ExchangeError) {
            let parts = try Layout.children(of: signature, ["SignedInfo", "SignatureValue", "KeyInfo"])
            let info = try Layout.children(of: parts[0], ["CanonicalizationMethod", "SignatureMethod", "Reference"])
            try Layout.algorithm(info[0], XMLSignature.excC14N)
            try Layout.algorithm(info[1], XMLSignature.ecdsaSHA256)
            let reference = info[2]
            guard reference.attributeNames.allSatisfy({ $0 == "URI" }), reference.attribute("URI") == "#\(rootID)" else {
                throw .signatureLayout("the Reference must point to #\(rootID) and carry only a URI")
            }
            let referenceParts = try Layout.children(of: reference, ["Transforms", "DigestMethod", "DigestValue"])
            let transforms = try Layout.children(of: referenceParts[0], ["Transform", "Transform"])
            try Layout.algorithm(transforms[0], XMLSignature.enveloped)
            try Layout.algorithm(transforms[1], XMLSignature.excC14N)
            try Layout.algorithm(referenceParts[1], XMLSignature.sha256)
            let keyInfo = try Layout.children(of: parts[2], ["X509Data"])
            let certificate = try Layout.children(of: keyInfo[0], ["X509Certificate"])
            signedInfo = parts[0]
            digest = try Layout.base64(referenceParts[2], length: 32)
            signatureValue = try Layout.base64(parts[1], length: 64)
            self.certificate = try Layout.base64(certificate[0], length: nil)
        }

        /// The element children must be exactly `names`, in that order, all in the ds namespace,
        /// with nothing but whitespace between them.
        static func children(of element: xmlNodePtr, _ names: [String]) throws(ExchangeError) -> [xmlNodePtr] {
            let children = element.elementChildren
            guard children.map(\.localName) == names, children.allSatisfy({ $0.namespaceURI == XMLSignature.namespace }), !element.hasMixedContent else {
                throw .signatureLayout("\(element.localName) must contain exactly \(names.joined(separator: ", "))")
            }
            return children
        }

        static func algorithm(_ element: xmlNodePtr, _ expected: String) throws(ExchangeError) {
            guard element.attribute("Algorithm") == expected, element.attributeNames == ["Algorithm"], element.children.isEmpty else {
                throw .signatureLayout("\(element.localName) must be exactly \(expected)")
            }
        }

        static func base64(_ element: xmlNodePtr, length: Int?) throws(ExchangeError) -> [UInt8] {
            guard element.elementChildren.isEmpty, element.attributeNames.isEmpty,
                  let data = Data(base64Encoded: element.text.filter { !$0.isWhitespace }), length == nil || data.count == length else {
                throw .signatureLayout("\(element.localName) must hold \(length.map { "\($0) bytes" } ?? "data") in base64")
            }
            return Array(data)
        }
    }
}

/// A document whose signature verified. Exposes only the signed root element and who signed it.
/// The document is never mutated after verification, so sharing it across tasks is safe.
public struct VerifiedXML: @unchecked Sendable {
    let document: ParsedXML
    let root: xmlNodePtr
    let signature: xmlNodePtr
    public let signer: TrustedSigner
    /// SHA-256 of the canonical signed content.
    public let digest: [UInt8]

    /// The verified root element, without its Signature.
    public var element: XMLElementView { XMLElementView(document: document, node: root, hidden: signature) }
}

/// A read-only view of a verified element: names, attributes, child elements and text.
public struct XMLElementView: @unchecked Sendable {
    let document: ParsedXML
    let node: xmlNodePtr
    let hidden: xmlNodePtr?

    public var name: String { node.localName }
    public var namespaceURI: String? { node.namespaceURI }
    public func attribute(_ name: String) -> String? { node.attribute(name) }
    /// Names of the element's attributes (namespace declarations are not attributes).
    public var attributeNames: [String] { node.attributeNames }
    public var text: String { node.text }
    /// True when the element has text other than whitespace directly inside it.
    public var hasText: Bool { node.hasMixedContent }

    public var children: [XMLElementView] {
        node.elementChildren.filter { $0 != hidden }.map { XMLElementView(document: document, node: $0, hidden: hidden) }
    }

    public func child(_ name: String) -> XMLElementView? { children.first { $0.name == name } }
    public func children(_ name: String) -> [XMLElementView] { children.filter { $0.name == name } }
}
