public import Exchange
public import Federation
public import Foundation
import Synchronization

/// What a hub or node currently believes about the federation: the trust (CA and CRL), the
/// verified configuration and the message-signer trust store derived from it. Replaced as a
/// whole when a newer configuration or CRL arrives.
public final class FederationState: Sendable {
    public let trust: TrustState
    private let snapshot: Mutex<(FederationConfiguration, InMemoryTrustStore)>

    public init(trust: TrustState, configuration: FederationConfiguration) async {
        self.trust = trust
        let signers = await configuration.signerTrust(trust.current, at: trust.clock())
        self.snapshot = Mutex((configuration, signers))
    }

    public var configuration: FederationConfiguration { snapshot.withLock { $0.0 } }
    public var signers: InMemoryTrustStore { snapshot.withLock { $0.1 } }
    public var now: Date { trust.clock() }

    /// Derives the message-signer trust again from the installed configuration under the trust
    /// in force now: a signer revoked by a newer CRL, or past its validity, is dropped.
    public func refreshSigners() async {
        let configuration = self.configuration
        let signers = await configuration.signerTrust(trust.current, at: now)
        snapshot.withLock { current in
            if current.0.serial == configuration.serial && current.0.issuedAt == configuration.issuedAt { current.1 = signers }
        }
    }

    /// The configuration as the hub publishes it: each participant lists only the signer
    /// certificates that the trust in force accepts (revoked and expired ones are left out).
    public var publishedConfiguration: FederationConfiguration {
        let (configuration, signers) = snapshot.withLock { $0 }
        var published = configuration
        published.participants = configuration.participants.map { participant in
            var participant = participant
            participant.signerCertificates = participant.signerCertificates.filter { pem in
                guard let certificate = try? TrustedSigner(participant: participant.id, certificatePEM: pem) else { return false }
                return signers.signer(fingerprint: certificate.fingerprint)?.participant == participant.id
            }
            return participant
        }
        return published
    }

    /// Installs a verified configuration; an older serial is refused.
    public func install(_ configuration: FederationConfiguration) async throws {
        let signers = await configuration.signerTrust(trust.current, at: now)
        try snapshot.withLock { current in
            guard configuration.serial >= current.0.serial else {
                throw GatewayError.staleUpdate("configuration serial \(configuration.serial) is older than the installed \(current.0.serial)")
            }
            current = (configuration, signers)
        }
    }
}

/// Receipts whose idempotency the inbox table already guarantees: nothing to keep here.
struct TransientReceiptStore: ReceiptStore {
    func receipt(sender: ParticipantID, messageID: Message.ID) async throws -> [UInt8]? { nil }
    func store(_ receipt: [UInt8], sender: ParticipantID, messageID: Message.ID) async throws -> [UInt8] { receipt }
}
