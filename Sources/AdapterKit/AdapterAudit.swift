/// One call to an external system, as the audit trail keeps it: who, for which case and person,
/// why, which fields went out, and what came of it. Never the values sent or received.
public struct AdapterCallRecord: Sendable, Equatable {
    public let system: String
    public let kind: AdapterKind
    public let check: String
    public let context: AdapterCallContext
    public let fieldsSent: [PersonField]
    /// `answered`, or the failure's code without its prefix (`timeout`, `circuit_open` …).
    public let outcome: String
    public let problem: String?
    public let cached: Bool
    public let milliseconds: Int

    public init(system: String, kind: AdapterKind, check: String, context: AdapterCallContext, fieldsSent: [PersonField], outcome: String, problem: String?, cached: Bool, milliseconds: Int) {
        self.system = system
        self.kind = kind
        self.check = check
        self.context = context
        self.fieldsSent = fieldsSent
        self.outcome = outcome
        self.problem = problem
        self.cached = cached
        self.milliseconds = milliseconds
    }

    /// The audit entry's resource reference: pseudonymous references and field names only.
    public var summary: String {
        var parts = ["\(system) \(check)"]
        if let caseRef = context.caseRef { parts.append("case \(caseRef)") }
        if let personRef = context.personRef { parts.append("person \(personRef)") }
        parts.append("fields \(fieldsSent.isEmpty ? "none" : fieldsSent.map(\.rawValue).joined(separator: ","))")
        parts.append(cached ? "\(outcome) (cached)" : outcome)
        return parts.joined(separator: "; ")
    }
}

/// Where calls are recorded (the node's audit trail).
public protocol AdapterAuditSink: Sendable {
    func record(_ call: AdapterCallRecord) async
}

/// Keeps records in memory (tests, the benchmark).
public actor RecordingAdapterAudit: AdapterAuditSink {
    public private(set) var calls: [AdapterCallRecord] = []

    public init() {}

    public func record(_ call: AdapterCallRecord) {
        calls.append(call)
    }
}
