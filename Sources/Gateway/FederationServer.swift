public import Federation
public import Hummingbird
public import HummingbirdCore
public import HummingbirdTLS
public import Logging

/// The federation port as every hub and node runs it (and the tests with them): mutual TLS with
/// our own verification, every request re-checked against the trust in force, idle timeout and
/// maximum connection age.
public enum FederationServer {
    /// A router whose routes all pass the per-request certificate re-check; `/health` answers `ok`.
    public static func router(trust: TrustState, clientRoles: Set<CertificateRole>) -> Router<FederationRequestContext> {
        let router = Router(context: FederationRequestContext.self)
        router.add(middleware: PeerRecheckMiddleware(trust: trust, roles: clientRoles))
        router.get("health") { _, _ in "ok" }
        return router
    }

    /// The HTTP/1.1-over-TLS server of the federation port.
    public static func server(
        identity: TLSIdentity, trust: TrustState, clientRoles: Set<CertificateRole>, lifetime: ConnectionLifetimeConfiguration = ConnectionLifetimeConfiguration()
    ) throws -> HTTPServerBuilder {
        try .tls(.http1(configuration: .federation(lifetime)), configuration: MutualTLS.server(identity: identity, trust: trust, clientRoles: clientRoles))
    }
}
