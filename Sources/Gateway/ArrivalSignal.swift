import Synchronization

/// Tells the consumer of a node's inbox that something arrived, so that it need not wait for
/// its next pass. Missed signals cost only latency: the consumer also polls.
public final class ArrivalSignal: Sendable {
    private let raised = Mutex(false)

    public init() {}

    public func raise() {
        raised.withLock { $0 = true }
    }

    /// Returns once raised (clearing it) or after `timeout`.
    public func wait(timeout: Duration, granularity: Duration = .milliseconds(25)) async {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline, !Task.isCancelled {
            if raised.withLock({ value in defer { value = false }; return value }) { return }
            try? await Task.sleep(for: min(granularity, ContinuousClock.now.duration(to: deadline)))
        }
    }
}
