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

    public init(_ trust: FederationTrust, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.state = Mutex(trust)
        self.clock = clock
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
