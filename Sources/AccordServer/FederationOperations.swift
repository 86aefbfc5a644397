import Console
import Federation
import Foundation
import Gateway
public import Hummingbird
import Prometheus
import Storage

/// The operations side of a hub or federated node on its HTTP port: Prometheus `/metrics` and
/// (hub) the console's federation overview.
extension FederationRole {
    var registry: PrometheusCollectorRegistry {
        switch self {
        case .hub(let hub): hub.metrics
        case .node(let node): node.metrics
        }
    }

    /// `/metrics` in the Prometheus text format; a hub first reads its queue depth from the
    /// database, so the gauges are exact after a restart.
    func addMetricsRoute<Context: RequestContext>(to router: Router<Context>, also node: PrometheusCollectorRegistry? = nil) {
        let role = self
        router.get("metrics") { _, _ -> Response in
            if case .hub(let hub) = role, let store = hub.service.store as? SQLExchangeStore {
                hub.service.metrics.queueDepth(try await store.counts())
            }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: role.registry.emitToBuffer() + (node?.emitToBuffer() ?? [])))
            )
        }
    }

    /// What the console's federation page shows (hub only).
    var overview: (@Sendable () async throws -> FederationOverview)? {
        guard case .hub(let hub) = self, let store = hub.service.store as? SQLExchangeStore else { return nil }
        return {
            let configuration = hub.service.state.configuration
            let queues = try await store.queues()
            let dead = try await store.deadLetters(limit: 100)
            return FederationOverview(
                hub: configuration.hub.rawValue, configurationSerial: configuration.serial,
                participants: configuration.participants.map {
                    .init(id: $0.id.rawValue, name: $0.name, delivery: $0.delivery.rawValue, endpoint: $0.endpoint ?? "—", active: $0.active)
                },
                queues: queues.map {
                    .init(recipient: $0.recipient.rawValue, queued: $0.counts[.queued] ?? 0, delivered: $0.counts[.delivered] ?? 0,
                          failed: $0.counts[.failed] ?? 0, oldestQueued: $0.oldestQueued)
                },
                deadLetters: dead.map {
                    .init(sender: $0.item.key.sender.rawValue, messageID: $0.item.key.messageID.rawValue, recipient: $0.item.recipient.rawValue,
                          type: $0.item.messageType.rawValue, attempts: $0.item.attempts, lastError: $0.item.lastError ?? "", failedAt: $0.failedAt)
                },
                logEntries: try await store.logSize()
            )
        }
    }
}
