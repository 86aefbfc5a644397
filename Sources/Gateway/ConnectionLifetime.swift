public import Federation
public import Hummingbird
public import HummingbirdCore
import HTTPTypes
import NIOCore
import NIOHTTPTypes
import NIOSSL
import X509

/// How long a federation connection may live: closed after `idleTimeout` without a request, and
/// after `maximumAge` at the end of the answer in progress, so that every peer handshakes again
/// (and is checked against the CRL in force) at least that often.
public struct ConnectionLifetimeConfiguration: Sendable, Equatable {
    public var idleTimeout: Duration
    public var maximumAge: Duration

    public init(idleTimeout: Duration = .seconds(60), maximumAge: Duration = .seconds(600)) {
        self.idleTimeout = idleTimeout
        self.maximumAge = maximumAge
    }
}

/// Asks the connection to quiesce once it reaches its maximum age, or when an answer says
/// `Connection: close`: Hummingbird's connection state handler (after this one in the pipeline)
/// then closes it as soon as the answer in progress is written, or at once when idle.
final class ConnectionLifetimeHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let maximumAge: TimeAmount
    private var timer: Scheduled<Void>?
    private var quiescing = false

    init(maximumAge: Duration) {
        self.maximumAge = TimeAmount(maximumAge)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { schedule(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        schedule(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .head(let head) = unwrapOutboundIn(data), head.headerFields[.connection] == "close" { quiesce(context) }
        context.write(data, promise: promise)
    }

    private func schedule(_ context: ChannelHandlerContext) {
        guard timer == nil else { return }
        timer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: maximumAge) { [self] in
            self.quiesce(context)
        }
    }

    private func quiesce(_ context: ChannelHandlerContext) {
        guard !quiescing else { return }
        quiescing = true
        context.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
    }
}

/// Re-checks the TLS client certificate of every request against the trust in force, so that a
/// participant revoked after its handshake is refused at its next request on a kept-alive
/// connection (`federation.certificate_rejected`, 403), and the connection closed after that answer.
public struct PeerRecheckMiddleware: RouterMiddleware {
    public typealias Context = FederationRequestContext
    let trust: TrustState
    let roles: Set<CertificateRole>

    public init(trust: TrustState, roles: Set<CertificateRole>) {
        self.trust = trust
        self.roles = roles
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            guard let certificate = try await context.channel.nioSSL_peerCertificate().get() else {
                throw GatewayError.peerUnverified("the connection has no client certificate")
            }
            _ = try await trust.recheck(certificateDER: certificate.toDERBytes(), roles: roles, purpose: .clientAuth)
        } catch {
            var response = FederationResponses.error(error)
            response.headers[.connection] = "close"
            return response
        }
        return try await next(request, context)
    }
}

extension HTTP1Channel.Configuration {
    /// The federation port's HTTP/1.1 settings: idle timeout and maximum connection age.
    public static func federation(_ lifetime: ConnectionLifetimeConfiguration) -> HTTP1Channel.Configuration {
        HTTP1Channel.Configuration(additionalChannelHandlers: [ConnectionLifetimeHandler(maximumAge: lifetime.maximumAge)], idleTimeout: TimeAmount(lifetime.idleTimeout))
    }
}
