public import Exchange
public import Federation
public import Foundation
public import Gateway
public import Hummingbird
import HummingbirdTLS
public import Prometheus
import ServiceLifecycle
public import Logging
public import Storage
import X509
public import Crypto

/// What one participant's installation needs to join the federation, read from a PKI directory
/// (`accord pki …`): the federation CA and current CRL, its TLS identity and its signer.
public struct FederationMaterials: Sendable {
    public let trust: TrustState
    public let tls: TLSIdentity
    public let signer: P256MessageSigner
    public let signerCertificatePEM: String
    /// The signer's key also signs the message log's checkpoints, so that any participant can
    /// check an inclusion proof with the certificate the federation configuration lists.
    public let checkpointKey: P256.Signing.PrivateKey

    public static func load(pki: PKIDirectory, participant: ParticipantID, tlsRole: CertificateRole) throws -> FederationMaterials {
        let authority = try Certificate(pemEncoded: String(contentsOf: pki.url.appendingPathComponent("ca.pem"), encoding: .utf8))
        let crl = try RevocationList(pemEncoded: String(contentsOf: pki.crlURL, encoding: .utf8))
        let signerPEM = try String(contentsOf: pki.certificateURL(participant, .signer), encoding: .utf8)
        let signerKeyPEM = try String(contentsOf: pki.keyURL(participant, .signer), encoding: .utf8)
        return FederationMaterials(
            trust: TrustState(try FederationTrust(authority: authority, revocationList: crl)),
            tls: try TLSIdentity(certificateFile: pki.certificateURL(participant, tlsRole).path, keyFile: pki.keyURL(participant, tlsRole).path),
            signer: try P256MessageSigner(participant: participant, privateKeyPEM: signerKeyPEM, certificatePEM: signerPEM),
            signerCertificatePEM: signerPEM,
            checkpointKey: try P256.Signing.PrivateKey(pemRepresentation: signerKeyPEM)
        )
    }

    /// Re-reads the CRL file every `interval` and installs a newer one, until cancelled. A CRL
    /// that does not verify is logged and ignored; when the loaded one expires, handshakes fail
    /// closed until a current one appears.
    /// After every pass the message-signer trust is derived again (`FederationState.refreshSigners`),
    /// so a revoked or expired signer stops being trusted within one interval.
    public func refreshRevocationList(from file: URL?, every interval: Duration, state: FederationState, logger: Logger) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if let file {
                do {
                    let list = try RevocationList(pemEncoded: String(contentsOf: file, encoding: .utf8))
                    if list.number > (trust.current.revocationList?.number ?? 0) {
                        try trust.update(revocationList: list)
                        logger.notice("installed CRL number \(list.number)")
                    }
                } catch {
                    logger.error("cannot load the CRL from \(file.path): \(error)")
                }
            }
            await state.refreshSigners()
        }
    }
}

extension FederationMaterials {
    /// Signs a checkpoint of the message log every `interval` (when it grew) and once more when
    /// cancelled, so at most one interval of entries rests on the hash chain alone.
    func checkpointLoop(_ store: SQLExchangeStore, every interval: Duration, logger: Logger) async {
        let origin = "accord-exchange-log/\(signer.participant)"
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            do {
                try await store.checkpoint(origin: origin, key: checkpointKey, at: Date())
            } catch {
                logger.error("message log checkpoint failed: \(error)")
            }
        }
        _ = try? await store.checkpoint(origin: origin, key: checkpointKey, at: Date())
    }
}

/// A federation-port server (mutual TLS) running in the background.
public final class FederationListener: Sendable {
    public let port: Int
    let group: ServiceGroup
    let task: Task<Void, any Error>

    init(port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.group = group
        self.task = task
    }

    /// Stops accepting connections and lets requests in flight finish; after `grace` (a
    /// long-poll may still be waiting) whatever is left is cancelled.
    public func stop(grace: Duration = .seconds(2)) async {
        await group.triggerGracefulShutdown()
        let task = self.task
        let timer = Task {
            try await Task.sleep(for: grace)
            task.cancel()
        }
        _ = await task.result
        timer.cancel()
    }

    public static func start(
        identity: TLSIdentity, trust: TrustState, clientRoles: Set<CertificateRole>, host: String, port: Int, logger: Logger,
        lifetime: ConnectionLifetimeConfiguration = ConnectionLifetimeConfiguration(),
        routes: (Router<FederationRequestContext>) -> Void
    ) async throws -> FederationListener {
        let router = FederationServer.router(trust: trust, clientRoles: clientRoles)
        routes(router)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            server: try FederationServer.server(identity: identity, trust: trust, clientRoles: clientRoles, lifetime: lifetime),
            configuration: .init(address: .hostname(host, port: port)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        // Stopped by `stop()`, never by a signal: the process that owns it decides when.
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next(), bound > 0 else {
            task.cancel()
            throw GatewayError(code: "gateway.listen_failed", reason: "cannot listen on \(host):\(port)")
        }
        return FederationListener(port: bound, group: group, task: task)
    }
}

/// A hub: its listener, push worker and CRL refresh, over one store.
public struct HubRuntime: Sendable {
    public let service: HubService
    public let listener: FederationListener
    public let metrics: PrometheusCollectorRegistry
    let client: FederationClient
    let background: [Task<Void, Never>]

    public static func start(
        store: SQLStore, materials: FederationMaterials, configuration: FederationConfiguration, crlFile: URL?,
        host: String, port: Int, crlRefresh: Duration = .seconds(60), checkpointInterval: Duration = .seconds(60), retry: RetryPolicy = RetryPolicy(),
        logger: Logger = Logger(label: "accord.hub")
    ) async throws -> HubRuntime {
        let state = await FederationState(trust: materials.trust, configuration: configuration)
        let publisher = ConfigurationPublisher(state: state, signer: materials.signer)
        _ = try publisher.current()
        var service = HubService(state: state, store: SQLExchangeStore(store: store), logger: logger)
        service.configurationPublisher = { try? publisher.current() }
        let registry = PrometheusCollectorRegistry()
        service.metrics = GatewayMetrics(factory: PrometheusMetricsFactory(registry: registry))
        let hub = service
        let listener = try await FederationListener.start(identity: materials.tls, trust: materials.trust, clientRoles: [.node], host: host, port: port, logger: logger) {
            hub.addRoutes(to: $0)
        }
        let client = try FederationClient(identity: materials.tls, trust: materials.trust)
        let worker = DeliveryWorker(hub: hub, client: client, retry: retry)
        let exchangeStore = SQLExchangeStore(store: store)
        let background = [
            Task { await worker.run() }, Task { await materials.checkpointLoop(exchangeStore, every: checkpointInterval, logger: logger) },
            Task { await materials.refreshRevocationList(from: crlFile, every: crlRefresh, state: state, logger: logger) },
        ]
        return HubRuntime(service: hub, listener: listener, metrics: registry, client: client, background: background)
    }

    public func stop() async {
        for task in background { task.cancel() }
        for task in background { await task.value }
        client.closeIdleConnections()
        await listener.stop()
    }
}

/// A node's exchange: fetches and verifies the hub's signed configuration, then either listens
/// for pushed deliveries or pulls from the hub.
public struct NodeExchangeRuntime: Sendable {
    public let service: NodeService
    public let listener: FederationListener?
    public let metrics: PrometheusCollectorRegistry
    let background: [Task<Void, Never>]

    public static func start(
        store: SQLStore, materials: FederationMaterials, hub: FederationEndpoint, listen: (host: String, port: Int)?,
        crlFile: URL? = nil, crlRefresh: Duration = .seconds(60), checkpointInterval: Duration = .seconds(60), configurationRefresh: Duration = .seconds(300),
        logger: Logger = Logger(label: "accord.node.exchange")
    ) async throws -> NodeExchangeRuntime {
        let client = try FederationClient(identity: materials.tls, trust: materials.trust)
        let configuration = try await NodeService.fetchConfiguration(client: client, hub: hub, trust: materials.trust)
        let state = await FederationState(trust: materials.trust, configuration: configuration)
        var service = NodeService(signer: materials.signer, state: state, inbox: SQLExchangeStore(store: store), client: client, hubEndpoint: hub, logger: logger)
        let registry = PrometheusCollectorRegistry()
        service.metrics = GatewayMetrics(factory: PrometheusMetricsFactory(registry: registry))
        let exchangeStore = SQLExchangeStore(store: store)
        let node = service
        var background = [
            Task { await materials.checkpointLoop(exchangeStore, every: checkpointInterval, logger: logger) },
            Task { await node.runConfigurationRefresh(every: configurationRefresh) },
            Task { await materials.refreshRevocationList(from: crlFile, every: crlRefresh, state: state, logger: logger) },
        ]
        if let listen {
            let listener = try await FederationListener.start(identity: materials.tls, trust: materials.trust, clientRoles: [.hub], host: listen.host, port: listen.port, logger: logger) {
                node.addRoutes(to: $0)
            }
            return NodeExchangeRuntime(service: service, listener: listener, metrics: registry, background: background)
        }
        background.append(Task { await node.runPullLoop() })
        return NodeExchangeRuntime(service: service, listener: nil, metrics: registry, background: background)
    }

    public func stop() async {
        for task in background { task.cancel() }
        for task in background { await task.value }
        service.client.closeIdleConnections()
        await listener?.stop()
    }
}

/// What part an installation plays in the federation, if any: the hub, or a node connected to it.
public enum FederationRole: Sendable {
    case hub(HubRuntime)
    case node(NodeExchangeRuntime)

    public func stop() async {
        switch self {
        case .hub(let hub): await hub.stop()
        case .node(let node): await node.stop()
        }
    }
}
