/// What clients send. Fields are plain strings so that validation can report every problem with
/// its path and a stable code, instead of failing at the first undecodable value.
public struct PersonInput: Codable, Sendable, Equatable {
    public var name: NameInput?
    public var nativeNames: [ScriptedNameInput]?
    public var dateOfBirth: String?
    public var placeOfBirth: String?
    public var sex: String?
    public var nationality: String?
    public var identityDocuments: [IdentityDocumentInput]?

    public init(
        name: NameInput? = nil, nativeNames: [ScriptedNameInput]? = nil, dateOfBirth: String? = nil,
        placeOfBirth: String? = nil, sex: String? = nil, nationality: String? = nil,
        identityDocuments: [IdentityDocumentInput]? = nil
    ) {
        self.name = name
        self.nativeNames = nativeNames
        self.dateOfBirth = dateOfBirth
        self.placeOfBirth = placeOfBirth
        self.sex = sex
        self.nationality = nationality
        self.identityDocuments = identityDocuments
    }
}

public struct NameInput: Codable, Sendable, Equatable {
    public var given: String?
    public var family: String?

    public init(given: String?, family: String?) {
        self.given = given
        self.family = family
    }
}

public struct ScriptedNameInput: Codable, Sendable, Equatable {
    public var script: String?
    public var given: String?
    public var family: String?

    public init(script: String?, given: String?, family: String?) {
        self.script = script
        self.given = given
        self.family = family
    }
}

public struct IdentityDocumentInput: Codable, Sendable, Equatable {
    public var kind: String?
    public var number: String?
    public var issuingCountry: String?
    public var issuedOn: String?
    public var expiresOn: String?

    public init(kind: String?, number: String?, issuingCountry: String?, issuedOn: String? = nil, expiresOn: String? = nil) {
        self.kind = kind
        self.number = number
        self.issuingCountry = issuingCountry
        self.issuedOn = issuedOn
        self.expiresOn = expiresOn
    }
}

public struct CaseInput: Codable, Sendable, Equatable {
    public var type: String?
    public var office: String?
    public var assignedOfficer: String?
    public var title: String?
    public var principalPersonID: String?
    public var parties: [PartyInput]?

    public init(
        type: String?, office: String?, assignedOfficer: String? = nil, title: String? = nil,
        principalPersonID: String?, parties: [PartyInput]? = nil
    ) {
        self.type = type
        self.office = office
        self.assignedOfficer = assignedOfficer
        self.title = title
        self.principalPersonID = principalPersonID
        self.parties = parties
    }
}

public struct PartyInput: Codable, Sendable, Equatable {
    public var personID: String?
    public var role: String?
    public var relationship: String?
    /// For linking to an existing case: the case version the client saw (optional).
    public var expectedVersion: Int?

    public init(personID: String?, role: String?, relationship: String? = nil, expectedVersion: Int? = nil) {
        self.personID = personID
        self.role = role
        self.relationship = relationship
        self.expectedVersion = expectedVersion
    }
}

/// A change to a case record. Absent fields stay as they are; `assignedOfficer: ""` unassigns.
public struct CaseUpdateInput: Codable, Sendable, Equatable {
    public var expectedVersion: Int?
    public var office: String?
    public var assignedOfficer: String?
    public var title: String?

    public init(expectedVersion: Int?, office: String? = nil, assignedOfficer: String? = nil, title: String? = nil) {
        self.expectedVersion = expectedVersion
        self.office = office
        self.assignedOfficer = assignedOfficer
        self.title = title
    }
}

public struct NoteInput: Codable, Sendable, Equatable {
    public var text: String?
    /// An officer to address the note to (a message to them), who must work at the case's office.
    public var to: String?

    public init(text: String?, to: String? = nil) {
        self.text = text
        self.to = to
    }
}

/// What is known about an uploaded document besides its bytes and media type.
public struct DocumentMetadataInput: Codable, Sendable, Equatable {
    public var kind: String?
    public var title: String?
    public var fileName: String?
    public var personID: String?
    public var issuingCountry: String?
    public var documentNumber: String?
    public var validFrom: String?
    public var validUntil: String?

    public init(
        kind: String?, title: String? = nil, fileName: String? = nil, personID: String? = nil, issuingCountry: String? = nil,
        documentNumber: String? = nil, validFrom: String? = nil, validUntil: String? = nil
    ) {
        self.kind = kind
        self.title = title
        self.fileName = fileName
        self.personID = personID
        self.issuingCountry = issuingCountry
        self.documentNumber = documentNumber
        self.validFrom = validFrom
        self.validUntil = validUntil
    }
}
