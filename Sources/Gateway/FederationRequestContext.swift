public import Exchange
public import Federation
public import Hummingbird
public import NIOCore
import NIOSSL
import X509

/// The request context of the federation port (hub and node). The handshake already verified the
/// client certificate; `peer()` reads who it is from the channel.
public struct FederationRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    public var maxUploadSize: Int { 2 * 1024 * 1024 }

    /// The participant behind the TLS client certificate.
    public func peer() async throws -> FederationIdentity {
        guard let certificate = try await channel.nioSSL_peerCertificate().get() else {
            throw GatewayError.peerUnverified("the connection has no client certificate")
        }
        return try FederationIdentity(certificate: Certificate(derEncoded: certificate.toDERBytes()))
    }
}
