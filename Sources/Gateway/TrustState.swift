public import Federation
public import Foundation
import Synchronization
public import X509

/// The federation trust a running hub or node applies right now. The CRL is replaced on a
/// schedule (`reload`); every handshake reads the current value, so a revocation takes effect
/// for the next connection without a restart.
public final class TrustState: Sendable {
    private let state: Mutex<FederationTrust>
    public let clock: @Sendable () -> Date
    /// Peers verified since the CRL in force was installed, until the earlier of the
    /// certificate's and the CRL's end: a kept-alive connection is re-checked per request
    /// without a full path validation each time.
    private let rechecked = Mutex<(crl: Int?, peers: [[UInt8]: (identity: FederationIdentity, until: Date)])>((nil, [:]))

    public init(_ trust: FederationTrust, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.state = Mutex(trust)
        self.clock = clock
    }

    /// Verifies a connected peer's certificate again under the trust in force now (revocation,
    /// validity, stale CRL), as every request on a kept-alive connection must.
    public func recheck(certificateDER der: [UInt8], roles: Set<CertificateRole>, purpose: ExtendedKeyUsage.Usage) async throws -> FederationIdentity {
        let trust = current
        let now = clock()
        let number = trust.revocationList?.number
        if let hit = rechecked.withLock({ cache in cache.crl == number ? cache.peers[der] : nil }), hit.until > now { return hit.identity }
        let certificate = try Certificate(derEncoded: der)
        let identity = try await trust.verify(chain: [certificate], roles: roles, purpose: purpose, at: now)
        let until = min(certificate.notValidAfter, trust.revocationList?.nextUpdate ?? now)
        rechecked.withLock { cache in
            if cache.crl != number || cache.peers.count > 10_000 { cache = (number, [:]) }
            cache.peers[der] = (identity, until)
        }
        return identity
    }

    public var current: FederationTrust { state.withLock { $0 } }

    /// Installs a newer CRL. Refuses one not signed by the federation CA or older than the current.
    public func update(revocationList: RevocationList) throws {
        let next = try FederationTrust(authority: current.authority, revocationList: revocationList)
        try state.withLock { trust in
            if let existing = trust.revocationList, existing.number > revocationList.number {
                throw GatewayError.staleUpdate("CRL number \(revocationList.number) is older than the loaded \(existing.number)")
            }
            trust = next
        }
    }

    public func verify(chain: [Certificate], roles: Set<CertificateRole>, purpose: ExtendedKeyUsage.Usage) async throws -> FederationIdentity {
        try await current.verify(chain: chain, roles: roles, purpose: purpose, at: clock())
    }
}
