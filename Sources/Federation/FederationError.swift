public import AccordCore

/// The one error type of the Federation module: PKI, certificate paths, participants,
/// agreements and the federation configuration.
public struct FederationError: AccordError, Equatable {
    public let code: String
    public let reason: String
    public let category: ErrorCategory

    public init(code: String, reason: String, category: ErrorCategory = .invalidInput) {
        self.code = code
        self.reason = reason
        self.category = category
    }

    // Certificates and revocation
    static func certificateRejected(_ why: String) -> Self { .init(code: "federation.certificate_rejected", reason: why, category: .forbidden) }
    static func crlInvalid(_ why: String) -> Self { .init(code: "federation.crl_invalid", reason: "the certificate revocation list is not valid: \(why)") }
    static func crlStale(_ why: String) -> Self { .init(code: "federation.crl_stale", reason: why, category: .unavailable) }
    static func pkiInvalid(_ why: String) -> Self { .init(code: "federation.pki_invalid", reason: why) }

    // Participants, agreements, configuration
    static func unknownParticipant(_ who: String) -> Self { .init(code: "federation.unknown_participant", reason: "\(who.prefix(60)) is not a participant of the federation", category: .forbidden) }
    static func configurationInvalid(_ why: String) -> Self { .init(code: "federation.configuration_invalid", reason: "the federation configuration is not valid: \(why)") }
    static func unknownAgreement(_ id: String) -> Self {
        .init(code: "federation.unknown_agreement", reason: "the message cites agreement '\(id.prefix(60))', which the federation configuration does not list", category: .forbidden)
    }
    static func agreementMismatch(_ why: String) -> Self { .init(code: "federation.agreement_mismatch", reason: why, category: .forbidden) }
    static func noAgreement(_ why: String) -> Self { .init(code: "federation.no_agreement", reason: why, category: .forbidden) }
    static func sharingBlocked(_ why: String) -> Self { .init(code: "federation.sharing_blocked", reason: why, category: .forbidden) }
    public static func senderMismatch(_ why: String) -> Self { .init(code: "federation.sender_mismatch", reason: why, category: .forbidden) }
}
