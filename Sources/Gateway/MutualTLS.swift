public import Federation
public import Exchange
import Foundation
import SwiftASN1
import Synchronization
public import HummingbirdTLS
public import NIOCore
public import NIOSSL
import X509

/// This installation's TLS identity: its certificate (hub or node role) and key.
public struct TLSIdentity: Sendable {
    public let certificate: NIOSSLCertificate
    public let key: NIOSSLPrivateKey

    public init(certificatePEM: String, keyPEM: String) throws {
        do {
            certificate = try NIOSSLCertificate(bytes: Array(certificatePEM.utf8), format: .pem)
            key = try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)
        } catch {
            throw GatewayError.tlsMaterial("cannot read the TLS certificate or key: \(error)")
        }
    }

    public init(certificateFile: String, keyFile: String) throws {
        try self.init(certificatePEM: String(contentsOfFile: certificateFile, encoding: .utf8), keyPEM: String(contentsOfFile: keyFile, encoding: .utf8))
    }
}

/// Mutual TLS between hub and nodes. TLS 1.3 only; BoringSSL's own chain check is replaced by a
/// custom verification callback that runs `FederationTrust` (federation CA only, no CA as leaf,
/// role key usage and EKU, validity, current CRL), so a bad certificate fails the handshake.
public enum MutualTLS {
    /// The server side: a client certificate is required and must verify for one of `clientRoles`.
    public static func server(identity: TLSIdentity, trust: TrustState, clientRoles: Set<CertificateRole>) throws -> TLSChannelConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: [.certificate(identity.certificate)], privateKey: .privateKey(identity.key))
        configuration.minimumTLSVersion = .tlsv13
        configuration.certificateVerification = .noHostnameVerification
        configuration.trustRoots = .certificates([try NIOSSLCertificate(bytes: trust.current.authority.derBytes(), format: .der)])
        return TLSChannelConfiguration(tlsConfiguration: configuration, customVerificationCallback: callback(trust: trust, roles: clientRoles, purpose: .clientAuth, expected: nil, seen: nil))
    }

    /// The client side's TLS context.
    public static func clientContext(identity: TLSIdentity, trust: TrustState) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv13
        configuration.certificateVerification = .noHostnameVerification
        configuration.trustRoots = .certificates([try NIOSSLCertificate(bytes: trust.current.authority.derBytes(), format: .der)])
        configuration.certificateChain = [.certificate(identity.certificate)]
        configuration.privateKey = .privateKey(identity.key)
        return try NIOSSLContext(configuration: configuration)
    }

    /// Verifies the peer's chain; `expected`, when given, is the participant the caller meant to
    /// reach. `seen` receives the verified identity.
    public static func callback(
        trust: TrustState, roles: Set<CertificateRole>, purpose: ExtendedKeyUsage.Usage, expected: ParticipantID?, seen: IdentityBox?
    ) -> @Sendable ([NIOSSLCertificate], EventLoopPromise<NIOSSLVerificationResult>) -> Void {
        { certificates, promise in
            let ders = certificates.compactMap { try? $0.toDERBytes() }
            Task {
                do {
                    let chain = try ders.map { try Certificate(derEncoded: $0) }
                    let identity = try await trust.verify(chain: chain, roles: roles, purpose: purpose)
                    if let expected, identity.participant != expected {
                        throw GatewayError.peerUnverified("connected to \(identity.participant), expected \(expected)")
                    }
                    seen?.set(identity)
                    promise.succeed(.certificateVerified)
                } catch {
                    seen?.fail(error)
                    promise.succeed(.failed)
                }
            }
        }
    }
}

/// Carries what the handshake's verification learned back to the connection's owner.
public final class IdentityBox: Sendable {
    private let state = Mutex<Result<FederationIdentity, any Error>?>(nil)

    public init() {}

    func set(_ identity: FederationIdentity) { state.withLock { $0 = .success(identity) } }
    func fail(_ error: any Error) { state.withLock { $0 = .failure(error) } }

    /// The verified peer, or the reason verification failed (nil before the handshake).
    public var result: Result<FederationIdentity, any Error>? { state.withLock { $0 } }
}
