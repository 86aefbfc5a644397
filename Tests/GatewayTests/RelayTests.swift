import AccordTesting
import Crypto
import Exchange
import Federation
import Foundation
import Gateway
import Hummingbird
import Logging
import HummingbirdTLS
import Storage
import Testing
import X509

/// A live federation in one process: a hub and two nodes, each with its own database and its own
/// mTLS listener or client, real certificates from a run-time CA. Belgium (the requesting state)
/// is pull-only; Morocco accepts pushed deliveries.
struct LiveFederation {
    static let hubID = ParticipantID("EUE-HUB")!
    static let belgium = ParticipantID("BEL-DOFI")!
    static let morocco = ParticipantID("MAR-INTERIOR")!
    static let france = ParticipantID("FRA-DGEF")!

    let authority: FederationAuthority
    let trust: TrustState
    let configuration: FederationConfiguration
    let signers: [ParticipantID: P256MessageSigner]
    let tls: [ParticipantID: TLSIdentity]
    /// The issued certificates, to revoke in tests.
    let signerCertificates: [ParticipantID: Certificate]
    let tlsCertificates: [ParticipantID: Certificate]
    /// Keys and PEM files, for clients written in other languages.
    let signerKeys: [ParticipantID: P256.Signing.PrivateKey]
    let tlsPEM: [ParticipantID: (certificate: String, key: String)]

    init(moroccoPort: Int) throws {
        let now = Date()
        authority = try FederationAuthority.create(name: "Relay Test CA", now: now)
        let list = try authority.revocationList(number: 1, revoked: [], now: now.addingTimeInterval(-60), validity: 3_600)
        trust = TrustState(try FederationTrust(authority: authority.certificate, revocationList: list))
        var signers: [ParticipantID: P256MessageSigner] = [:]
        var tls: [ParticipantID: TLSIdentity] = [:]
        var pems: [ParticipantID: String] = [:]
        var signerCertificates: [ParticipantID: Certificate] = [:], tlsCertificates: [ParticipantID: Certificate] = [:]
        var signerKeys: [ParticipantID: P256.Signing.PrivateKey] = [:], tlsPEM: [ParticipantID: (certificate: String, key: String)] = [:]
        for (participant, role) in [(Self.hubID, CertificateRole.hub), (Self.belgium, .node), (Self.morocco, .node)] {
            let signingKey = P256.Signing.PrivateKey()
            let signing = try authority.issue(role: .signer, participant: participant, publicKey: signingKey.publicKey, now: now)
            signers[participant] = P256MessageSigner(participant: participant, key: signingKey, certificateDER: try signing.derBytes())
            pems[participant] = try signing.serializeAsPEM().pemString
            signerCertificates[participant] = signing
            signerKeys[participant] = signingKey
            let tlsKey = P256.Signing.PrivateKey()
            let tlsCertificate = try authority.issue(role: role, participant: participant, publicKey: tlsKey.publicKey, dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"], now: now)
            tls[participant] = try TLSIdentity(certificatePEM: tlsCertificate.serializeAsPEM().pemString, keyPEM: tlsKey.pemRepresentation)
            tlsCertificates[participant] = tlsCertificate
            tlsPEM[participant] = (try tlsCertificate.serializeAsPEM().pemString, tlsKey.pemRepresentation)
        }
        self.signers = signers
        self.tls = tls
        self.signerCertificates = signerCertificates
        self.tlsCertificates = tlsCertificates
        self.signerKeys = signerKeys
        self.tlsPEM = tlsPEM
        configuration = FederationConfiguration(
            serial: 1, issuedAt: now, hub: Self.hubID,
            participants: [
                Participant(id: Self.hubID, name: "Hub", delivery: .push, signerCertificates: [pems[Self.hubID]!]),
                Participant(id: Self.belgium, name: "Belgium", delivery: .pull, signerCertificates: [pems[Self.belgium]!]),
                Participant(id: Self.morocco, name: "Morocco", delivery: .push, endpoint: "127.0.0.1:\(moroccoPort)", signerCertificates: [pems[Self.morocco]!]),
                Participant(id: Self.france, name: "France", delivery: .pull),
            ],
            agreements: [
                Agreement(id: "EU-MAR-2026", parties: [Self.belgium, Self.morocco], messageTypes: [.readmissionApplication, .decision, .informationRequest]),
                Agreement(id: "FR-MAR-2026", parties: [Self.france, Self.morocco], messageTypes: [.readmissionApplication, .decision]),
                Agreement(id: "BE-MAR-DECISIONS", parties: [Self.belgium, Self.morocco], messageTypes: [.decision]),
            ]
        )
    }

    func client(_ participant: ParticipantID) throws -> FederationClient {
        try FederationClient(identity: tls[participant]!, trust: trust, timeout: .seconds(10))
    }

    /// A signed message from `sender` to `recipient`.
    func message(
        _ type: MessageType, from sender: ParticipantID, to recipient: ParticipantID, protection: String? = nil, encoding: MessageCodec.Encoding = .json,
        edit: (inout ReadmissionApplication) -> Void = { _ in }
    ) throws -> [UInt8] {
        var message = MessageExamples.message(type)
        message.envelope.messageID = .init()
        message.envelope.sender = sender
        message.envelope.recipient = recipient
        message.envelope.createdAt = Date()
        message.envelope.expiresAt = Date().addingTimeInterval(86_400)
        if let protection, case .readmissionApplication(var application) = message.body {
            application.person.protectionStatus = protection
            message.body = .readmissionApplication(application)
        }
        if case .readmissionApplication(var application) = message.body {
            edit(&application)
            message.body = .readmissionApplication(application)
        }
        return try MessageCodec.sign(message, encoding: encoding, with: signers[sender]!)
    }
}

/// Runs a Hummingbird server with mutual TLS on a free port until `body` returns.
func withFederationServer(
    identity: TLSIdentity, trust: TrustState, clientRoles: Set<CertificateRole>, port: Int = 0, lifetime: ConnectionLifetimeConfiguration = ConnectionLifetimeConfiguration(),
    routes: (Router<FederationRequestContext>) -> Void, _ body: (Int) async throws -> Void
) async throws {
    let router = FederationServer.router(trust: trust, clientRoles: clientRoles)
    routes(router)
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let app = Application(
        router: router,
        server: try FederationServer.server(identity: identity, trust: trust, clientRoles: clientRoles, lifetime: lifetime),
        configuration: .init(address: .hostname("127.0.0.1", port: port)),
        onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
        logger: quietLogger
    )
    let task = Task { try await app.runService() }
    var iterator = ports.makeAsyncIterator()
    let bound = await iterator.next() ?? 0
    do {
        try await body(bound)
        task.cancel()
        _ = await task.result
    } catch {
        task.cancel()
        _ = await task.result
        throw error
    }
}

/// Hummingbird logs cancellation of a test server's open connections as errors; keep them out of the output.
let quietLogger: Logger = {
    var logger = Logger(label: "accord.test.server")
    logger.logLevel = .critical
    return logger
}()

func freePort() throws -> Int { try LoopbackPorts.free() }

/// Everything of a live federation a test drives.
struct FederationHarness {
    let federation: LiveFederation
    let hub: HubService
    let hubOutbox: SQLExchangeStore
    let hubPort: Int
    let morocco: NodeService
    let moroccoInbox: SQLExchangeStore
    let belgium: NodeService
    let belgiumInbox: SQLExchangeStore
    let worker: DeliveryWorker

    func key(_ signed: [UInt8]) throws -> MessageKey {
        let envelope = try MessageCodec.open(signed, trust: hub.state.signers, now: nil).message.envelope
        return MessageKey(sender: envelope.sender, messageID: envelope.messageID)
    }

    /// Runs the hub, Morocco's listener on `moroccoPort` (advertised to the hub at
    /// `moroccoAdvertisedPort`, e.g. a proxy's) and Belgium's client, which reaches the hub at
    /// `belgiumHubPort(hubPort)`.
    static func run(
        _ database: TestDatabase, moroccoPort: Int? = nil, moroccoAdvertisedPort: Int? = nil, belgiumHubPort: @escaping (Int) -> Int = { $0 },
        _ body: (FederationHarness) async throws -> Void
    ) async throws {
        let listenPort = try moroccoPort ?? freePort()
        let federation = try LiveFederation(moroccoPort: moroccoAdvertisedPort ?? listenPort)
        try await database.withStore { hubStore, _ in
            try await database.withStore { belgiumStore, _ in
                try await database.withStore { moroccoStore, _ in
                    let hubOutbox = SQLExchangeStore(store: hubStore)
                    var service = HubService(state: await FederationState(trust: federation.trust, configuration: federation.configuration), store: hubOutbox)
                    let publisher = ConfigurationPublisher(state: service.state, signer: federation.signers[LiveFederation.hubID]!)
                    service.configurationPublisher = { try? publisher.current() }
                    let hub = service
                    try await withFederationServer(identity: federation.tls[LiveFederation.hubID]!, trust: federation.trust, clientRoles: [.node], routes: hub.addRoutes) { hubPort in
                        let moroccoInbox = SQLExchangeStore(store: moroccoStore)
                        let morocco = NodeService(
                            signer: federation.signers[LiveFederation.morocco]!, state: await FederationState(trust: federation.trust, configuration: federation.configuration),
                            inbox: moroccoInbox, client: try federation.client(LiveFederation.morocco), hubEndpoint: FederationEndpoint(host: "127.0.0.1", port: hubPort)
                        )
                        let belgiumInbox = SQLExchangeStore(store: belgiumStore)
                        let belgium = NodeService(
                            signer: federation.signers[LiveFederation.belgium]!, state: await FederationState(trust: federation.trust, configuration: federation.configuration),
                            inbox: belgiumInbox, client: try federation.client(LiveFederation.belgium),
                            hubEndpoint: FederationEndpoint(host: "127.0.0.1", port: belgiumHubPort(hubPort))
                        )
                        let worker = DeliveryWorker(hub: hub, client: try federation.client(LiveFederation.hubID), retry: RetryPolicy(initialDelay: 0.05, maximumDelay: 0.2, maximumAttempts: 50))
                        try await withFederationServer(identity: federation.tls[LiveFederation.morocco]!, trust: federation.trust, clientRoles: [.hub], port: listenPort, routes: morocco.addRoutes) { _ in
                            try await body(FederationHarness(
                                federation: federation, hub: hub, hubOutbox: hubOutbox, hubPort: hubPort, morocco: morocco, moroccoInbox: moroccoInbox,
                                belgium: belgium, belgiumInbox: belgiumInbox, worker: worker
                            ))
                        }
                    }
                }
            }
        }
    }
}

@Suite struct RelayTests {
    /// Belgium → hub → Morocco (push) and Morocco → hub → Belgium (pull), with receipts, on each
    /// database; duplicates have no second effect; refused messages never reach the log.
    @Test(arguments: TestDatabase.all)
    func messagesFlowBothWaysExactlyOnceWithReceipts(_ database: TestDatabase) async throws {
        try await FederationHarness.run(database) { h in
            let (federation, belgium, morocco, worker) = (h.federation, h.belgium, h.morocco, h.worker)
            // Belgium sends an application; the hub logs and queues it before answering.
            let application = try federation.message(.readmissionApplication, from: LiveFederation.belgium, to: LiveFederation.morocco)
            let acceptance = try await belgium.submit(application)
            #expect(acceptance.state == .queued)
            #expect(try await belgium.status(of: application) == .queued)
            // A retried submission is the same message: no second log entry.
            let again = try await belgium.submit(application)
            #expect(again.logIndex == acceptance.logIndex)

            try await worker.runOnce()
            #expect(try await h.moroccoInbox.count() == 1)
            #expect(try await belgium.status(of: application) == .delivered)

            // Morocco answers with a decision; Belgium pulls it.
            let decision = try federation.message(.decision, from: LiveFederation.morocco, to: LiveFederation.belgium)
            _ = try await morocco.submit(decision)
            try await worker.runOnce()  // nothing to push: Belgium is pull-only
            #expect(try await h.belgiumInbox.count() == 0)
            #expect(try await belgium.pull() == 1)
            #expect(try await h.belgiumInbox.count() == 1)
            #expect(try await morocco.status(of: decision) == .delivered)
            #expect(try await belgium.pull() == 0)

            // The same bytes delivered again (e.g. after a hub crash): no second effect, the same receipt.
            let first = try await morocco.receive(application)
            let second = try await morocco.receive(application)
            #expect(first == second)
            #expect(try await h.moroccoInbox.count() == 1)
            #expect(try await h.hubOutbox.item(h.key(application))?.receipt == first)

            // Refusals: no agreement for the type, a protected person to their own country, a message signed by someone else.
            await #expect(throws: FederationError(code: "federation.no_agreement", reason: "")) {
                _ = try await belgium.submit(federation.message(.transferNotice, from: LiveFederation.belgium, to: LiveFederation.morocco))
            }
            await #expect(throws: FederationError(code: "federation.sharing_blocked", reason: "")) {
                _ = try await belgium.submit(federation.message(.readmissionApplication, from: LiveFederation.belgium, to: LiveFederation.morocco, protection: "refugee"))
            }
            await #expect(throws: FederationError(code: "federation.sender_mismatch", reason: "")) {
                _ = try await belgium.submit(federation.message(.decision, from: LiveFederation.morocco, to: LiveFederation.belgium))
            }
            let counts = try await h.hubOutbox.counts()
            #expect(counts[.delivered] == 2)
            #expect(counts[.queued] == 0)
            let log = try await h.hubOutbox.verifyLog()
            #expect(log.problems.isEmpty)
            #expect(log.entries == 4)  // two accepted, two delivered
        }
    }

    /// An application may only cite an agreement that binds exactly its sender and recipient and
    /// allows its type: the hub refuses, and so does the recipient if a message gets past a hub.
    @Test(arguments: TestDatabase.all)
    func onlyAnAgreementBindingSenderAndRecipientCanBeCited(_ database: TestDatabase) async throws {
        try await FederationHarness.run(database) { h in
            let cases: [(String, String)] = [
                ("EU-GEO-2026", "federation.unknown_agreement"),    // not an agreement of this federation
                ("NO-SUCH-AGREEMENT", "federation.unknown_agreement"),
                ("FR-MAR-2026", "federation.agreement_mismatch"),    // binds France and Morocco
                ("BE-MAR-DECISIONS", "federation.agreement_mismatch"), // the right parties, but no applications
            ]
            for (agreement, code) in cases {
                for encoding in MessageCodec.Encoding.allCases {
                    let message = try h.federation.message(.readmissionApplication, from: LiveFederation.belgium, to: LiveFederation.morocco, encoding: encoding) {
                        $0.agreement = agreement
                    }
                    await #expect(throws: FederationError(code: code, reason: ""), "\(agreement) \(encoding)") { _ = try await h.belgium.submit(message) }
                    await #expect(throws: FederationError(code: code, reason: ""), "recipient: \(agreement) \(encoding)") { _ = try await h.morocco.receive(message) }
                }
            }
            #expect(try await h.hubOutbox.counts().values.reduce(0, +) == 0)
            #expect(try await h.moroccoInbox.count() == 0)
            let proper = try h.federation.message(.readmissionApplication, from: LiveFederation.belgium, to: LiveFederation.morocco) { $0.agreement = "EU-MAR-2026" }
            #expect(try await h.belgium.submit(proper).state == .queued)
        }
    }

    /// A protected person is never sent to a state the message ties them to — by nationality,
    /// country of birth or a document's issuer — whatever the encoding, even with the
    /// nationality omitted or `XXA`.
    @Test(arguments: TestDatabase.all)
    func protectedPersonsAreNeverSentToAnyStateTheyAreTiedTo(_ database: TestDatabase) async throws {
        try await FederationHarness.run(database) { h in
            let passport = PersonRecord.IdentityDocument(kind: "passport", number: "MA1234567", issuingCountry: "MAR")
            let blocked: [(String, (inout PersonRecord) -> Void)] = [
                ("nationality", { $0.nationality = "MAR" }),
                ("document, no nationality", { $0.nationality = nil; $0.documents = [passport] }),
                ("document, XXA", { $0.nationality = "XXA"; $0.documents = [passport] }),
                ("country of birth", { $0.nationality = "XXA"; $0.documents = nil; $0.countryOfBirth = "MAR" }),
            ]
            for (name, edit) in blocked {
                for encoding in MessageCodec.Encoding.allCases {
                    let message = try h.federation.message(.readmissionApplication, from: LiveFederation.belgium, to: LiveFederation.morocco, protection: "refugee", encoding: encoding) {
                        edit(&$0.person)
                    }
                    await #expect(throws: FederationError(code: "federation.sharing_blocked", reason: ""), "\(name) \(encoding)") { _ = try await h.belgium.submit(message) }
                }
            }
            // Tied to no state the recipient is (a Syrian refugee with a Syrian passport): allowed.
            let elsewhere = try h.federation.message(.readmissionApplication, from: LiveFederation.belgium, to: LiveFederation.morocco, protection: "refugee", encoding: .xml) {
                $0.person.nationality = "SYR"
                $0.person.countryOfBirth = "SYR"
                $0.person.documents = [PersonRecord.IdentityDocument(kind: "passport", number: "N0123456", issuingCountry: "SYR")]
            }
            #expect(try await h.belgium.submit(elsewhere).state == .queued)
            // Not protected: the ties do not matter.
            let ordinary = try h.federation.message(.readmissionApplication, from: LiveFederation.belgium, to: LiveFederation.morocco, protection: "none", encoding: .xml) {
                $0.person.countryOfBirth = "MAR"
            }
            #expect(try await h.belgium.submit(ordinary).state == .queued)
        }
    }

    /// A long queue for an absent pull node does not hold up push deliveries; what the pull node
    /// never fetches becomes a dead letter after the expiry, and its sender sees it as failed.
    @Test(arguments: TestDatabase.all)
    func anAbsentPullNodeNeitherBlocksOthersNorWaitsForever(_ database: TestDatabase) async throws {
        try await FederationHarness.run(database) { h in
            var decisions: [[UInt8]] = []
            for _ in 0..<70 {  // more than one delivery batch (64)
                let decision = try h.federation.message(.decision, from: LiveFederation.morocco, to: LiveFederation.belgium)
                _ = try await h.morocco.submit(decision)
                decisions.append(decision)
            }
            let application = try h.federation.message(.readmissionApplication, from: LiveFederation.belgium, to: LiveFederation.morocco)
            _ = try await h.belgium.submit(application)
            try await h.worker.runOnce()
            #expect(try await h.belgium.status(of: application) == .delivered)
            #expect(try await h.hubOutbox.counts()[.queued] == 70)

            var expiring = h.worker
            expiring.pullExpiry = 0
            try await Task.sleep(for: .milliseconds(5))
            try await expiring.expireUnfetched()
            let counts = try await h.hubOutbox.counts()
            #expect(counts[.failed] == 70 && counts[.queued] == 0, "\(counts)")
            #expect(try await h.morocco.status(of: decisions[0]) == .failed)
            #expect(try await h.belgium.pull() == 0)
        }
    }
}
