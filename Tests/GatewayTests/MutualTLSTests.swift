import AccordTesting
import Crypto
import Exchange
import Federation
import Foundation
import Gateway
import Hummingbird
import HummingbirdTLS
import Synchronization
import Testing
import X509

/// Live sockets: a Hummingbird server on the federation port with mutual TLS, and clients
/// presenting good and bad certificates. Every bad certificate must fail the handshake.
@Suite struct MutualTLSTests {
    let authority: FederationAuthority
    let hub = ParticipantID("EUE-HUB")!
    let node = ParticipantID("BEL-DOFI")!
    let now = Date()

    init() throws {
        authority = try FederationAuthority.create(name: "Live Test Federation CA", now: Date())
    }

    func identity(_ role: CertificateRole, _ participant: ParticipantID, now: Date? = nil, days: Int = 30, from issuer: FederationAuthority? = nil) throws -> (TLSIdentity, Certificate) {
        let key = P256.Signing.PrivateKey()
        let certificate = try (issuer ?? authority).issue(role: role, participant: participant, publicKey: key.publicKey, dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"], now: now ?? self.now, validityDays: days)
        return (try TLSIdentity(certificatePEM: certificate.serializeAsPEM().pemString, keyPEM: key.pemRepresentation), certificate)
    }

    func trust(revoking: [Certificate] = []) throws -> TrustState {
        let list = try authority.revocationList(number: revoking.isEmpty ? 1 : 2, revoked: revoking.map { .init(serial: $0.serialNumber, revokedAt: now) }, now: now.addingTimeInterval(-60), validity: 3_600)
        return TrustState(try FederationTrust(authority: authority.certificate, revocationList: list))
    }

    /// How many requests reached the handler.
    final class Served: Sendable {
        let count = Atomic<Int>(0)
    }

    /// Runs a whoami server for the duration of `body`.
    func withServer(trust: TrustState, served: Served = Served(), _ body: (Int) async throws -> Void) async throws {
        let (serverIdentity, _) = try identity(.hub, hub)
        let router = Router(context: FederationRequestContext.self)
        router.get("whoami") { _, context in
            served.count.add(1, ordering: .relaxed)
            let peer = try await context.peer()
            return "\(peer.participant) \(peer.role.rawValue)"
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            server: try .tls(.http1(), configuration: MutualTLS.server(identity: serverIdentity, trust: trust, clientRoles: [.node, .hub])),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: quietLogger
        )
        let task = Task { try await app.runService() }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        defer { task.cancel() }
        try await body(port)
    }

    func call(_ client: TLSIdentity, trust: TrustState, port: Int, expecting: ParticipantID? = nil) async throws -> String {
        let response = try await FederationClient(identity: client, trust: trust, timeout: .seconds(10))
            .send("GET", "/whoami", to: FederationEndpoint(host: "127.0.0.1", port: port), expecting: expecting ?? hub, roles: [.hub])
        #expect(response.peer.participant == hub)
        return String(decoding: response.body, as: UTF8.self)
    }

    @Test func aNodeCertificateIsAcceptedAndMappedToItsParticipant() async throws {
        let trust = try trust()
        try await withServer(trust: trust) { port in
            let (client, _) = try identity(.node, node)
            #expect(try await call(client, trust: trust, port: port) == "BEL-DOFI node")
        }
    }

    @Test func everyBadClientCertificateFailsTheHandshake() async throws {
        let trust = try trust()
        let other = try FederationAuthority.create(name: "Live Test Federation CA", now: now)
        let (expired, _) = try identity(.node, node, now: now.addingTimeInterval(-10 * 86_400), days: 2)
        let (foreign, _) = try identity(.node, node, from: other)
        let (signer, _) = try identity(.signer, node)
        let served = Served()
        try await withServer(trust: trust, served: served) { port in
            for (name, client) in [("expired", expired), ("another CA", foreign), ("signer role (wrong EKU)", signer)] {
                do {
                    _ = try await call(client, trust: trust, port: port)
                    Issue.record("\(name) was accepted")
                } catch let error as GatewayError {
                    // The server's alert arrives on the client's first read: a TLS error, not an HTTP
                    // answer — or, when the server has already closed the socket after its alert, the
                    // client's write fails on the closed channel. Either way nothing was served.
                    #expect(error.code == "gateway.transport", "\(name): \(error)")
                    let refused = ["SSL", "TLS", "alert", "closedBeforeAnswer"].contains { error.reason.contains($0) }
                    #expect(refused, "\(name): \(error.reason)")
                } catch {
                    Issue.record("\(name): \(error)")
                }
            }
        }
        #expect(served.count.load(ordering: .relaxed) == 0, "a request with a bad certificate reached the handler")
    }

    @Test func aRevokedCertificateIsRefusedAfterTheCRLRefresh() async throws {
        let trust = try trust()
        let (client, certificate) = try identity(.node, node)
        try await withServer(trust: trust) { port in
            #expect(try await call(client, trust: trust, port: port) == "BEL-DOFI node")
            let refreshed = try authority.revocationList(number: 2, revoked: [.init(serial: certificate.serialNumber, revokedAt: now)], now: now.addingTimeInterval(-30), validity: 3_600)
            try trust.update(revocationList: refreshed)
            let refusal3 = await errorCode { _ = try await call(client, trust: trust, port: port) }
            #expect(refusal3 == "gateway.transport" || refusal3 == "gateway.peer_unverified", "the revoked client must be refused: \(refusal3 ?? "it was served")")
            // An older CRL cannot replace a newer one.
            let older = try authority.revocationList(number: 1, revoked: [], now: now, validity: 3_600)
            #expect(throws: GatewayError(code: "gateway.stale_update", reason: "")) { try trust.update(revocationList: older) }
        }
    }

    @Test func theClientRefusesAServerThatIsNotTheExpectedParticipant() async throws {
        let trust = try trust()
        try await withServer(trust: trust) { port in
            let (client, _) = try identity(.node, node)
            await #expect(throws: GatewayError.self) { _ = try await call(client, trust: trust, port: port, expecting: ParticipantID("MAR-INTERIOR")!) }
        }
    }

    /// openssl s_client, an independent TLS stack that presents whatever it is given: without a
    /// client certificate, or with the CA's own certificate as the leaf, the server refuses; with
    /// a node certificate it answers. (BoringSSL will not even load a CA certificate as a client
    /// identity, so this case needs openssl.)
    @Test(.enabled(if: ExternalTool.available("openssl")))
    func opensslClientsWithAndWithoutCertificates() async throws {
        let trust = try trust()
        let directory = try ExternalTool.temporaryDirectory()
        let key = P256.Signing.PrivateKey()
        let certificate = try authority.issue(role: .node, participant: node, publicKey: key.publicKey, now: now)
        try authority.certificate.serializeAsPEM().pemString.write(to: directory.appendingPathComponent("ca.pem"), atomically: true, encoding: .utf8)
        try certificate.serializeAsPEM().pemString.write(to: directory.appendingPathComponent("node.pem"), atomically: true, encoding: .utf8)
        try key.pemRepresentation.write(to: directory.appendingPathComponent("node-key.pem"), atomically: true, encoding: .utf8)
        try authority.keyPEM.write(to: directory.appendingPathComponent("ca-key.pem"), atomically: true, encoding: .utf8)
        let request = Data("GET /whoami HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8)
        try await withServer(trust: trust) { port in
            let base = ["s_client", "-connect", "127.0.0.1:\(port)", "-tls1_3", "-CAfile", "ca.pem", "-quiet", "-verify_return_error"]
            let anonymous = try ExternalTool.run("openssl", base, input: request, in: directory)
            #expect(!anonymous.output.contains("200 OK"))
            #expect(anonymous.errors.contains("alert") || anonymous.status != 0)
            let caAsLeaf = try ExternalTool.run("openssl", base + ["-cert", "ca.pem", "-key", "ca-key.pem"], input: request, in: directory)
            #expect(!caAsLeaf.output.contains("200 OK"))
            let authenticated = try ExternalTool.run("openssl", base + ["-cert", "node.pem", "-key", "node-key.pem"], input: request, in: directory)
            #expect(authenticated.output.contains("200 OK"), "\(authenticated.errors)")
            #expect(authenticated.output.contains("BEL-DOFI node"))
        }
    }
}
