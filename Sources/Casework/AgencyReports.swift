public import Foundation

/// What a national agency's system reports in through `/api/v1/agency/…`. Field names are the
/// API's; every problem comes back with its path.
public struct AgencyDocumentInput: Codable, Sendable, Equatable {
    public var kind: String?
    public var number: String?
    public var issuingCountry: String?

    public init(kind: String? = nil, number: String?, issuingCountry: String?) {
        self.kind = kind
        self.number = number
        self.issuingCountry = issuingCountry
    }
}

public struct AgencyPersonInput: Codable, Sendable, Equatable {
    public var familyName: String?
    public var givenNames: String?
    public var dateOfBirth: String?
    public var nationality: String?

    public init(familyName: String?, givenNames: String? = nil, dateOfBirth: String? = nil, nationality: String? = nil) {
        self.familyName = familyName
        self.givenNames = givenNames
        self.dateOfBirth = dateOfBirth
        self.nationality = nationality
    }
}

/// The border service: a person left through a crossing point with this document.
public struct ExitReport: Codable, Sendable, Equatable {
    public struct CrossingPoint: Codable, Sendable, Equatable {
        public var code: String?
        public var name: String?

        public init(code: String?, name: String? = nil) {
            self.code = code
            self.name = name
        }
    }

    public var document: AgencyDocumentInput?
    /// RFC 3339.
    public var at: String?
    public var crossingPoint: CrossingPoint?
    /// The border system's own record ID.
    public var reference: String?

    public init(document: AgencyDocumentInput?, at: String?, crossingPoint: CrossingPoint?, reference: String?) {
        self.document = document
        self.at = at
        self.crossingPoint = crossingPoint
        self.reference = reference
    }
}

/// The police: a person or a document is on their lists.
public struct PoliceHitReport: Codable, Sendable, Equatable {
    public var document: AgencyDocumentInput?
    public var person: AgencyPersonInput?
    public var reference: String?
    public var reportingCountry: String?
    /// `wanted`, `missing`, `alert`, `stolen_document`, `lost_document`.
    public var category: String?

    public init(document: AgencyDocumentInput? = nil, person: AgencyPersonInput? = nil, reference: String?, reportingCountry: String?, category: String?) {
        self.document = document
        self.person = person
        self.reference = reference
        self.reportingCountry = reportingCountry
        self.category = category
    }

    public static let categories = ["wanted", "missing", "alert", "stolen_document", "lost_document"]
}

/// A civil or identity registry: a death registered, or a document cancelled.
public struct RegistryNotice: Codable, Sendable, Equatable {
    /// `death` or `document_cancelled`.
    public var kind: String?
    public var document: AgencyDocumentInput?
    public var person: AgencyPersonInput?
    /// YYYY-MM-DD.
    public var date: String?
    public var reference: String?

    public init(kind: String?, document: AgencyDocumentInput? = nil, person: AgencyPersonInput? = nil, date: String?, reference: String?) {
        self.kind = kind
        self.document = document
        self.person = person
        self.date = date
        self.reference = reference
    }

    public static let kinds = ["death", "document_cancelled"]
}

/// What a report did: how many registered persons it concerns and what happened on their cases.
/// Never personal data: case numbers and what was done.
public struct AgencyOutcome: Codable, Sendable, Equatable {
    public struct Effect: Codable, Sendable, Equatable {
        public var caseNumber: String
        /// `transition:<id>`, `reaction:<event>`, `transfer_completed`.
        public var effect: String

        public init(caseNumber: String, effect: String) {
            self.caseNumber = caseNumber
            self.effect = effect
        }
    }

    public var matchedPersons: Int
    public var effects: [Effect]

    public init(matchedPersons: Int, effects: [Effect]) {
        self.matchedPersons = matchedPersons
        self.effects = effects
    }
}

/// What the idempotency log says about a request's key: a repeat has no second effect.
public enum IdempotencyClaim: Sendable, Equatable {
    /// First time: go ahead, then `complete` (or `release` on failure).
    case claimed
    /// Done before with the same request: the stored answer.
    case replay(status: Int, body: [UInt8])
    /// The key was used for another request.
    case conflict
    /// The same request is being handled right now.
    case inProgress
}

/// Answers already given to agencies, by their idempotency keys.
public protocol IdempotencyLog: Sendable {
    func claim(caller: String, key: String, digest: String, at: Date) async throws -> IdempotencyClaim
    func complete(caller: String, key: String, status: Int, body: [UInt8]) async throws
    func release(caller: String, key: String) async throws
}
