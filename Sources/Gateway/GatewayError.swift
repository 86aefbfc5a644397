public import AccordCore

/// The one error type of the Gateway module: TLS, transport and delivery.
public struct GatewayError: AccordError, Equatable {
    public let code: String
    public let reason: String
    public let category: ErrorCategory

    public init(code: String, reason: String, category: ErrorCategory = .unavailable) {
        self.code = code
        self.reason = reason
        self.category = category
    }

    static func staleUpdate(_ why: String) -> Self { .init(code: "gateway.stale_update", reason: why, category: .conflict) }
    static func tlsMaterial(_ why: String) -> Self { .init(code: "gateway.tls_material", reason: why, category: .invalidInput) }
    static let payloadTooLarge = GatewayError(code: "gateway.payload_too_large", reason: "the request body is larger than the federation port's limit (2 MiB)", category: .payloadTooLarge)
    static func peerUnverified(_ why: String) -> Self { .init(code: "gateway.peer_unverified", reason: why, category: .unauthorized) }
    static func transport(_ why: String) -> Self { .init(code: "gateway.transport", reason: why) }
}
