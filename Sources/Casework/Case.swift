public import AccordCore
public import Foundation

/// A case of the national authority: one application, procedure or appeal about one principal
/// person, possibly with family members and a legal representative.
public struct Case: Identifiable, Sendable, Equatable, Codable {
    public typealias ID = Identifier<Case>

    public let id: ID
    public let number: CaseNumber
    public var type: CaseType { number.type }
    public var status: CaseStatus
    public var office: OfficeCode
    public var assignedOfficer: UserID?
    public var title: String?
    public var parties: [CaseParty]
    public var openedAt: Date
    public var updatedAt: Date
    /// Incremented on every change of the case record; updates name the version they saw.
    public var version: Int

    public init(
        id: ID, number: CaseNumber, status: CaseStatus, office: OfficeCode, assignedOfficer: UserID?,
        title: String?, parties: [CaseParty], openedAt: Date, updatedAt: Date, version: Int
    ) {
        self.id = id
        self.number = number
        self.status = status
        self.office = office
        self.assignedOfficer = assignedOfficer
        self.title = title
        self.parties = parties
        self.openedAt = openedAt
        self.updatedAt = updatedAt
        self.version = version
    }

    /// The person the case is about.
    public var principal: Person.ID? {
        parties.first { $0.role == .principal }?.personID
    }

    private enum CodingKeys: String, CodingKey {
        case id, number, type, status, office, assignedOfficer, title, parties, openedAt, updatedAt, version
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(ID.self, forKey: .id),
            number: try c.decode(CaseNumber.self, forKey: .number),
            status: try c.decode(CaseStatus.self, forKey: .status),
            office: try c.decode(OfficeCode.self, forKey: .office),
            assignedOfficer: try c.decodeIfPresent(UserID.self, forKey: .assignedOfficer),
            title: try c.decodeIfPresent(String.self, forKey: .title),
            parties: try c.decode([CaseParty].self, forKey: .parties),
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
        try c.encode(status, forKey: .status)
        try c.encode(office, forKey: .office)
        try c.encodeIfPresent(assignedOfficer, forKey: .assignedOfficer)
        try c.encodeIfPresent(title, forKey: .title)
        try c.encode(parties, forKey: .parties)
        try c.encode(openedAt, forKey: .openedAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encode(version, forKey: .version)
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
