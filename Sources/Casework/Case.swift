public import AccordCore
public import Foundation

/// A case of the national authority: one application, procedure or appeal about one principal
/// person, possibly with family members and a legal representative.
public struct Case: Identifiable, Sendable, Equatable, Codable {
    public typealias ID = Identifier<Case>

    public let id: ID
    public let number: CaseNumber
    public var type: CaseType { number.type }
    /// The state of the case in its workflow (a state id of `Profiles/workflows/<type>.yaml`).
    public var state: String
    /// The version of the workflow the case started under; it stays on it.
    public var workflowVersion: Int
    public var stateEnteredAt: Date
    /// The statutory deadline of the current state, on the office's calendar.
    public var deadline: CalendarDate?
    /// How many of the current state's timers (reminders, then expiry) have fired.
    public var timersFired: Int
    /// Set when the case entered a final state.
    public var closedAt: Date?
    public var office: OfficeCode
    public var assignedOfficer: UserID?
    public var title: String?
    public var parties: [CaseParty]
    /// Values of the workflow's fields (sealed at rest under the principal's key).
    public var fields: [String: String]
    /// A four-eyes transition one officer has asked for and another must confirm.
    public var pendingTransition: PendingTransition?
    /// The processing track triage gave the case (Profiles/triage/), if its type has rules.
    public var triage: CaseTriage?
    public var openedAt: Date
    public var updatedAt: Date
    /// Incremented on every change of the case record; updates name the version they saw.
    public var version: Int

    public init(
        id: ID, number: CaseNumber, state: String, workflowVersion: Int, stateEnteredAt: Date, deadline: CalendarDate? = nil, timersFired: Int = 0,
        closedAt: Date? = nil, office: OfficeCode, assignedOfficer: UserID?, title: String?, parties: [CaseParty],
        fields: [String: String] = [:], pendingTransition: PendingTransition? = nil, triage: CaseTriage? = nil, openedAt: Date, updatedAt: Date, version: Int
    ) {
        self.triage = triage
        self.id = id
        self.number = number
        self.state = state
        self.workflowVersion = workflowVersion
        self.stateEnteredAt = stateEnteredAt
        self.deadline = deadline
        self.timersFired = timersFired
        self.closedAt = closedAt
        self.office = office
        self.assignedOfficer = assignedOfficer
        self.title = title
        self.parties = parties
        self.fields = fields
        self.pendingTransition = pendingTransition
        self.openedAt = openedAt
        self.updatedAt = updatedAt
        self.version = version
    }

    /// The person the case is about.
    public var principal: Person.ID? {
        parties.first { $0.role == .principal }?.personID
    }

    public var isOpen: Bool { closedAt == nil }

    private enum CodingKeys: String, CodingKey {
        case id, number, type, state, workflowVersion, stateEnteredAt, deadline, timersFired, closedAt, office, assignedOfficer, title, parties
        case fields, pendingTransition, openedAt, updatedAt, version
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(ID.self, forKey: .id),
            number: try c.decode(CaseNumber.self, forKey: .number),
            state: try c.decode(String.self, forKey: .state),
            workflowVersion: try c.decode(Int.self, forKey: .workflowVersion),
            stateEnteredAt: try c.decode(Date.self, forKey: .stateEnteredAt),
            deadline: try c.decodeIfPresent(CalendarDate.self, forKey: .deadline),
            timersFired: try c.decodeIfPresent(Int.self, forKey: .timersFired) ?? 0,
            closedAt: try c.decodeIfPresent(Date.self, forKey: .closedAt),
            office: try c.decode(OfficeCode.self, forKey: .office),
            assignedOfficer: try c.decodeIfPresent(UserID.self, forKey: .assignedOfficer),
            title: try c.decodeIfPresent(String.self, forKey: .title),
            parties: try c.decode([CaseParty].self, forKey: .parties),
            fields: try c.decodeIfPresent([String: String].self, forKey: .fields) ?? [:],
            pendingTransition: try c.decodeIfPresent(PendingTransition.self, forKey: .pendingTransition),
            openedAt: try c.decode(Date.self, forKey: .openedAt),
            updatedAt: try c.decode(Date.self, forKey: .updatedAt),
            version: try c.decode(Int.self, forKey: .version)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(number, forKey: .number)
        try c.encode(type, forKey: .type)
        try c.encode(state, forKey: .state)
        try c.encode(workflowVersion, forKey: .workflowVersion)
        try c.encode(stateEnteredAt, forKey: .stateEnteredAt)
        try c.encodeIfPresent(deadline, forKey: .deadline)
        try c.encode(timersFired, forKey: .timersFired)
        try c.encodeIfPresent(closedAt, forKey: .closedAt)
        try c.encode(office, forKey: .office)
        try c.encodeIfPresent(assignedOfficer, forKey: .assignedOfficer)
        try c.encodeIfPresent(title, forKey: .title)
        try c.encode(parties, forKey: .parties)
        try c.encode(fields, forKey: .fields)
        try c.encodeIfPresent(pendingTransition, forKey: .pendingTransition)
        try c.encode(openedAt, forKey: .openedAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encode(version, forKey: .version)
    }
}

/// A four-eyes transition waiting for a second officer.
public struct PendingTransition: Sendable, Equatable, Codable {
    public var transition: String
    public var requestedBy: UserID
    public var requestedAt: Date
    public var reason: String?
    public var fields: [String: String]

    public init(transition: String, requestedBy: UserID, requestedAt: Date, reason: String? = nil, fields: [String: String] = [:]) {
        self.transition = transition
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.reason = reason
        self.fields = fields
    }
}

/// A person's part in a case.
public struct CaseParty: Sendable, Equatable, Codable, Hashable {
    public enum Role: String, Sendable, Codable, CaseIterable {
        case principal
        case familyMember = "family_member"
        case legalRepresentative = "legal_representative"

        public var label: String {
            switch self {
            case .principal: "Principal"
            case .familyMember: "Family member"
            case .legalRepresentative: "Legal representative"
            }
        }
    }

    public var personID: Person.ID
    public var role: Role
    /// For family members: "spouse", "child", …
    public var relationship: String?

    public init(personID: Person.ID, role: Role, relationship: String? = nil) {
        self.personID = personID
        self.role = role
        self.relationship = relationship
    }
}
