public import AccordCore
public import Foundation

/// An interview, biometrics appointment or hearing on a case: when, where and with which
/// officer. Two scheduled appointments never share a room, an officer or the applicant at once.
public struct Appointment: Identifiable, Sendable, Equatable, Codable {
    public typealias ID = Identifier<Appointment>

    public enum Kind: String, Sendable, Codable, CaseIterable {
        case interview, biometrics, hearing

        public var label: String {
            switch self {
            case .interview: "Interview"
            case .biometrics: "Biometrics"
            case .hearing: "Hearing"
            }
        }
    }

    public enum State: String, Sendable, Codable, CaseIterable { case scheduled, cancelled }

    public let id: ID
    public let caseID: Case.ID
    public let caseNumber: CaseNumber
    public let kind: Kind
    public let startsAt: Date
    public let endsAt: Date
    /// Rooms are named by the office (`HQ-ASYLUM/2.14`); nil: remote (video).
    public let room: String?
    public let officer: UserID?
    /// The person who attends (the case's principal): they cannot be in two places either.
    public let personID: Person.ID?
    public var state: State
    public let createdBy: UserID
    public let createdAt: Date
    public var version: Int

    public init(
        id: ID, caseID: Case.ID, caseNumber: CaseNumber, kind: Kind, startsAt: Date, endsAt: Date, room: String?, officer: UserID?,
        personID: Person.ID?, state: State = .scheduled, createdBy: UserID, createdAt: Date, version: Int = 1
    ) {
        self.id = id
        self.caseID = caseID
        self.caseNumber = caseNumber
        self.kind = kind
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.room = room
        self.officer = officer
        self.personID = personID
        self.state = state
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.version = version
    }

    public func overlaps(_ other: Appointment) -> Bool {
        startsAt < other.endsAt && other.startsAt < endsAt
    }
}

public struct AppointmentInput: Codable, Sendable, Equatable {
    public var kind: String?
    /// UTC, like 2026-03-02T09:30:00Z.
    public var startsAt: String?
    public var durationMinutes: Int?
    public var room: String?
    public var officer: String?

    public init(kind: String?, startsAt: String?, durationMinutes: Int?, room: String? = nil, officer: String? = nil) {
        self.kind = kind
        self.startsAt = startsAt
        self.durationMinutes = durationMinutes
        self.room = room
        self.officer = officer
    }
}

public struct AppointmentUpdateInput: Codable, Sendable, Equatable {
    public var action: String?
    public var reason: String?
    public var expectedVersion: Int?

    public init(action: String?, reason: String?, expectedVersion: Int?) {
        self.action = action
        self.reason = reason
        self.expectedVersion = expectedVersion
    }
}

/// Where appointments are kept. `schedule` checks for clashes and inserts in one transaction,
/// so two officers booking the same room at once cannot both succeed.
public protocol AppointmentRepository: Sendable {
    /// The scheduled appointments that clash with `appointment` (same room, officer or person,
    /// overlapping times); the appointment is stored (with its history entry and event) only if there is none.
    func schedule(_ appointment: Appointment, history: HistoryRecord, event: CaseEvent) async throws -> [Appointment]
    func appointment(_ id: Appointment.ID) async throws -> Appointment?
    func appointments(of caseID: Case.ID) async throws -> [Appointment]
    /// Scheduled appointments of `officer` from `start` on, soonest first.
    func upcoming(officer: UserID, from start: Date, limit: Int) async throws -> [Appointment]
    func cancel(_ appointment: Appointment, expectedVersion: Int, history: HistoryRecord, event: CaseEvent) async throws -> Appointment
}
