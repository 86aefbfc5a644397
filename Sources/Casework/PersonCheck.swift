public import AccordCore
public import Foundation

/// What a national system said about a person when the node asked it (a police document or
/// watchlist check, the border history, an identity verification): kept in the case file and
/// shown as a panel — the source, when, the outcome and what matched. A check that could not
/// run is `notVerified` with its reason, never a pass.
public struct PersonCheck: Identifiable, Sendable, Equatable, Codable {
    public typealias ID = Identifier<PersonCheck>

    public enum Outcome: String, Sendable, Codable, CaseIterable {
        case confirmed
        case conflicting
        case notFound = "not_found"
        case hit
        case noHit = "no_hit"
        case recordsFound = "records_found"
        case notVerified = "not_verified"

        /// Needs a supervisor's attention.
        public var isAlarming: Bool { self == .hit || self == .conflicting }
    }

    public let id: ID
    public let personID: Person.ID
    /// The system's name (from its manifest) and kind (`police`, `border` …).
    public let source: String
    public let kind: String
    /// `sltd`, `watchlist`, `crossings`, …
    public let check: String
    public let at: Date
    public let outcome: Outcome
    public let reference: String?
    public let detail: String
    /// For `notVerified`: why (`adapter.timeout`, `adapter.circuit_open` …).
    public let problem: String?
    public let requestedBy: UserID

    public init(id: ID, personID: Person.ID, source: String, kind: String, check: String, at: Date, outcome: Outcome, reference: String?, detail: String,
                problem: String?, requestedBy: UserID) {
        self.id = id
        self.personID = personID
        self.source = source
        self.kind = kind
        self.check = check
        self.at = at
        self.outcome = outcome
        self.reference = reference
        self.detail = detail
        self.problem = problem
        self.requestedBy = requestedBy
    }

    /// The workflow event an alarming police result raises on the person's open cases.
    public var workflowEvent: String? {
        if kind == "police", outcome == .hit { return "adapter.police.hit" }
        if kind == "civil_registry", ["death", "document_cancelled"].contains(check) { return "agency.registry.\(check)" }
        return nil
    }
}

/// One answer before it is recorded.
public struct PersonCheckResult: Sendable, Equatable {
    public var source: String
    public var kind: String
    public var check: String
    public var at: Date
    public var outcome: PersonCheck.Outcome
    public var reference: String?
    public var detail: String
    public var problem: String?

    public init(source: String, kind: String, check: String, at: Date, outcome: PersonCheck.Outcome, reference: String? = nil, detail: String, problem: String? = nil) {
        self.source = source
        self.kind = kind
        self.check = check
        self.at = at
        self.outcome = outcome
        self.reference = reference
        self.detail = detail
        self.problem = problem
    }
}

/// The national systems a registration is checked against (police documents and watchlist,
/// border history). Implemented over the node's adapters; never throws — a system that cannot
/// be asked gives a `notVerified` result with its reason.
public protocol PersonChecker: Sendable {
    func check(_ person: Person, requestedBy actor: UserID, role: String?, purpose: String) async -> [PersonCheckResult]
}

/// Where checks are kept, sealed with the person's key.
public protocol PersonCheckRepository: Sendable {
    func add(_ checks: [PersonCheck]) async throws
    /// Newest first.
    func checks(of person: Person.ID, limit: Int) async throws -> [PersonCheck]
}
