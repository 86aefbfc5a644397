public import CoreMetrics

/// `/metrics` figures per adapter: calls by outcome, latency, and the breaker's state.
public struct AdapterMetrics: Sendable {
    let factory: (any MetricsFactory)?

    /// `factory`: the node's Prometheus registry; nil records nothing.
    public init(factory: (any MetricsFactory)? = nil) {
        self.factory = factory
    }

    func call(_ system: String, outcome: String, cached: Bool, elapsed: Duration) {
        guard let factory else { return }
        Counter(label: "accord_adapter_calls_total", dimensions: [("adapter", system), ("outcome", outcome)], factory: factory).increment()
        if outcome != "answered" {
            Counter(label: "accord_adapter_errors_total", dimensions: [("adapter", system), ("code", outcome)], factory: factory).increment()
        }
        if !cached {
            Timer(label: "accord_adapter_call_duration_seconds", dimensions: [("adapter", system)], factory: factory)
                .recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        }
    }

    func breaker(_ system: String, _ state: CircuitBreaker.State) {
        guard let factory else { return }
        Gauge(label: "accord_adapter_breaker_state", dimensions: [("adapter", system)], factory: factory).record(state.gaugeValue)
    }
}
