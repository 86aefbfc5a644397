import AccordTesting
import Exchange
import Foundation
import Testing

@Suite struct XMLSignatureTests {
    static let pki = try! TestPKI()
    static let sender = try! pki.identity("BEL-DOFI")
    static let other = try! pki.identity("MAR-INTERIOR")
    static let trust = InMemoryTrustStore([sender.trusted, other.trusted])

    static func signed(_ id: String = "m-1") throws -> String {
        var random = RandomXML()
        return try XMLSignature.sign(random.message(id: id), with: sender.signer)
    }

    func code(_ text: String) -> String? {
        do {
            _ = try XMLSignature.verify(Array(text.utf8), trust: Self.trust)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func aSignedMessageVerifiesAndNamesItsSigner() throws {
        let text = try Self.signed()
        let verified = try XMLSignature.verify(Array(text.utf8), trust: Self.trust)
        #expect(verified.signer.participant == Self.sender.participant)
        #expect(verified.element.name == "Message")
        #expect(verified.element.children.map(\.name) == ["Header", "Body"])
        #expect(verified.element.child("Header")?.child("MessageID")?.text == "m-1")
    }

    @Test func randomDocumentsRoundTrip() throws {
        var random = RandomXML()
        for index in 0..<200 {
            let text = try XMLSignature.sign(random.message(id: "m-\(index)"), with: Self.sender.signer)
            #expect(code(text) == nil, "\(text)")
        }
    }

    @Test func anUntrustedSignerIsRefusedEvenWithAValidSignature() throws {
        let attacker = try TestPKI(name: "Attacker CA").identity("BEL-DOFI")
        var random = RandomXML()
        let text = try XMLSignature.sign(random.message(id: "m-1"), with: attacker.signer)
        #expect(code(text) == "exchange.unknown_signer")
    }

    @Test func aTrustedCertificateInKeyInfoDoesNotLendItsKey() throws {
        // The attacker signs with its own key but names another participant's trusted certificate.
        let attacker = try TestPKI(name: "Attacker CA").identity("BEL-DOFI")
        var random = RandomXML()
        let forged = try XMLSignature.sign(random.message(id: "m-1"), with: attacker.signer)
        let attackerCertificate = Data(attacker.signer.certificateDER).base64EncodedString()
        let trustedCertificate = Data(Self.sender.signer.certificateDER).base64EncodedString()
        #expect(code(forged.replacingOccurrences(of: attackerCertificate, with: trustedCertificate)) == "exchange.signature_invalid")
    }

    @Test func signatureWrappingLayoutsAreRefused() throws {
        let text = try Self.signed("m-1")
        let signatureStart = try #require(text.range(of: "<ds:Signature"))
        let signature = String(text[signatureStart.lowerBound..<text.range(of: "</ds:Signature>")!.upperBound])
        let unsignedPart = text.replacingOccurrences(of: signature, with: "")
        let evil = "<acc:Body><acc:Decision>accept</acc:Decision></acc:Body>"

        // Evil wrapper: a new root around the original signed message.
        let wrapper = "<acc:Message xmlns:acc=\"urn:accord:exchange:1\" Id=\"evil\">\(evil)\(text.replacingOccurrences(of: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", with: ""))</acc:Message>"
        #expect(code(wrapper) == "exchange.signature_layout")
        // The same with the wrapper claiming the original Id.
        #expect(code(wrapper.replacingOccurrences(of: "Id=\"evil\"", with: "Id=\"m-1\"")) == "exchange.duplicate_id")
        // Evil sibling: extra content next to the signed body.
        #expect(code(text.replacingOccurrences(of: "<acc:Body>", with: "\(evil)<acc:Body>")) == "exchange.digest_mismatch")
        // Original copied inside Signature/Object, root content replaced.
        let withObject = text.replacingOccurrences(of: "</ds:KeyInfo>", with: "</ds:KeyInfo><ds:Object>\(unsignedPart.replacingOccurrences(of: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", with: ""))</ds:Object>")
        #expect(["exchange.signature_layout", "exchange.duplicate_id"].contains(code(withObject)))
        // Duplicate Id elsewhere in the document.
        #expect(code(text.replacingOccurrences(of: "<acc:Header>", with: "<acc:Header><acc:Extra Id=\"m-1\"/>")) == "exchange.duplicate_id")
        // Stripped signature.
        #expect(code(unsignedPart) == "exchange.signature_missing")
        // Two signatures.
        #expect(code(text.replacingOccurrences(of: "</ds:Signature>", with: "</ds:Signature>\(signature)")) == "exchange.signature_layout")
        // Signature not last.
        #expect(code(text.replacingOccurrences(of: "</ds:Signature>", with: "</ds:Signature><acc:Trailer/>")) == "exchange.signature_layout")
        // Reference to something else.
        #expect(code(text.replacingOccurrences(of: "URI=\"#m-1\"", with: "URI=\"\"")) == "exchange.signature_layout")
        // Weaker or extra transforms.
        #expect(code(text.replacingOccurrences(of: "<ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>", with: "<ds:Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xpath-19991116\"/>")) == "exchange.signature_layout")
        // Comment split inside signed text.
        #expect(code(text.replacingOccurrences(of: "<acc:MessageID>m-", with: "<acc:MessageID>m<!---->-")) == "exchange.comment_in_signed_content")
    }

    @Test func tamperingAnyByteNeverYieldsAcceptedChangedContent() throws {
        let text = try Self.signed("m-7")
        let bytes = Array(text.utf8)
        let original = try XMLSignature.verify(bytes, trust: Self.trust).digest
        var refused = 0
        for index in bytes.indices {
            var mutated = bytes
            mutated[index] ^= 0x01
            if let verified = try? XMLSignature.verify(mutated, trust: Self.trust) {
                // Only changes that leave the canonical signed content identical may pass.
                #expect(verified.digest == original, "byte \(index) changed content but verified")
            } else {
                refused += 1
            }
        }
        #expect(refused > bytes.count * 9 / 10)
    }
}

@Suite struct HostileXMLTests {
    func code(_ text: String, limits: XMLLimits = XMLLimits()) -> String? {
        do {
            _ = try HardenedXML.parse(Array(text.utf8), limits: limits)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func externalEntitiesAndEntityBombsAreRefusedBeforeParsing() {
        let xxe = #"<?xml version="1.0"?><!DOCTYPE m [<!ENTITY e SYSTEM "file:///etc/passwd">]><m>&e;</m>"#
        #expect(code(xxe) == "exchange.xml_doctype_forbidden")
        var laughs = #"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">"#
        for level in 1...9 { laughs += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1 == 0 ? "" : String(level - 1));", count: 10) + "\">" }
        laughs += "]><lolz>&lol9;</lolz>"
        let started = ContinuousClock.now
        #expect(code(laughs) == "exchange.xml_doctype_forbidden")
        let quadratic = "<!DOCTYPE q [<!ENTITY a \"" + String(repeating: "a", count: 50_000) + "\">]><q>" + String(repeating: "&a;", count: 10_000) + "</q>"
        #expect(code(quadratic) == "exchange.xml_doctype_forbidden")
        #expect(code("<!DOCTYPE m SYSTEM \"http://127.0.0.1:1/x.dtd\"><m/>") == "exchange.xml_doctype_forbidden")
        #expect(started.duration(to: .now) < .seconds(2))
    }

    /// libxml2 2.9.14's duplicate-attribute check is quadratic: attributes and namespace
    /// declarations are counted before it runs (the time is a row of `accord bench sign`).
    @Test func attributeFloodsAreRefusedBeforeParsing() {
        let flood = "<m " + (0..<90_000).map { "a\($0)=\"\"" }.joined(separator: " ") + "/>"
        #expect(flood.utf8.count <= 1 << 20)
        #expect(code(flood) == "exchange.xml_too_many_attributes")
        let perElement = "<m " + (0..<33).map { "a\($0)='1'" }.joined(separator: " ") + "/>"
        #expect(code(perElement) == "exchange.xml_too_many_attributes")
        #expect(code("<m " + (0..<32).map { "a\($0)='1'" }.joined(separator: " ") + "/>") == nil)
        let namespaces = "<m " + (0..<9).map { "xmlns:n\($0)=\"urn:\($0)\"" }.joined(separator: " ") + "/>"
        #expect(code(namespaces) == "exchange.xml_too_many_attributes")
        let spread = "<m>" + String(repeating: "<e " + (0..<30).map { "a\($0)='1'" }.joined(separator: " ") + "/>", count: 300) + "</m>"
        #expect(code(spread) == "exchange.xml_too_many_attributes")  // 9,000 in total
        let spreadNamespaces = "<m>" + String(repeating: "<e xmlns:a='urn:a' xmlns:b='urn:b'/>", count: 200) + "</m>"
        #expect(code(spreadNamespaces) == "exchange.xml_too_many_attributes")
        // Quotes, '=' and '>' inside values, comments, CDATA and processing instructions are not attributes.
        let tricky = "<?pi a=1 b=2?><m a=\"x=y>z\" b='=\"='><!-- c=1 d=2 --><![CDATA[e=1 f=2]]>" + String(repeating: "<n x='1'/>", count: 10) + "</m>"
        #expect(code(tricky) == nil)
        #expect(code(tricky, limits: XMLLimits(maximumAttributes: 11)) == "exchange.xml_too_many_attributes")
        #expect(code(tricky, limits: XMLLimits(maximumAttributes: 12)) == nil)
    }

    @Test func sizeDepthAndEncodingAreCapped() {
        let deep = String(repeating: "<a>", count: 10_000) + String(repeating: "</a>", count: 10_000)
        #expect(code(deep) == "exchange.xml_too_deep")
        let nested = String(repeating: "<a>", count: 70) + String(repeating: "</a>", count: 70)
        #expect(code(nested) == "exchange.xml_too_deep")
        #expect(code("<m>" + String(repeating: "x", count: 2 << 20) + "</m>") == "exchange.xml_too_large")
        #expect(code("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><m/>") == "exchange.xml_encoding_unsupported")
        #expect(code("<m><unclosed></m>") == "exchange.xml_malformed")
        #expect(code("") == "exchange.xml_malformed")
        #expect(code("<m>fine</m>") == nil)
        #expect(code("<m><!-- comment --><![CDATA[ok]]></m>") == nil)
    }
}
