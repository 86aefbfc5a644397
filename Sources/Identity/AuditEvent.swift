public import AccordCore
public import Foundation

/// One attributable action on personal data or on the system. References are pseudonymous (the
/// record's random ID, never a name or a document number), so erasing a person's data does not
/// touch the audit trail or its proofs.
public struct AuditEvent: Sendable, Equatable, Codable {
    public enum Action: String, Sendable, Codable, CaseIterable {
        case read, create, update, delete, search, export, login, logout, administer, erase
    }

    public enum Outcome: String, Sendable, Codable {
        case allowed, denied, failed
    }

    public var actor: String
    public var role: String?
    public var action: Action
    /// `person`, `case`, `document`, `user`, `key`, …
    public var resourceType: String
    public var resourceRef: String
    /// Where the request came from (IP address, `cli`, `system`).
    public var origin: String?
    public var purpose: String?
    public var outcome: Outcome

    public init(actor: String, role: String? = nil, action: Action, resourceType: String, resourceRef: String,
                origin: String? = nil, purpose: String? = nil, outcome: Outcome = .allowed) {
        self.actor = actor
        self.role = role
        self.action = action
        self.resourceType = resourceType
        self.resourceRef = resourceRef
        self.origin = origin
        self.purpose = purpose
        self.outcome = outcome
    }
}

/// An event with its place in the log.
public struct AuditEntry: Sendable, Equatable {
    public let sequence: Int
    public let at: Date
    public let event: AuditEvent

    public init(sequence: Int, at: Date, event: AuditEvent) {
        self.sequence = sequence
        self.at = at
        self.event = event
    }

    /// The bytes the log hashes: every field, unambiguously delimited.
    public var canonicalBytes: [UInt8] {
        let fields: [String] = [
            String(sequence), String(at.millisecondsSince1970), event.actor, event.role ?? "", event.action.rawValue,
            event.resourceType, event.resourceRef, event.origin ?? "", event.purpose ?? "", event.outcome.rawValue,
        ]
        return Array(fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|").utf8)
    }
}

/// Where audit events go. Recording must not fail silently: callers treat an error as a failed
/// operation.
public protocol AuditTrail: Sendable {
    func record(_ events: [AuditEvent]) async throws
}

extension AuditTrail {
    public func record(_ event: AuditEvent) async throws {
        try await record([event])
    }
}

/// Collects events in memory (tests, tools).
public actor InMemoryAuditTrail: AuditTrail {
    public private(set) var events: [AuditEvent] = []

    public init() {}

    public func record(_ events: [AuditEvent]) {
        self.events.append(contentsOf: events)
    }
}
