import AccordCore
public import Exchange
public import Federation
public import Foundation
public import Hummingbird
public import Logging

/// The hub: takes signed messages from nodes over mTLS, admits them (signature, sender = TLS
/// peer = signer, agreement, sharing rules), logs and queues them in one transaction and only
/// then answers 202; delivers by push (`DeliveryWorker`) or lets pull nodes fetch them; records
/// verified receipts, which senders read back with the message's state.
public struct HubService: Sendable {
    public let state: FederationState
    public let store: any HubMessageStore
    public let logger: Logger
    public var metrics = GatewayMetrics()
    /// How many of one participant's submissions are verified at once.
    public var intakeLimit = PeerConcurrencyLimit()

    public init(state: FederationState, store: any HubMessageStore, logger: Logger = Logger(label: "accord.hub")) {
        self.state = state
        self.store = store
        self.logger = logger
    }

    public struct Acceptance: Codable, Sendable {
        public let sender: String
        public let messageID: String
        public let recipient: String
        public let state: DeliveryState
        public let digest: String
        public let logIndex: Int
        public let acceptedAt: Date
        public let attempts: Int
        public let lastError: String?
        /// The recipient's signed receipt (base64), once delivered.
        public let receipt: String?

        init(_ item: OutboxItem) {
            sender = item.key.sender.rawValue
            messageID = item.key.messageID.rawValue
            recipient = item.recipient.rawValue
            state = item.state
            digest = item.digest
            logIndex = item.logIndex
            acceptedAt = item.acceptedAt
            attempts = item.attempts
            lastError = item.lastError
            receipt = item.receipt.map { Data($0).base64EncodedString() }
        }
    }

    public struct PendingMessage: Codable, Sendable {
        public let sender: String
        public let messageID: String
        /// The signed message, base64.
        public let payload: String
    }

    public func addRoutes(to router: Router<FederationRequestContext>) {
        let group = router.group("federation/v1").add(middleware: FederationErrorMiddleware())
        group.post("messages") { request, context -> Response in
            let peer = try await context.peer()
            let bytes = Array(try await request.body.collect(upTo: context.maxUploadSize).readableBytesView)
            let admitted: AdmittedMessage
            do {
                admitted = try await intakeLimit.run(peer.participant) {
                    try HubIntake.admit(bytes, peer: peer, configuration: state.configuration, signers: state.signers, now: state.now)
                }
            } catch {
                logger.notice("refused a message from \(peer.participant): \(error)")
                metrics.refused(code: (error as? any AccordError)?.code ?? "federation.invalid")
                throw error
            }
            let item = try await store.accept(admitted, at: state.now)
            metrics.accepted(from: peer.participant)
            return try FederationResponses.json(Acceptance(item), status: .accepted)
        }
        group.get("messages/:messageID") { request, context -> Response in
            let peer = try await context.peer()
            guard let id = context.parameters.get("messageID").flatMap(Message.ID.init) else {
                throw FederationError(code: "federation.bad_request", reason: "not a message ID")
            }
            guard let item = try await store.item(MessageKey(sender: peer.participant, messageID: id)) else {
                throw FederationError(code: "federation.no_such_message", reason: "no message \(id) from \(peer.participant)", category: .notFound)
            }
            return try FederationResponses.json(Acceptance(item))
        }
        group.get("outbox") { request, context -> Response in
            let peer = try await context.peer()
            let limit = min(max(request.uri.queryParameters.get("limit", as: Int.self) ?? 50, 1), 500)
            let wait = min(max(request.uri.queryParameters.get("wait", as: Int.self) ?? 0, 0), 30)
            let deadline = ContinuousClock.now + .seconds(wait)
            while true {
                // A pull node gets its queued messages whatever their retry time: it asked.
                let items = try await store.due(recipients: [peer.participant], limit: limit, now: .distantFuture)
                if !items.isEmpty || ContinuousClock.now >= deadline {
                    return try FederationResponses.json(items.map { PendingMessage(sender: $0.key.sender.rawValue, messageID: $0.key.messageID.rawValue, payload: Data($0.payload).base64EncodedString()) })
                }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        group.post("outbox/ack") { request, context -> Response in
            let peer = try await context.peer()
            let receipt = Array(try await request.body.collect(upTo: context.maxUploadSize).readableBytesView)
            let item = try await acknowledge(receipt: receipt, from: peer.participant)
            return try FederationResponses.json(Acceptance(item))
        }
        group.get("configuration") { _, _ -> Response in
            guard let signed = configurationPublisher() else {
                throw FederationError(code: "federation.no_configuration", reason: "the hub has no signed configuration", category: .unavailable)
            }
            return try FederationResponses.json(signed)
        }
    }

    /// Set by the composition root: the current signed configuration, for nodes to fetch.
    public var configurationPublisher: @Sendable () -> SignedConfiguration? = { nil }

    /// Verifies a receipt from `recipient` against the queued message it names and records it.
    public func acknowledge(receipt: [UInt8], from recipient: ParticipantID) async throws -> OutboxItem {
        let opened = try MessageCodec.open(receipt, trust: state.signers, now: state.now)
        guard case .receipt(let body) = opened.message.body, opened.message.envelope.sender == recipient,
              let messageID = Message.ID(body.receivedMessageID) else {
            throw FederationError.senderMismatch("not a receipt from \(recipient)")
        }
        let key = MessageKey(sender: opened.message.envelope.recipient, messageID: messageID)
        guard let item = try await store.item(key), item.recipient == recipient else {
            throw FederationError(code: "federation.no_such_message", reason: "no message \(key) for \(recipient)", category: .notFound)
        }
        // The receipt was opened (signature verified) above; the outbox knows what was sent.
        _ = try ReceiptIssuer.check(opened: opened, sentDigest: item.digest, recipient: item.recipient, messageID: item.key.messageID)
        let now = state.now
        try await store.delivered(key, receipt: receipt, at: now)
        if item.state == .queued { metrics.delivered(to: recipient, after: now.timeIntervalSince(item.acceptedAt)) }
        return try await store.item(key) ?? item
    }
}
