public import Exchange
public import Federation
import Synchronization

/// The hub's signed federation configuration as published right now: the installed
/// configuration with only the signer certificates that the trust in force accepts, signed again
/// whenever that list changes (a revocation or an expiry), otherwise served from the last signing.
public final class ConfigurationPublisher: Sendable {
    let state: FederationState
    let signer: any MessageSigner
    private let last = Mutex<(configuration: FederationConfiguration, signed: SignedConfiguration)?>(nil)

    public init(state: FederationState, signer: any MessageSigner) {
        self.state = state
        self.signer = signer
    }

    public func current() throws -> SignedConfiguration {
        let published = state.publishedConfiguration
        if let cached = last.withLock({ $0 }), cached.configuration == published { return cached.signed }
        let signed = try SignedConfiguration.sign(published, with: signer)
        last.withLock { $0 = (published, signed) }
        return signed
    }
}
