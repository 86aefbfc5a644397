public import Federation
public import Foundation
public import Logging

/// Pushes queued messages to the nodes that accept connections, with exponential backoff and
/// jitter; after `RetryPolicy.maximumAttempts` a message becomes a dead letter (logged at error
/// level and counted). Everything it needs is in the database, so after a crash it simply
/// resumes: a message delivered just before the crash is delivered again, and the recipient's
/// inbox answers the duplicate with the receipt it already signed.
public struct DeliveryWorker: Sendable {
    public let hub: HubService
    public let client: FederationClient
    public var retry: RetryPolicy
    public var batchSize = 64
    public var idleDelay: Duration = .milliseconds(100)
    /// How long a message waits for a pull node to fetch it before it becomes a dead letter.
    public var pullExpiry: TimeInterval = 7 * 86_400

    public init(hub: HubService, client: FederationClient, retry: RetryPolicy = RetryPolicy()) {
        self.hub = hub
        self.client = client
        self.retry = retry
    }

    /// Runs until cancelled.
    public func run() async {
        var lastExpiry = ContinuousClock.now - .seconds(3_600)
        while !Task.isCancelled {
            // The pull expiry sweep is a query of its own: once a minute, not on every pass.
            if lastExpiry.duration(to: .now) > .seconds(60) {
                try? await expireUnfetched()
                lastExpiry = .now
            }
            let delivered = (try? await runOnce()) ?? 0
            if delivered == 0 { try? await Task.sleep(for: idleDelay) }
        }
    }

    /// Dead-letters what pull nodes have not fetched within `pullExpiry`.
    public func expireUnfetched() async throws {
        let configuration = hub.state.configuration
        let now = hub.state.now
        let pull = configuration.participants.filter { $0.delivery == .pull }.map(\.id)
        for item in try await hub.store.expire(recipients: pull, acceptedBefore: now.addingTimeInterval(-pullExpiry),
                                               reason: "not fetched within \(Int(pullExpiry)) s", at: now) {
            hub.metrics.failedAttempt(to: item.recipient, deadLetter: true)
            hub.logger.error("dead letter: \(item.key) to pull node \(item.recipient) was not fetched in time")
        }
    }

    /// One pass over the due push deliveries; returns how many were attempted.
    @discardableResult
    public func runOnce() async throws -> Int {
        let configuration = hub.state.configuration
        let now = hub.state.now
        // Only push recipients: a long queue for an absent pull node must not hold up the others.
        let push = configuration.participants.filter { $0.delivery == .push && $0.id != configuration.hub }.map(\.id)
        let due = try await hub.store.due(recipients: push, limit: batchSize, now: now)
        await withTaskGroup(of: Void.self) { group in
            for item in due {
                group.addTask { await deliver(item, to: configuration.participant(item.recipient)) }
            }
        }
        return due.count
    }

    func deliver(_ item: OutboxItem, to participant: Participant?) async {
        do {
            guard let participant, let endpoint = participant.endpoint.flatMap(FederationEndpoint.init(parsing:)) else {
                throw GatewayError.transport("\(item.recipient) has no push endpoint")
            }
            let response = try await client.send(
                "POST", "/federation/v1/inbox", body: item.payload, contentType: "application/octet-stream",
                to: endpoint, expecting: item.recipient, roles: [.node]
            )
            guard response.status == 200 else {
                throw GatewayError.transport("\(item.recipient) answered \(response.status): \(String(decoding: response.body.prefix(300), as: UTF8.self))")
            }
            _ = try await hub.acknowledge(receipt: response.body, from: item.recipient)
        } catch {
            let now = hub.state.now
            let retryAt = retry.nextAttempt(after: item.attempts + 1, now: now)
            hub.metrics.failedAttempt(to: item.recipient, deadLetter: retryAt == nil)
            if retryAt == nil {
                hub.logger.error("dead letter: \(item.key) to \(item.recipient) after \(item.attempts + 1) attempts: \(error)")
            }
            try? await hub.store.attemptFailed(item.key, error: "\(error)", retryAt: retryAt, at: now)
        }
    }
}

extension FederationEndpoint {
    /// `host:port`.
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65_535).contains(port) else { return nil }
        self.init(host: String(text[..<colon]), port: port)
    }
}
