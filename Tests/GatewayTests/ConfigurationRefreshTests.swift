import AccordTesting
import Exchange
import Federation
import Foundation
import Gateway
import Storage
import Synchronization
import Testing

/// Nodes fetch the hub's signed configuration again while running: a newer serial takes effect
/// (a new agreement), an older one and one signed by anyone but the hub are refused and the
/// configuration in force stays.
@Suite struct ConfigurationRefreshTests {
    final class Published: Sendable {
        let value: Mutex<SignedConfiguration?>
        init(_ value: SignedConfiguration) { self.value = Mutex(value) }
    }

    @Test func aNewerConfigurationTakesEffectAndNothingElseDoes() async throws {
        let federation = try LiveFederation(moroccoPort: try freePort())
        let hubSigner = federation.signers[LiveFederation.hubID]!
        var next = federation.configuration
        next.serial = 2
        next.agreements[0].messageTypes.append(.transferNotice)
        let published = Published(try SignedConfiguration.sign(federation.configuration, with: hubSigner))
        try await TestDatabase.sqlite.withStore { store, _ in
            var hub = HubService(state: await FederationState(trust: federation.trust, configuration: federation.configuration), store: SQLExchangeStore(store: store))
            hub.configurationPublisher = { published.value.withLock { $0 } }
            try await withFederationServer(identity: federation.tls[LiveFederation.hubID]!, trust: federation.trust, clientRoles: [.node], routes: hub.addRoutes) { port in
                let endpoint = FederationEndpoint(host: "127.0.0.1", port: port)
                let node = NodeService(
                    signer: federation.signers[LiveFederation.morocco]!,
                    state: await FederationState(trust: federation.trust, configuration: try await NodeService.fetchConfiguration(
                        client: try federation.client(LiveFederation.morocco), hub: endpoint, trust: federation.trust
                    )),
                    inbox: SQLExchangeStore(store: store), client: try federation.client(LiveFederation.morocco), hubEndpoint: endpoint
                )
                #expect(node.state.configuration.serial == 1)
                #expect(throws: FederationError.self) { try node.state.configuration.route(from: LiveFederation.morocco, to: LiveFederation.belgium, type: .transferNotice) }

                published.value.withLock { $0 = try? SignedConfiguration.sign(next, with: hubSigner) }
                try await node.refreshConfiguration()
                #expect(node.state.configuration.serial == 2)
                #expect(try node.state.configuration.route(from: LiveFederation.morocco, to: LiveFederation.belgium, type: .transferNotice) != nil)

                published.value.withLock { $0 = try? SignedConfiguration.sign(federation.configuration, with: hubSigner) }
                await #expect(throws: GatewayError.self) { try await node.refreshConfiguration() }
                var forged = next
                forged.serial = 3
                published.value.withLock { $0 = try? SignedConfiguration.sign(forged, with: federation.signers[LiveFederation.belgium]!) }
                await #expect(throws: (any Error).self) { try await node.refreshConfiguration() }
                #expect(node.state.configuration.serial == 2)
            }
        }
    }
}
