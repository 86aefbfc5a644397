import Crypto
public import Exchange
public import Federation
public import Foundation
public import Gateway
import Logging
public import Storage

/// The federation part of `accord demo`: a hub and two nodes in this process, each with its own
/// SQLite database, over mutual TLS with a generated federation PKI. Belgium (the requesting
/// state) is pull-only; Morocco accepts pushed deliveries. Sample applications go out, decisions
/// come back, each with a verified receipt.
public struct FederationDemo: Sendable {
    public static let hub = ParticipantID("EUE-HUB")!
    public static let belgium = ParticipantID("BEL-DOFI")!
    public static let morocco = ParticipantID("MAR-INTERIOR")!
    /// Works on the hub's quick-win module (no node of its own); pull, like any hosted partner.
    public static let georgia = ParticipantID("GEO-MIA")!

    public let directory: URL
    public var host = "127.0.0.1"

    public init(directory: URL) {
        self.directory = directory
    }

    public struct Running: Sendable {
        public let hub: HubRuntime
        public let belgium: NodeExchangeRuntime
        public let morocco: NodeExchangeRuntime
        public let hubStore: SQLStore
        public let belgiumStore: SQLStore
        public let moroccoStore: SQLStore
        /// The two national installations (their case files hold the readmission cases).
        public let belgiumNode: AccordNode
        public let moroccoNode: AccordNode
        /// Where the hub listens, and the federation PKI (for hosted quick-win partners).
        public let hubEndpoint: FederationEndpoint
        public let pki: PKIDirectory
        /// The stores and installations this demo opened (not those handed in by the caller).
        let stores: [SQLStore]
        let nodes: [AccordNode]

        public func stop() async {
            await belgium.stop()
            await morocco.stop()
            await hub.stop()
            for store in stores { await store.shutdown() }
            for node in nodes { await node.close() }
        }
    }

    /// Creates the PKI (once), opens the three databases and starts everything. `database`
    /// names where each installation keeps its data (`hub`, `node-bel`, `node-mar`); SQLite files
    /// in the directory by default.
    ///
    /// `nodes` hands in the two national installations when they are already open (`accord
    /// demo` runs full nodes with consoles); the caller then closes them. Otherwise they are
    /// opened here, in `<directory>/node-bel` and `node-mar`.
    public func start(
        logger: Logger, database: ((String) -> DatabaseLocation)? = nil, retry: RetryPolicy = RetryPolicy(initialDelay: 0.2, maximumDelay: 30, maximumAttempts: 20),
        nodes handedIn: (belgium: AccordNode, morocco: AccordNode)? = nil
    ) async throws -> Running {
        let pki = PKIDirectory(directory.appendingPathComponent("pki"))
        let now = Date()
        if !pki.exists {
            _ = try pki.initialise(name: "Accord Demo Federation CA", now: now, crlValidity: 7 * 86_400)
            for (participant, role) in [(Self.hub, CertificateRole.hub), (Self.belgium, .node), (Self.morocco, .node)] {
                try pki.issue(role: role, participant: participant, dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"], now: now, validityDays: 365)
                try pki.issue(role: .signer, participant: participant, dnsNames: [], ipAddresses: [], now: now, validityDays: 365)
            }
        } else if let current = try? RevocationList(pemEncoded: String(contentsOf: pki.crlURL, encoding: .utf8)), (current.nextUpdate ?? now) < now.addingTimeInterval(86_400) {
            _ = try pki.publishCRL(now: now, validity: 7 * 86_400)
        }
        if (try? FederationMaterials.load(pki: pki, participant: Self.georgia, tlsRole: .node)) == nil {
            // Demo data from before Georgia joined: add its certificates.
            try pki.issue(role: .node, participant: Self.georgia, dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"], now: now, validityDays: 365)
            try pki.issue(role: .signer, participant: Self.georgia, dnsNames: [], ipAddresses: [], now: now, validityDays: 365)
        }
        let hubMaterials = try FederationMaterials.load(pki: pki, participant: Self.hub, tlsRole: .hub)
        let belgiumMaterials = try FederationMaterials.load(pki: pki, participant: Self.belgium, tlsRole: .node)
        let moroccoMaterials = try FederationMaterials.load(pki: pki, participant: Self.morocco, tlsRole: .node)
        let georgiaMaterials = try FederationMaterials.load(pki: pki, participant: Self.georgia, tlsRole: .node)

        var stores: [SQLStore] = []
        func open(_ name: String) async throws -> SQLStore {
            let location = database?(name) ?? .sqlite(path: directory.appendingPathComponent("\(name).sqlite").path)
            let store = try await SQLStore.open(location, logger: logger)
            _ = try await Migrator(store: store).migrate(logger: logger)
            stores.append(store)
            return store
        }
        let hubStore = try await open("hub")
        var nodes: [AccordNode] = []
        func node(_ name: String) async throws -> AccordNode {
            var configuration = NodeConfiguration(dataDirectory: directory.appendingPathComponent(name).path, nodeName: name)
            if case .postgres(let url)? = database?(name) { configuration.databaseURL = url }
            let opened = try await AccordNode.open(configuration, logger: logger)
            nodes.append(opened)
            return opened
        }
        let belgiumNode: AccordNode
        let moroccoNode: AccordNode
        if let handedIn {
            (belgiumNode, moroccoNode) = handedIn
        } else {
            belgiumNode = try await node("node-bel")
            moroccoNode = try await node("node-mar")
        }
        let (belgiumStore, moroccoStore) = (belgiumNode.store, moroccoNode.store)

        // Morocco listens on a port chosen now; the configuration tells the hub where.
        let moroccoPort = try LoopbackPorts.free()
        let configuration = FederationConfiguration(
            serial: Int(now.timeIntervalSince1970), issuedAt: now, hub: Self.hub,
            participants: [
                Participant(id: Self.hub, name: "Accord demo hub", delivery: .push, signerCertificates: [hubMaterials.signerCertificatePEM]),
                Participant(id: Self.belgium, name: "Belgium — Immigration Office (requesting state)", delivery: .pull, signerCertificates: [belgiumMaterials.signerCertificatePEM]),
                Participant(id: Self.morocco, name: "Morocco — Ministry of the Interior (partner country)", delivery: .push,
                            endpoint: "\(host):\(moroccoPort)", signerCertificates: [moroccoMaterials.signerCertificatePEM]),
                Participant(id: Self.georgia, name: "Georgia — Ministry of Internal Affairs (quick-win module on the hub)", delivery: .pull,
                            signerCertificates: [georgiaMaterials.signerCertificatePEM]),
            ],
            agreements: [
                Agreement(id: "EU-MAR-2026", parties: [Self.belgium, Self.morocco], messageTypes: MessageType.allCases.filter { $0 != .receipt && $0 != .error }),
                Agreement(id: "EU-GEO-2026", parties: [Self.belgium, Self.georgia], messageTypes: MessageType.allCases.filter { $0 != .receipt && $0 != .error }),
            ]
        )
        let hub = try await HubRuntime.start(
            store: hubStore, materials: hubMaterials, configuration: configuration, crlFile: pki.crlURL, host: host, port: 0,
            retry: retry, logger: logger
        )
        let hubEndpoint = FederationEndpoint(host: host, port: hub.listener.port)
        let morocco = try await NodeExchangeRuntime.start(store: moroccoStore, materials: moroccoMaterials, hub: hubEndpoint, listen: (host, moroccoPort), logger: logger)
        let belgium = try await NodeExchangeRuntime.start(store: belgiumStore, materials: belgiumMaterials, hub: hubEndpoint, listen: nil, logger: logger)
        return Running(hub: hub, belgium: belgium, morocco: morocco, hubStore: hubStore, belgiumStore: belgiumStore, moroccoStore: moroccoStore,
                       belgiumNode: belgiumNode, moroccoNode: moroccoNode, hubEndpoint: hubEndpoint, pki: pki, stores: stores, nodes: nodes)
    }

    public struct Summary: Sendable {
        public let sent: Int
        public let delivered: Int
        public let medianLatency: Duration
        public let hubLogEntries: Int
        public let hubLogIntact: Bool
    }

    /// Sends `count` applications Belgium → Morocco and a decision back for each; waits until
    /// every one is delivered with a receipt the sender verified.
    public static func exchange(_ running: Running, count: Int, timeout: Duration = .seconds(60)) async throws -> Summary {
        var pending: [(NodeExchangeRuntime, [UInt8], ContinuousClock.Instant)] = []
        for _ in 0..<count {
            let application = try sample(.readmissionApplication, from: running.belgium.service.issuer.signer, to: morocco)
            _ = try await running.belgium.service.submit(application)
            pending.append((running.belgium, application, .now))
            let decision = try sample(.decision, from: running.morocco.service.issuer.signer, to: belgium)
            _ = try await running.morocco.service.submit(decision)
            pending.append((running.morocco, decision, .now))
        }
        var latencies: [Duration] = []
        let deadline = ContinuousClock.now + timeout
        while !pending.isEmpty, ContinuousClock.now < deadline {
            var still: [(NodeExchangeRuntime, [UInt8], ContinuousClock.Instant)] = []
            for item in pending {
                if try await item.0.service.status(of: item.1) == .delivered {
                    latencies.append(item.2.duration(to: .now))
                } else {
                    still.append(item)
                }
            }
            pending = still
            if !pending.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
        }
        let log = try await (running.hub.service.store as? SQLExchangeStore)?.verifyLog()
        latencies.sort()
        return Summary(
            sent: count * 2, delivered: latencies.count, medianLatency: latencies.isEmpty ? .zero : latencies[latencies.count / 2],
            hubLogEntries: log?.entries ?? 0, hubLogIntact: log?.problems.isEmpty ?? false
        )
    }

    /// A sample message of `type`, freshly identified and signed.
    public static func sample(_ type: MessageType, from signer: any MessageSigner, to recipient: ParticipantID) throws -> [UInt8] {
        var message = MessageExamples.message(type)
        let now = Date()
        message.envelope.messageID = .init()
        message.envelope.conversationID = .init()
        message.envelope.sender = signer.participant
        message.envelope.recipient = recipient
        message.envelope.createdAt = now
        message.envelope.expiresAt = now.addingTimeInterval(30 * 86_400)
        return try MessageCodec.sign(message, encoding: type == .decision ? .xml : .json, with: signer)
    }
}
