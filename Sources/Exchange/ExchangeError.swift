public import AccordCore

/// The one error type of the Exchange module. Every refusal of an inbound message has its own
/// stable code, so partners can tell exactly what was wrong.
public struct ExchangeError: AccordError, Equatable {
    public let code: String
    public let reason: String
    public let category: ErrorCategory
    /// Where in the document the problem is, when known (the member's path).
    public let diagnostics: [Diagnostic]

    public init(code: String, reason: String, category: ErrorCategory = .invalidInput, diagnostics: [Diagnostic] = []) {
        self.code = code
        self.reason = reason
        self.category = category
        self.diagnostics = diagnostics
    }


    // Hardened parsing
    static func xmlTooLarge(_ limit: Int) -> Self { .init(code: "exchange.xml_too_large", reason: "the XML document is larger than \(limit) bytes", category: .payloadTooLarge) }
    static func xmlTooManyAttributes(_ why: String) -> Self { .init(code: "exchange.xml_too_many_attributes", reason: "the XML document has too many attributes: \(why)") }
    static func xmlTooDeep(_ limit: Int) -> Self { .init(code: "exchange.xml_too_deep", reason: "the XML document nests deeper than \(limit) elements") }
    static let doctypeForbidden = Self(code: "exchange.xml_doctype_forbidden", reason: "DOCTYPE, entity and other markup declarations are not allowed")
    static func xmlMalformed(_ why: String) -> Self { .init(code: "exchange.xml_malformed", reason: "the XML document is not well-formed: \(why)") }
    static func encodingNotUTF8(_ encoding: String) -> Self { .init(code: "exchange.xml_encoding_unsupported", reason: "the XML encoding must be UTF-8, not \(encoding.prefix(20))") }
    static func jsonTooLarge(_ limit: Int) -> Self { .init(code: "exchange.json_too_large", reason: "the JSON document is larger than \(limit) bytes", category: .payloadTooLarge) }
    static func jsonTooDeep(_ limit: Int) -> Self { .init(code: "exchange.json_too_deep", reason: "the JSON document nests deeper than \(limit) levels") }
    static func jsonMalformed(_ why: String) -> Self { .init(code: "exchange.json_malformed", reason: "the JSON document is not valid: \(why)") }
    static func jsonDuplicateKey(_ key: String, path: String) -> Self {
        .init(code: "exchange.json_duplicate_key", reason: "the JSON object has the key '\(key.prefix(40))' twice (\(path.prefix(200)))",
              diagnostics: [Diagnostic(code: "exchange.json_duplicate_key", message: "this member appears twice", path: String(path.prefix(200)))])
    }

    // XML-DSig
    static let signatureMissing = Self(code: "exchange.signature_missing", reason: "the message carries no signature")
    static func signatureLayout(_ why: String) -> Self { .init(code: "exchange.signature_layout", reason: "the signature does not follow Accord's signature profile: \(why)") }
    static func duplicateID(_ id: String) -> Self { .init(code: "exchange.duplicate_id", reason: "the Id '\(id.prefix(60))' occurs more than once") }
    static let commentInSignedContent = Self(code: "exchange.comment_in_signed_content", reason: "comments and processing instructions are not allowed in signed messages")
    static let digestMismatch = Self(code: "exchange.digest_mismatch", reason: "the signed content was changed after signing")
    static let signatureInvalid = Self(code: "exchange.signature_invalid", reason: "the signature does not verify with the sender's trusted key")
    static func unknownSigner(_ who: String) -> Self { .init(code: "exchange.unknown_signer", reason: "no trusted signing certificate for \(who.prefix(100))", category: .forbidden) }
    static func signerMismatch(_ why: String) -> Self { .init(code: "exchange.signer_mismatch", reason: why, category: .forbidden) }

    // JWS
    static func jwsMalformed(_ why: String) -> Self { .init(code: "exchange.jws_malformed", reason: "the JWS is malformed: \(why)") }
    static func jwsAlgorithmForbidden(_ algorithm: String) -> Self { .init(code: "exchange.jws_algorithm_forbidden", reason: "JWS algorithm '\(algorithm.prefix(20))' is not accepted; only ES256") }
    static func jwsHeaderForbidden(_ name: String) -> Self { .init(code: "exchange.jws_header_forbidden", reason: "JWS header parameter '\(name)' is not accepted") }
    static func jwsCritUnsupported(_ names: String) -> Self { .init(code: "exchange.jws_crit_unsupported", reason: "JWS critical extensions are not supported: \(names.prefix(60))") }

    // Messages
    static func envelopeInvalid(_ why: String) -> Self { .init(code: "exchange.envelope_invalid", reason: why) }
    static func messageExpired(_ id: String) -> Self { .init(code: "exchange.message_expired", reason: "message \(id) has expired") }
    static func unknownMessageType(_ type: String) -> Self { .init(code: "exchange.unknown_message_type", reason: "unknown message type '\(type.prefix(60))'") }
}
