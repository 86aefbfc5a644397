public import Foundation

/// The person a call is about, as far as the node is willing to tell the system: built by the
/// caller from the case file, then cut down to the manifest's `fields` before any adapter sees it.
public struct AdapterSubject: Sendable, Equatable, Codable {
    public struct Document: Sendable, Equatable, Codable {
        /// `passport`, `national_id_card`, `travel_document`, …
        public var kind: String
        public var number: String
        /// ISO 3166-1 alpha-3.
        public var issuingCountry: String?

        public init(kind: String, number: String, issuingCountry: String? = nil) {
            self.kind = kind
            self.number = number
            self.issuingCountry = issuingCountry
        }
    }

    /// A national identity number (MOSIP UIN or VID).
    public var nationalID: String?
    public var nationalIDType: String?
    public var givenNames: String?
    public var familyName: String?
    /// The name in the script of the person's country (Arabic, Cyrillic …).
    public var nativeName: String?
    /// `YYYY-MM-DD` (or shorter when only the year or month is known).
    public var dateOfBirth: String?
    public var placeOfBirth: String?
    /// `F`, `M` or `X`.
    public var sex: String?
    public var nationality: String?
    public var documents: [Document]

    public init(
        nationalID: String? = nil, nationalIDType: String? = nil, givenNames: String? = nil, familyName: String? = nil, nativeName: String? = nil,
        dateOfBirth: String? = nil, placeOfBirth: String? = nil, sex: String? = nil, nationality: String? = nil, documents: [Document] = []
    ) {
        self.nationalID = nationalID
        self.nationalIDType = nationalIDType
        self.givenNames = givenNames
        self.familyName = familyName
        self.nativeName = nativeName
        self.dateOfBirth = dateOfBirth
        self.placeOfBirth = placeOfBirth
        self.sex = sex
        self.nationality = nationality
        self.documents = documents
    }

    /// The fields that carry a value.
    public var presentFields: Set<PersonField> {
        var fields: Set<PersonField> = []
        if nationalID != nil { fields.insert(.nationalID) }
        if givenNames != nil { fields.insert(.givenNames) }
        if familyName != nil { fields.insert(.familyName) }
        if nativeName != nil { fields.insert(.nativeName) }
        if dateOfBirth != nil { fields.insert(.dateOfBirth) }
        if placeOfBirth != nil { fields.insert(.placeOfBirth) }
        if sex != nil { fields.insert(.sex) }
        if nationality != nil { fields.insert(.nationality) }
        if !documents.isEmpty { fields.insert(.documents) }
        return fields
    }

    /// Only the `allowed` fields; every other one is removed.
    public func minimised(to allowed: Set<PersonField>) -> AdapterSubject {
        AdapterSubject(
            nationalID: allowed.contains(.nationalID) ? nationalID : nil,
            nationalIDType: allowed.contains(.nationalID) ? nationalIDType : nil,
            givenNames: allowed.contains(.givenNames) ? givenNames : nil,
            familyName: allowed.contains(.familyName) ? familyName : nil,
            nativeName: allowed.contains(.nativeName) ? nativeName : nil,
            dateOfBirth: allowed.contains(.dateOfBirth) ? dateOfBirth : nil,
            placeOfBirth: allowed.contains(.placeOfBirth) ? placeOfBirth : nil,
            sex: allowed.contains(.sex) ? sex : nil,
            nationality: allowed.contains(.nationality) ? nationality : nil,
            documents: allowed.contains(.documents) ? documents : []
        )
    }
}

/// Who asks, about which case, and why: written into the audit entry of every call.
public struct AdapterCallContext: Sendable, Equatable {
    public var actor: String
    public var role: String?
    /// The case the call is made for (its ID, never a name), if any.
    public var caseRef: String?
    /// The person (their record ID) the call is about, if any.
    public var personRef: String?
    public var purpose: String

    public init(actor: String, role: String? = nil, caseRef: String? = nil, personRef: String? = nil, purpose: String) {
        self.actor = actor
        self.role = role
        self.caseRef = caseRef
        self.personRef = personRef
        self.purpose = purpose
    }
}

/// What a check found, in the form the case file shows and keeps: the source, when, the
/// outcome, and what matched. A call that could not run is `notVerified` with its reason.
public struct AdapterCheck: Sendable, Equatable, Codable {
    public enum Outcome: String, Sendable, Codable, CaseIterable {
        /// The system knows the person with the same particulars.
        case confirmed
        /// The system knows the person with different particulars.
        case conflicting
        /// The system has no record of them.
        case notFound = "not_found"
        /// A police or lost-and-stolen database reports the person or the document.
        case hit
        /// The police databases have nothing on them.
        case noHit = "no_hit"
        /// Records were read (a travel history).
        case recordsFound = "records_found"
        /// The system could not be asked or refused to answer: never a pass.
        case notVerified = "not_verified"

        /// Whether the outcome needs someone's attention.
        public var isAlarming: Bool { self == .hit || self == .conflicting }
    }

    public var system: String
    public var kind: AdapterKind
    /// `authenticate`, `birth-search`, `sltd`, `watchlist`, `crossings` …
    public var check: String
    public var at: Date
    public var outcome: Outcome
    /// The system's own reference for what it found (a record ID, a police reference).
    public var reference: String?
    /// What matched or what was found, in a sentence for the officer.
    public var detail: String
    /// For `notVerified`: the stable code of why (`adapter.timeout` …) or the system's own code.
    public var problem: String?

    public init(system: String, kind: AdapterKind, check: String, at: Date, outcome: Outcome, reference: String? = nil, detail: String, problem: String? = nil) {
        self.system = system
        self.kind = kind
        self.check = check
        self.at = at
        self.outcome = outcome
        self.reference = reference
        self.detail = detail
        self.problem = problem
    }
}
