import AccordCore
import AccordTesting
import Exchange
import Federation
import Foundation
import Gateway
import Hummingbird
import Storage
import Testing
import X509

/// Revocation that takes effect while everything keeps running: a revoked signer loses trust at
/// the next refresh (hub and recipient), the published configuration drops it, and a revoked
/// node on a kept-alive connection is refused at its next request.
@Suite struct RevocationTests {
    func revoke(_ certificates: [Certificate], in federation: LiveFederation, number: Int = 2) throws {
        let now = Date()
        let list = try federation.authority.revocationList(number: number, revoked: certificates.map { .init(serial: $0.serialNumber, revokedAt: now) },
                                                            now: now.addingTimeInterval(-30), validity: 3_600)
        try federation.trust.update(revocationList: list)
    }

    @Test(arguments: TestDatabase.all)
    func aRevokedSignerIsRefusedAfterTheNextRefreshWithoutRestart(_ database: TestDatabase) async throws {
        try await FederationHarness.run(database) { h in
            let before = try h.federation.message(.readmissionApplication, from: LiveFederation.belgium, to: LiveFederation.morocco)
            #expect(try await h.belgium.submit(before).state == .queued)
            let publisher = ConfigurationPublisher(state: h.hub.state, signer: h.federation.signers[LiveFederation.hubID]!)
            let published = try await SignedConfiguration.verify(publisher.current())(h.federation)
            #expect(published.participant(LiveFederation.belgium)?.signerCertificates.count == 1)

            try revoke([h.federation.signerCertificates[LiveFederation.belgium]!], in: h.federation)
            await h.hub.state.refreshSigners()
            await h.morocco.state.refreshSigners()

            let after = try h.federation.message(.readmissionApplication, from: LiveFederation.belgium, to: LiveFederation.morocco)
            await expectCode("exchange.unknown_signer") { _ = try await h.belgium.submit(after) }
            // The recipient does not rely on the hub: the revoked signature is refused there too.
            await expectCode("exchange.unknown_signer") { _ = try await h.morocco.receive(after) }
            // The published configuration no longer lists the revoked certificate; Morocco's stays.
            let republished = try await SignedConfiguration.verify(publisher.current())(h.federation)
            #expect(republished.participant(LiveFederation.belgium)?.signerCertificates.isEmpty == true)
            #expect(republished.participant(LiveFederation.morocco)?.signerCertificates.count == 1)
            #expect(try await h.hubOutbox.counts()[.queued] == 1)
        }
    }

    @Test func anExpiredSignerIsDroppedAtTheNextRefresh() async throws {
        let federation = try LiveFederation(moroccoPort: 1)
        let later = LockedDate(Date())
        let expiry = federation.signerCertificates[LiveFederation.belgium]!.notValidAfter
        // A CRL that outlives the certificate, so that only the certificate's expiry can drop it.
        let list = try federation.authority.revocationList(number: 1, revoked: [], now: Date().addingTimeInterval(-60), validity: expiry.timeIntervalSinceNow + 86_400)
        let trust = TrustState(try FederationTrust(authority: federation.authority.certificate, revocationList: list), clock: { later.value })
        let state = await FederationState(trust: trust, configuration: federation.configuration)
        #expect(state.signers.signer(fingerprint: CertificateFingerprint(der: try federation.signerCertificates[LiveFederation.belgium]!.derBytes())) != nil)
        later.value = expiry.addingTimeInterval(1)
        await state.refreshSigners()
        #expect(state.signers.signer(fingerprint: CertificateFingerprint(der: try federation.signerCertificates[LiveFederation.belgium]!.derBytes())) == nil)
    }

    @Test(arguments: TestDatabase.all)
    func aRevokedNodeIsRefusedOnItsKeptAliveConnection(_ database: TestDatabase) async throws {
        try await FederationHarness.run(database) { h in
            let client = try h.federation.client(LiveFederation.belgium)
            let hub = FederationEndpoint(host: "127.0.0.1", port: h.hubPort)
            let path = "/federation/v1/messages/\(Message.ID())"
            let first = try await client.send("GET", path, to: hub, expecting: LiveFederation.hubID, roles: [.hub])
            #expect(first.status == 404)
            try revoke([h.federation.tlsCertificates[LiveFederation.belgium]!], in: h.federation)
            // The same kept-alive connection: the hub re-checks the certificate and refuses.
            let second = try await client.send("GET", path, to: hub, expecting: LiveFederation.hubID, roles: [.hub])
            #expect(second.status == 403)
            #expect(String(decoding: second.body, as: UTF8.self).contains("federation.certificate_rejected"))
            // A new connection fails the handshake itself.
            await #expect(throws: GatewayError.self) { _ = try await client.send("GET", path, to: hub, expecting: LiveFederation.hubID, roles: [.hub]) }
            // Morocco, not revoked, is still served.
            let morocco = try await h.federation.client(LiveFederation.morocco).send("GET", path, to: hub, expecting: LiveFederation.hubID, roles: [.hub])
            #expect(morocco.status == 404)
        }
    }

    /// The remote port a request came from tells whether it reused a connection.
    @Test func idleAndOldConnectionsAreClosedByTheServer() async throws {
        let federation = try LiveFederation(moroccoPort: 1)
        func port(_ client: FederationClient, _ server: Int) async throws -> String {
            let response = try await client.send("GET", "/port", to: FederationEndpoint(host: "127.0.0.1", port: server), expecting: LiveFederation.hubID, roles: [.hub])
            #expect(response.status == 200)
            return String(decoding: response.body, as: UTF8.self)
        }
        let routes: (Router<FederationRequestContext>) -> Void = { router in
            router.get("port") { _, context in "\(context.channel.remoteAddress?.port ?? 0)" }
        }
        try await withFederationServer(identity: federation.tls[LiveFederation.hubID]!, trust: federation.trust, clientRoles: [.node],
                                       lifetime: ConnectionLifetimeConfiguration(idleTimeout: .milliseconds(1_500), maximumAge: .seconds(60)), routes: routes) { server in
            let client = try federation.client(LiveFederation.belgium)
            let first = try await port(client, server)
            #expect(try await port(client, server) == first)  // kept alive
            try await Task.sleep(for: .milliseconds(3_000))
            #expect(try await port(client, server) != first)  // the idle one was closed
            client.closeIdleConnections()
        }
        try await withFederationServer(identity: federation.tls[LiveFederation.hubID]!, trust: federation.trust, clientRoles: [.node],
                                       lifetime: ConnectionLifetimeConfiguration(idleTimeout: .seconds(60), maximumAge: .seconds(3)), routes: routes) { server in
            let client = try federation.client(LiveFederation.belgium)
            var ports: [String] = []
            for _ in 0..<12 {
                ports.append(try await port(client, server))
                try await Task.sleep(for: .milliseconds(400))
            }
            // 4.8 s of requests: at least one connection ended at its age, and connections were
            // reused while young (on a loaded machine the first handshake eats into its age).
            #expect(Set(ports).count >= 2, "a connection outlived its maximum age: \(ports)")
            #expect(zip(ports, ports.dropFirst()).contains { $0 == $1 }, "no connection was kept alive: \(ports)")
            client.closeIdleConnections()
        }
    }
}

/// The hub's answers as Protocol.md §2 and §8 give them.
@Suite struct HubAnswerTests {
    @Test(arguments: TestDatabase.all)
    func oversizedBodiesGet413AndTimesHaveMilliseconds(_ database: TestDatabase) async throws {
        try await FederationHarness.run(database) { h in
            let client = try h.federation.client(LiveFederation.belgium)
            let hub = FederationEndpoint(host: "127.0.0.1", port: h.hubPort)
            let huge = [UInt8](repeating: 0x41, count: 2 * 1024 * 1024 + 1)
            let refused = try await client.send("POST", "/federation/v1/messages", body: huge, contentType: "application/octet-stream", to: hub, expecting: LiveFederation.hubID, roles: [.hub])
            #expect(refused.status == 413)
            #expect(String(decoding: refused.body, as: UTF8.self).contains("gateway.payload_too_large"))
            let message = try h.federation.message(.readmissionApplication, from: LiveFederation.belgium, to: LiveFederation.morocco)
            let accepted = try await client.send("POST", "/federation/v1/messages", body: message, contentType: "application/octet-stream", to: hub, expecting: LiveFederation.hubID, roles: [.hub])
            #expect(accepted.status == 202)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(accepted.body)) as? [String: Any])
            let acceptedAt = try #require(object["acceptedAt"] as? String)
            #expect(acceptedAt.utf8.count == 24 && Timestamp.parse(acceptedAt) != nil, "\(acceptedAt)")
            let publisher = ConfigurationPublisher(state: h.hub.state, signer: h.federation.signers[LiveFederation.hubID]!)
            let payload = try #require(String(try publisher.current().jws.split(separator: ".")[1]).base64URLDecoded())
            let issuedAt = try #require((try JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any])?["issuedAt"] as? String)
            #expect(issuedAt.utf8.count == 24 && Timestamp.parse(issuedAt) != nil, "\(issuedAt)")
        }
    }
}

extension String {
    func base64URLDecoded() -> [UInt8]? {
        var text = replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        return Data(base64Encoded: text).map(Array.init)
    }
}

/// Expects `body` to fail with the stable `code`, whichever module's error carries it (a hub's
/// refusal reaches the node as a FederationError with the hub's code).
func expectCode(_ code: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
    do {
        try await body()
        Issue.record("expected \(code), but nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as any AccordError {
        #expect(error.code == code, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
    }
}

final class LockedDate: @unchecked Sendable {
    private let lock = NSLock()
    private var date: Date
    init(_ date: Date) { self.date = date }
    var value: Date {
        get { lock.withLock { date } }
        set { lock.withLock { date = newValue } }
    }
}

extension SignedConfiguration {
    /// Verifies under the harness's trust, as a node would.
    static func verify(_ signed: SignedConfiguration) -> (LiveFederation) async throws -> FederationConfiguration {
        { federation in try await signed.verify(trust: federation.trust.current, at: Date()) }
    }
}
