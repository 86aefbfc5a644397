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
                let refusal2 = await errorCode { try await node.refreshConfiguration() }
                #expect(refusal2 == "gateway.stale_update")
                var forged = next
                forged.serial = 3
                // A participant forging the hub's configuration: Belgium signs one naming the hub.
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                encoder.dateEncodingStrategy = Timestamp.encodingStrategy
                let belgiumSigner = federation.signers[LiveFederation.belgium]!
                let forgedJWS = try JWS.sign(payload: Array(try encoder.encode(forged)), with: belgiumSigner, type: SignedConfiguration.type)
                let belgiumPEM = try federation.signerCertificates[LiveFederation.belgium]!.serializeAsPEM().pemString
                let forgedAnswer = try JSONDecoder().decode(SignedConfiguration.self, from: JSONSerialization.data(withJSONObject: ["jws": forgedJWS, "signerCertificatePEM": belgiumPEM]))
                published.value.withLock { $0 = forgedAnswer }
                let refusal1 = await errorCode { try await node.refreshConfiguration() }
                #expect(refusal1 == "federation.configuration_invalid")
                #expect(node.state.configuration.serial == 2)
            }
        }
    }
}
