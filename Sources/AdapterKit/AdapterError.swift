public import AccordCore

/// Why a call to an external system gave no answer. Never a verdict about the person: a failed
/// call is shown as "not verified" with this reason, never as a pass.
public struct AdapterError: AccordError, Equatable {
    public let code: String
    public let reason: String
    public let category: ErrorCategory
    /// The system's short name, so that every message names the adapter.
    public let system: String

    public init(code: String, reason: String, system: String, category: ErrorCategory = .unavailable) {
        self.code = code
        self.reason = reason
        self.system = system
        self.category = category
    }

    /// Failures worth another attempt: the system may answer the same question next time.
    public var isRetryable: Bool {
        ["adapter.timeout", "adapter.unavailable", "adapter.server_error"].contains(code)
    }

    /// Failures that say the system is unwell (they count towards opening the breaker). A
    /// refused credential or a malformed request is our problem, not the system's health.
    public var countsAgainstSystem: Bool {
        ["adapter.timeout", "adapter.unavailable", "adapter.server_error", "adapter.bad_response"].contains(code)
    }

    public static func timeout(_ system: String, after: Duration) -> AdapterError {
        AdapterError(code: "adapter.timeout", reason: "\(system) did not answer within \(after.milliseconds) ms", system: system)
    }

    public static func unavailable(_ system: String, _ detail: String) -> AdapterError {
        AdapterError(code: "adapter.unavailable", reason: "\(system) could not be reached: \(detail)", system: system)
    }

    public static func serverError(_ system: String, status: Int) -> AdapterError {
        AdapterError(code: "adapter.server_error", reason: "\(system) answered HTTP \(status)", system: system)
    }

    public static func circuitOpen(_ system: String, until: Duration) -> AdapterError {
        AdapterError(code: "adapter.circuit_open", reason: "\(system) failed repeatedly; calls are paused for another \(max(1, until.milliseconds / 1_000)) s", system: system)
    }

    public static func rateLimited(_ system: String) -> AdapterError {
        AdapterError(code: "adapter.rate_limited", reason: "the rate limit for \(system) is reached; try again shortly", system: system)
    }

    public static func quotaExceeded(_ system: String, _ detail: String) -> AdapterError {
        AdapterError(code: "adapter.quota_exceeded", reason: "\(system) refused: quota exceeded (\(detail))", system: system)
    }

    public static func unauthorized(_ system: String, _ detail: String) -> AdapterError {
        AdapterError(code: "adapter.unauthorized", reason: "\(system) refused our credentials: \(detail) — check the adapter's manifest and secrets", system: system, category: .internal)
    }

    public static func badResponse(_ system: String, _ detail: String) -> AdapterError {
        AdapterError(code: "adapter.bad_response", reason: "\(system) sent an answer we cannot read: \(detail)", system: system)
    }

    public static func misconfigured(_ system: String, _ detail: String) -> AdapterError {
        AdapterError(code: "adapter.misconfigured", reason: "the adapter for \(system) is misconfigured: \(detail)", system: system, category: .internal)
    }

    public static func rejected(_ system: String, _ detail: String) -> AdapterError {
        AdapterError(code: "adapter.request_rejected", reason: "\(system) rejected the request: \(detail)", system: system, category: .internal)
    }
}

extension Duration {
    /// Whole milliseconds.
    public var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }
}
