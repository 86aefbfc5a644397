import AccordTesting
import Exchange
import Foundation
import Testing

/// What we sign verifies with xmlsec1 (with a real chain check against the federation CA), and
/// what xmlsec1 signs in our layout verifies in Accord.
@Suite(.enabled(if: ExternalTool.available("xmlsec1"))) struct XMLSecInteropTests {
    static let idAttribute = "--id-attr:Id"
    static let idNode = "urn:accord:exchange:1:Message"

    @Test func xmlsec1VerifiesWhatAccordSigns() throws {
        let pki = try TestPKI()
        let sender = try pki.identity("BEL-DOFI")
        let directory = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try pki.caPEM.write(to: directory.appendingPathComponent("ca.pem"), atomically: true, encoding: .utf8)
        var random = RandomXML()
        var files: [String] = []
        for index in 0..<200 {
            let signed = try XMLSignature.sign(random.message(id: "m-\(index)"), with: sender.signer)
            let file = "m-\(index).xml"
            try signed.write(to: directory.appendingPathComponent(file), atomically: true, encoding: .utf8)
            files.append(file)
        }
        for file in files {
            let result = try ExternalTool.run("xmlsec1", ["--verify", "--trusted-pem", "ca.pem", Self.idAttribute, Self.idNode, file], in: directory)
            #expect(result.status == 0, "\(file): \(result.errors.suffix(400))")
        }
        // And xmlsec1 refuses a tampered one.
        let tampered = try String(contentsOf: directory.appendingPathComponent(files[0]), encoding: .utf8).replacingOccurrences(of: "<acc:MessageID>m-0", with: "<acc:MessageID>m-X")
        try tampered.write(to: directory.appendingPathComponent("tampered.xml"), atomically: true, encoding: .utf8)
        #expect(try ExternalTool.run("xmlsec1", ["--verify", "--trusted-pem", "ca.pem", Self.idAttribute, Self.idNode, "tampered.xml"], in: directory).status != 0)
    }

    @Test func accordVerifiesWhatXmlsec1Signs() throws {
        let pki = try TestPKI()
        let sender = try pki.identity("BEL-DOFI")
        let trust = InMemoryTrustStore([sender.trusted])
        let directory = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try sender.keyPEM.write(to: directory.appendingPathComponent("key.pem"), atomically: true, encoding: .utf8)
        try sender.certificatePEM.write(to: directory.appendingPathComponent("cert.pem"), atomically: true, encoding: .utf8)
        var random = RandomXML()
        for index in 0..<200 {
            let unsigned = random.message(id: "x-\(index)")
            let template = unsigned.replacingOccurrences(of: "</acc:Message>", with: Self.template(id: "x-\(index)") + "</acc:Message>")
            try template.write(to: directory.appendingPathComponent("t.xml"), atomically: true, encoding: .utf8)
            let result = try ExternalTool.run("xmlsec1", ["--sign", "--privkey-pem", "key.pem,cert.pem", Self.idAttribute, Self.idNode, "--output", "s.xml", "t.xml"], in: directory)
            try #require(result.status == 0, "\(result.errors.suffix(400))")
            let signed = try Data(contentsOf: directory.appendingPathComponent("s.xml"))
            let verified = try XMLSignature.verify(Array(signed), trust: trust)
            #expect(verified.element.child("Header")?.child("MessageID")?.text == "x-\(index)")
        }
    }

    static func template(id: String) -> String {
        """
        <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>\
        <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>\
        <ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"/>\
        <ds:Reference URI="#\(id)"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>\
        <ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>\
        <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue></ds:DigestValue></ds:Reference>\
        </ds:SignedInfo><ds:SignatureValue></ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate></ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>
        """
    }
}
