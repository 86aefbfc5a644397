public import CoreMetrics
public import Exchange
public import Federation
import Foundation

/// The exchange's metrics (swift-metrics), created from the factory the composition root hands
/// in — a Prometheus registry in `accord hub serve` / `accord node serve`, nothing by default.
/// Queue depth is read from the database when scraped (see `queueDepth`), so it is exact after
/// a restart; the counters count since the process started.
public struct GatewayMetrics: Sendable {
    let factory: any MetricsFactory

    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    /// A message the hub admitted, logged and queued.
    func accepted(from sender: ParticipantID) {
        Counter(label: "accord_federation_messages_accepted_total", dimensions: [("sender", sender.rawValue)], factory: factory).increment()
    }

    /// A message the hub refused, by error code.
    func refused(code: String) {
        Counter(label: "accord_federation_messages_refused_total", dimensions: [("code", code)], factory: factory).increment()
    }

    /// A delivery whose receipt verified, and how long after acceptance.
    func delivered(to recipient: ParticipantID, after seconds: TimeInterval) {
        Counter(label: "accord_federation_deliveries_total", dimensions: [("recipient", recipient.rawValue), ("outcome", "delivered")], factory: factory).increment()
        Timer(label: "accord_federation_delivery_latency_seconds", dimensions: [], factory: factory)
            .recordNanoseconds(Int64(max(0, seconds) * 1_000_000_000))
    }

    /// A failed push attempt: `retry` or `dead_letter`.
    func failedAttempt(to recipient: ParticipantID, deadLetter: Bool) {
        Counter(label: "accord_federation_deliveries_total", dimensions: [("recipient", recipient.rawValue), ("outcome", deadLetter ? "dead_letter" : "retry")], factory: factory).increment()
    }

    /// A message a node received and recorded (duplicates are not counted).
    func received(from sender: ParticipantID) {
        Counter(label: "accord_federation_messages_received_total", dimensions: [("sender", sender.rawValue)], factory: factory).increment()
    }

    /// Sets the queue-depth gauges from the store's counts.
    public func queueDepth(_ counts: [DeliveryState: Int]) {
        for state in [DeliveryState.queued, .delivered, .failed] {
            Gauge(label: "accord_federation_outbox_messages", dimensions: [("state", state.rawValue)], factory: factory).record(counts[state] ?? 0)
        }
    }
}
