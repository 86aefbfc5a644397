public import AccordCore
public import Foundation

/// A person known to the authority: an applicant, a family member, a legal representative.
public struct Person: Identifiable, Sendable, Equatable {
    public typealias ID = Identifier<Person>

    public let id: ID
    /// Incremented on every change; updates must name the version they were based on.
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date
    public var details: PersonDetails

    public init(id: ID, version: Int, createdAt: Date, updatedAt: Date, details: PersonDetails) {
        self.id = id
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.details = details
    }

    /// The name as shown in lists: "FAMILY, Given".
    public var displayName: String { details.name.display }
}

/// Everything about a person that a user edits.
public struct PersonDetails: Sendable, Equatable, Codable {
    /// The name in Latin script (the transliteration used on travel documents).
    public var name: PersonName
    /// The name in its original script(s), if not Latin.
    public var nativeNames: [ScriptedName]
    public var dateOfBirth: PartialDate?
    public var placeOfBirth: String?
    public var sex: Sex
    /// Nil when unknown; ICAO codes XXA/XXB/XXC/XXX are allowed for stateless and refugee status.
    public var nationality: CountryCode?
    public var identityDocuments: [IdentityDocument]

    public init(
        name: PersonName,
        nativeNames: [ScriptedName] = [],
        dateOfBirth: PartialDate? = nil,
        placeOfBirth: String? = nil,
        sex: Sex = .unspecified,
        nationality: CountryCode? = nil,
        identityDocuments: [IdentityDocument] = []
    ) {
        self.name = name
        self.nativeNames = nativeNames
        self.dateOfBirth = dateOfBirth
        self.placeOfBirth = placeOfBirth
        self.sex = sex
        self.nationality = nationality
        self.identityDocuments = identityDocuments
    }

    /// Folded tokens of every name in every script, for case- and accent-insensitive search.
    public var nameTokens: Set<String> {
        var tokens = Set(TextFolding.tokens(name.given) + TextFolding.tokens(name.family))
        for native in nativeNames {
            tokens.formUnion(TextFolding.tokens(native.given) + TextFolding.tokens(native.family))
        }
        return tokens
    }

    /// Normalised numbers of every identity document, for exact-match search.
    public var documentNumbers: Set<String> {
        Set(identityDocuments.map { TextFolding.documentNumber($0.number) })
    }
}

/// A name in Latin script.
public struct PersonName: Sendable, Equatable, Codable {
    public var given: String
    public var family: String

    public init(given: String, family: String) {
        self.given = given
        self.family = family
    }

    public var display: String {
        given.isEmpty ? family.uppercased() : "\(family.uppercased()), \(given)"
    }
}

/// A name written in a given script, named by its ISO 15924 code (`Arab`, `Cyrl`, `Ethi`, …).
public struct ScriptedName: Sendable, Equatable, Codable {
    public var script: String
    public var given: String
    public var family: String

    public init(script: String, given: String, family: String) {
        self.script = script
        self.given = given
        self.family = family
    }
}

/// Sex as recorded on ICAO travel documents.
public enum Sex: String, Sendable, Codable, CaseIterable {
    case female = "F"
    case male = "M"
    case unspecified = "X"
}

/// An identity or travel document held by a person.
public struct IdentityDocument: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case passport
        case nationalIDCard = "national_id_card"
        case residencePermit = "residence_permit"
        case travelDocument = "travel_document"
        case birthCertificate = "birth_certificate"
        case drivingLicence = "driving_licence"
        case other
    }

    public var kind: Kind
    public var number: String
    public var issuingCountry: CountryCode
    public var issuedOn: CalendarDate?
    public var expiresOn: CalendarDate?

    public init(kind: Kind, number: String, issuingCountry: CountryCode, issuedOn: CalendarDate? = nil, expiresOn: CalendarDate? = nil) {
        self.kind = kind
        self.number = number
        self.issuingCountry = issuingCountry
        self.issuedOn = issuedOn
        self.expiresOn = expiresOn
    }
}

extension PersonName {
    /// True when every character is a Latin letter (with diacritics), a space, hyphen or apostrophe.
    public static func isLatin(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            switch scalar.value {
            case 0x41...0x5A, 0x61...0x7A, 0x20, 0x2D, 0x27, 0x2E, 0x2019: true
            case 0xC0...0x24F where scalar.value != 0xD7 && scalar.value != 0xF7: true
            case 0x1E00...0x1EFF: true
            case 0x300...0x36F: true // combining marks
            default: false
            }
        }
    }
}
