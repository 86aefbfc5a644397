public import AccordCore
public import Exchange
public import Federation
public import Foundation
public import Hummingbird
public import Logging

/// A node's side of the exchange: receives messages (pushed by the hub, or pulled from it),
/// verifies the original sender's signature itself, records the message and its receipt in one
/// transaction, and submits its own messages to the hub and follows their delivery.
public struct NodeService: Sendable {
    public let participant: ParticipantID
    public let state: FederationState
    public let inbox: any NodeInboxStore
    public let issuer: ReceiptIssuer
    public let client: FederationClient
    public let hubEndpoint: FederationEndpoint
    public let logger: Logger
    public var metrics = GatewayMetrics()
    /// Raised when a new message is in the inbox, for the consumer that takes messages into cases.
    public let arrivals = ArrivalSignal()

    public init(
        signer: any MessageSigner, state: FederationState, inbox: any NodeInboxStore, client: FederationClient, hubEndpoint: FederationEndpoint,
        clock: any WallClock = SystemWallClock(), logger: Logger = Logger(label: "accord.node.exchange")
    ) {
        self.participant = signer.participant
        self.state = state
        self.inbox = inbox
        self.issuer = ReceiptIssuer(signer: signer, store: TransientReceiptStore(), clock: clock)
        self.client = client
        self.hubEndpoint = hubEndpoint
        self.logger = logger
    }

    var hub: ParticipantID { state.configuration.hub }

    /// Verifies and records one delivered message; returns the signed receipt (the stored one for
    /// a duplicate).
    public func receive(_ bytes: [UInt8]) async throws -> [UInt8] {
        let inbound = try MessageCodec.open(bytes, trust: state.signers, now: state.now)
        guard inbound.message.envelope.recipient == participant else {
            throw FederationError(code: "federation.wrong_recipient", reason: "the message is for \(inbound.message.envelope.recipient), not \(participant)", category: .forbidden)
        }
        // The recipient does not trust the hub's admission: no agreement, no legal clock.
        _ = try state.configuration.admissibleAgreement(for: inbound.message)
        let issuer = self.issuer
        // One instant for the receipt and the inbox: the legal clocks start at the receipt's time.
        let now = state.now.truncatedToMilliseconds
        let result = try await inbox.receive(inbound, at: now) { try await issuer.receipt(for: $0, at: now) }
        if result.isNew {
            metrics.received(from: inbound.message.envelope.sender)
            arrivals.raise()
        }
        return result.receipt
    }

    /// Messages the inbox holds that no consumer has taken yet, verified again from their stored
    /// bytes (signature against the signers this node trusts; their validity was checked on receipt).
    public func untaken(limit: Int) async throws -> [(stored: StoredInboundMessage, message: InboundMessage?)] {
        try await inbox.untaken(limit: limit).map { stored in
            (stored, try? MessageCodec.open(stored.bytes, trust: state.signers, now: nil))
        }
    }

    public func markTaken(_ key: MessageKey, problem: String?) async throws {
        try await inbox.markTaken(key, problem: problem, at: state.now)
    }

    /// The push endpoint: only the hub may deliver.
    public func addRoutes(to router: Router<FederationRequestContext>) {
        let group = router.group("federation/v1").add(middleware: FederationErrorMiddleware())
        group.post("inbox") { request, context -> Response in
            let peer = try await context.peer()
            guard peer.participant == hub, peer.role == .hub else {
                throw FederationError(code: "federation.not_the_hub", reason: "only the hub delivers to a node", category: .forbidden)
            }
            let bytes = Array(try await request.body.collect(upTo: context.maxUploadSize).readableBytesView)
            return FederationResponses.bytes(try await receive(bytes), contentType: "application/octet-stream")
        }
    }

    // MARK: Talking to the hub

    func call(_ method: String, _ path: String, body: [UInt8] = []) async throws -> FederationResponse {
        try await client.send(method, path, body: body, contentType: body.isEmpty ? nil : "application/octet-stream", to: hubEndpoint, expecting: hub, roles: [.hub])
    }

    static func decode<T: Decodable>(_ type: T.Type, _ response: FederationResponse) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = Timestamp.decodingStrategy
        guard (200..<300).contains(response.status) else {
            // 5xx: the hub could not take it now; only a 4xx is the hub's answer about the message.
            if response.status >= 500 { throw GatewayError.transport("the hub answered \(response.status)") }
            if let failure = try? decoder.decode(FederationResponses.ErrorBody.self, from: Data(response.body)) {
                throw FederationError(code: failure.error.code, reason: failure.error.message, category: response.status == 403 ? .forbidden : .invalidInput)
            }
            throw GatewayError.transport("the hub answered \(response.status)")
        }
        return try decoder.decode(type, from: Data(response.body))
    }

    /// Fetches the hub's signed configuration and verifies it: signed by a hub signer of the
    /// federation, served by the participant it names as hub, without problems.
    public static func fetchConfiguration(client: FederationClient, hub endpoint: FederationEndpoint, trust: TrustState) async throws -> FederationConfiguration {
        let response = try await client.send("GET", "/federation/v1/configuration", to: endpoint, expecting: nil, roles: [.hub])
        guard response.status == 200 else { throw GatewayError(code: "gateway.no_configuration", reason: "the hub answered \(response.status) for its configuration") }
        let signed = try JSONDecoder().decode(SignedConfiguration.self, from: Data(response.body))
        let configuration = try await signed.verify(trust: trust.current, at: trust.clock())
        guard response.peer.participant == configuration.hub else {
            throw FederationError.senderMismatch("the hub at \(endpoint.host):\(endpoint.port) is \(response.peer.participant), but the configuration names \(configuration.hub)")
        }
        return configuration
    }

    /// Fetches the configuration again and installs it (X-Road's periodic global configuration
    /// download): new participants, agreements and signer certificates take effect, and signers
    /// are re-checked against the current CRL. A lower serial is refused.
    public func refreshConfiguration() async throws {
        let configuration = try await Self.fetchConfiguration(client: client, hub: hubEndpoint, trust: state.trust)
        let previous = state.configuration.serial
        try await state.install(configuration)
        if configuration.serial != previous { logger.notice("installed federation configuration serial \(configuration.serial)") }
    }

    /// Refreshes the configuration every `interval` until cancelled; failures are logged and
    /// the configuration in force stays.
    public func runConfigurationRefresh(every interval: Duration) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { return }
            do {
                try await refreshConfiguration()
            } catch {
                logger.warning("cannot refresh the federation configuration: \(error)")
            }
        }
    }

    /// Submits a signed message; the hub answers once it has logged and queued it.
    public func submit(_ signed: [UInt8]) async throws -> HubService.Acceptance {
        try Self.decode(HubService.Acceptance.self, try await call("POST", "/federation/v1/messages", body: signed))
    }

    /// The delivery state of a message this node sent. `delivered` only when the recipient's
    /// receipt verifies here, against the bytes this node signed.
    public func status(of signed: [UInt8]) async throws -> DeliveryState {
        try await track(signed).state
    }

    /// The delivery state with the recipient's receipt (verified against the bytes this node
    /// signed) and what it says, once delivered.
    public func track(_ signed: [UInt8]) async throws -> (state: DeliveryState, receipt: [UInt8]?, body: ReceiptBody?) {
        let original = try MessageCodec.open(signed, trust: state.signers, now: nil)
        let acceptance = try Self.decode(HubService.Acceptance.self, try await call("GET", "/federation/v1/messages/\(original.message.envelope.messageID)"))
        guard acceptance.state == .delivered else { return (acceptance.state, nil, nil) }
        guard let receipt = acceptance.receipt.flatMap({ Data(base64Encoded: $0) }) else { return (.queued, nil, nil) }
        let body = try ReceiptIssuer.check(Array(receipt), for: signed, message: original.message, trust: state.signers, now: nil)
        return (.delivered, Array(receipt), body)
    }

    /// One pull: fetches queued messages (waiting up to `wait` seconds), records each and
    /// acknowledges it with its receipt. Returns how many were received.
    @discardableResult
    public func pull(wait: Int = 0, limit: Int = 100) async throws -> Int {
        let pending = try Self.decode([HubService.PendingMessage].self, try await call("GET", "/federation/v1/outbox?limit=\(limit)&wait=\(wait)"))
        for message in pending {
            guard let bytes = Data(base64Encoded: message.payload) else { continue }
            do {
                let receipt = try await receive(Array(bytes))
                _ = try Self.decode(HubService.Acceptance.self, try await call("POST", "/federation/v1/outbox/ack", body: receipt))
            } catch let error as GatewayError {
                throw error
            } catch {
                // A message this node refuses stays queued at the hub until it dead-letters; log it.
                logger.error("refused pulled message \(message.sender)/\(message.messageID): \(error)")
            }
        }
        return pending.count
    }

    /// Pulls until cancelled (long-poll of 20 s). After a transport failure it waits with
    /// exponential backoff (1 s doubling to 30 s); the first failure is a warning, repeats are
    /// debug-level, and the recovery is a notice — an unreachable hub does not flood the log.
    public func runPullLoop() async {
        var failures = 0
        while !Task.isCancelled {
            do {
                try await pull(wait: 20)
                if failures > 0 { logger.notice("pulling from the hub again after \(failures) failed attempts") }
                failures = 0
            } catch {
                if Task.isCancelled { return }
                failures += 1
                if failures == 1 { logger.warning("pull from the hub failed (retrying with backoff): \(error)") } else { logger.debug("pull from the hub failed again (\(failures)): \(error)") }
                try? await Task.sleep(for: .seconds(min(30, 1 << min(failures - 1, 5))))
            }
        }
    }
}
