import Foundation
import Synchronization

/// Consecutive failures open the breaker; while open, calls fail at once; after `openFor` one
/// trial call is let through (half open) — its success closes the breaker, its failure opens it again.
public final class CircuitBreaker: Sendable {
    public enum State: String, Sendable {
        case closed, open
        case halfOpen = "half_open"

        /// For the `accord_adapter_breaker_state` gauge: 0 closed, 1 half open, 2 open.
        public var gaugeValue: Int {
            switch self {
            case .closed: 0
            case .halfOpen: 1
            case .open: 2
            }
        }
    }

    public enum Admission: Sendable, Equatable {
        case allowed
        case refused(retryIn: Duration)
    }

    struct Inner {
        var failures = 0
        var openedAt: ContinuousClock.Instant?
        var trialInFlight = false
    }

    let settings: AdapterManifest.Breaker
    private let inner = Mutex(Inner())

    public init(_ settings: AdapterManifest.Breaker) {
        self.settings = settings
    }

    public var state: State {
        inner.withLock { inner in
            guard let openedAt = inner.openedAt else { return .closed }
            return ContinuousClock.now - openedAt >= settings.openFor ? .halfOpen : .open
        }
    }

    /// Whether a call may go out now. In half-open state only one trial at a time.
    public func admit() -> Admission {
        inner.withLock { inner in
            guard let openedAt = inner.openedAt else { return .allowed }
            let elapsed = ContinuousClock.now - openedAt
            if elapsed < settings.openFor { return .refused(retryIn: settings.openFor - elapsed) }
            if inner.trialInFlight { return .refused(retryIn: .seconds(1)) }
            inner.trialInFlight = true
            return .allowed
        }
    }

    public func succeeded() {
        inner.withLock { inner in
            inner = Inner()
        }
    }

    /// A call that did not count against the system (a refused credential) ends a trial without a verdict.
    public func neutral() {
        inner.withLock { $0.trialInFlight = false }
    }

    public func failed() {
        inner.withLock { inner in
            inner.failures += 1
            if inner.openedAt != nil || inner.failures >= settings.failureThreshold {
                inner.openedAt = ContinuousClock.now
            }
            inner.trialInFlight = false
        }
    }
}

/// A token bucket: `burst` calls at once, refilled at `perSecond`.
public final class RateLimiter: Sendable {
    struct Inner {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let settings: AdapterManifest.RateLimit
    private let inner: Mutex<Inner>

    public init(_ settings: AdapterManifest.RateLimit) {
        self.settings = settings
        self.inner = Mutex(Inner(tokens: Double(settings.burst), updated: .now))
    }

    /// Takes a token, or says how long until one is free (and reserves it then).
    public func reserve(within budget: Duration) -> Duration? {
        inner.withLock { inner in
            let now = ContinuousClock.now
            let elapsed = now - inner.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            inner.tokens = min(Double(settings.burst), inner.tokens + seconds * settings.perSecond)
            inner.updated = now
            if inner.tokens >= 1 {
                inner.tokens -= 1
                return .zero
            }
            let wait = Duration.milliseconds(Int64(((1 - inner.tokens) / settings.perSecond * 1_000).rounded(.up)))
            guard wait <= budget else { return nil }
            inner.tokens -= 1
            return wait
        }
    }
}

/// Answers kept for the manifest's cache lifetime, keyed by the question the adapter names.
/// Bounded: the oldest entries go first.
public final class ResponseCache: Sendable {
    struct Entry {
        let response: AdapterResponse
        let expires: ContinuousClock.Instant
    }

    let lifetime: Duration
    let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    public init(lifetime: Duration, capacity: Int = 1_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    public func lookup(_ key: String) -> AdapterResponse? {
        guard lifetime > .zero else { return nil }
        return entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            if entry.expires < .now {
                entries[key] = nil
                return nil
            }
            return entry.response
        }
    }

    public func store(_ response: AdapterResponse, for key: String) {
        guard lifetime > .zero else { return }
        entries.withLock { entries in
            let now = ContinuousClock.now
            if entries.count >= capacity {
                entries = entries.filter { $0.value.expires > now }
                if entries.count >= capacity, let oldest = entries.min(by: { $0.value.expires < $1.value.expires })?.key { entries[oldest] = nil }
            }
            entries[key] = Entry(response: response, expires: now + lifetime)
        }
    }
}

/// Exponential back-off with full jitter: attempt 1 waits up to `initial`, then twice as long, capped at `maximum`.
func backoff(attempt: Int, _ retries: AdapterManifest.Retries) -> Duration {
    let ceiling = min(retries.maximumBackoff.milliseconds, retries.initialBackoff.milliseconds << min(attempt - 1, 20))
    return .milliseconds(Int64.random(in: (ceiling / 2)...max(ceiling / 2, ceiling)))
}
