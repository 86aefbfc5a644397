public import Foundation
public import Identity

/// Where cases, their history and notes are kept. Every method that writes more than one row
/// does so in one transaction: on failure nothing is written.
public protocol CaseRepository: Sendable {
    /// Allocates the next case number for the draft's type and year, stores the case, its parties
    /// and the opening history entry.
    func open(_ draft: CaseDraft, history: HistoryRecord) async throws -> Case
    func `case`(_ id: Case.ID) async throws -> Case?
    func `case`(number: CaseNumber) async throws -> Case?
    func list(_ filter: CaseFilter) async throws -> CasePage
    /// Replaces the case record (status, office, officer, title, parties) if its stored version is
    /// `expectedVersion`, and appends the history entries. The stored version becomes
    /// `expectedVersion + 1`.
    func update(_ updated: Case, expectedVersion: Int, history: [HistoryRecord]) async throws -> Case
    func addNote(_ note: CaseNote, history: HistoryRecord) async throws
    func notes(of caseID: Case.ID) async throws -> [CaseNote]
    func history(of caseID: Case.ID) async throws -> [CaseHistoryEntry]
    /// The offices that have cases, for filters.
    func offices() async throws -> [OfficeCode]
}

/// A case before it has a number.
public struct CaseDraft: Sendable, Equatable {
    public let id: Case.ID
    public let type: CaseType
    public let year: Int
    public let status: CaseStatus
    public let office: OfficeCode
    public let assignedOfficer: UserID?
    public let title: String?
    public let parties: [CaseParty]
    public let openedAt: Date

    public init(
        id: Case.ID, type: CaseType, year: Int, status: CaseStatus = .registered, office: OfficeCode,
        assignedOfficer: UserID?, title: String?, parties: [CaseParty], openedAt: Date
    ) {
        self.id = id
        self.type = type
        self.year = year
        self.status = status
        self.office = office
        self.assignedOfficer = assignedOfficer
        self.title = title
        self.parties = parties
        self.openedAt = openedAt
    }
}

public struct CaseFilter: Sendable, Equatable {
    public var type: CaseType?
    public var status: CaseStatus?
    public var office: OfficeCode?
    public var assignedOfficer: UserID?
    public var personID: Person.ID?
    /// When set, only cases matching one of these clauses (access control); empty: none.
    public var access: [AccessClause]?
    public var limit: Int
    public var offset: Int

    public static let maximumLimit = 500

    public init(
        type: CaseType? = nil, status: CaseStatus? = nil, office: OfficeCode? = nil, assignedOfficer: UserID? = nil,
        personID: Person.ID? = nil, limit: Int = 50, offset: Int = 0
    ) {
        self.type = type
        self.status = status
        self.office = office
        self.assignedOfficer = assignedOfficer
        self.personID = personID
        self.limit = min(max(limit, 1), CaseFilter.maximumLimit)
        self.offset = max(offset, 0)
    }
}

/// One page of a case list, newest first, with the total number of matches.
public struct CasePage: Sendable, Equatable {
    public let cases: [Case]
    public let total: Int

    public init(cases: [Case], total: Int) {
        self.cases = cases
        self.total = total
    }
}
