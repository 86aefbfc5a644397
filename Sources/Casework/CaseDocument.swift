public import AccordCore
public import Foundation

/// A document attached to a case. The bytes live in the blob store under their SHA-256 digest;
/// this record holds what the authority knows about the document.
public struct CaseDocument: Identifiable, Sendable, Equatable, Codable {
    public typealias ID = Identifier<CaseDocument>

    public enum Kind: String, Sendable, Codable, CaseIterable {
        case passport
        case nationalIDCard = "national_id_card"
        case residencePermit = "residence_permit"
        case travelDocument = "travel_document"
        case birthCertificate = "birth_certificate"
        case marriageCertificate = "marriage_certificate"
        case application
        case evidence
        case decision
        case correspondence
        case photo
        case other

        public var label: String {
            switch self {
            case .passport: "Passport"
            case .nationalIDCard: "National ID card"
            case .residencePermit: "Residence permit"
            case .travelDocument: "Travel document"
            case .birthCertificate: "Birth certificate"
            case .marriageCertificate: "Marriage certificate"
            case .application: "Application form"
            case .evidence: "Evidence"
            case .decision: "Decision"
            case .correspondence: "Correspondence"
            case .photo: "Photograph"
            case .other: "Other"
            }
        }
    }

    public let id: ID
    public let caseID: Case.ID
    /// The person the document is about, when it is about one.
    public let personID: Person.ID?
    public let kind: Kind
    public let title: String?
    public let fileName: String?
    public let issuingCountry: CountryCode?
    public let documentNumber: String?
    public let validFrom: CalendarDate?
    public let validUntil: CalendarDate?
    public let mediaType: String
    public let byteCount: Int
    public let digest: ContentDigest
    public let uploadedAt: Date
    public let uploadedBy: UserID

    public init(
        id: ID, caseID: Case.ID, personID: Person.ID?, kind: Kind, title: String?, fileName: String?,
        issuingCountry: CountryCode?, documentNumber: String?, validFrom: CalendarDate?, validUntil: CalendarDate?,
        mediaType: String, byteCount: Int, digest: ContentDigest, uploadedAt: Date, uploadedBy: UserID
    ) {
        self.id = id
        self.caseID = caseID
        self.personID = personID
        self.kind = kind
        self.title = title
        self.fileName = fileName
        self.issuingCountry = issuingCountry
        self.documentNumber = documentNumber
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.mediaType = mediaType
        self.byteCount = byteCount
        self.digest = digest
        self.uploadedAt = uploadedAt
        self.uploadedBy = uploadedBy
    }
}

/// A SHA-256 digest as 64 lowercase hex characters; the address of a blob.
public struct ContentDigest: Hashable, Sendable, Codable, CustomStringConvertible {
    public let hex: String

    public init?(hex: String) {
        let lower = hex.lowercased()
        guard lower.utf8.count == 64, lower.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return nil }
        self.hex = lower
    }

    public var description: String { "sha256:\(hex)" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let digest = ContentDigest(hex: text.hasPrefix("sha256:") ? String(text.dropFirst(7)) : text) else {
            throw CaseworkError(code: "casework.invalid_digest", reason: "not a SHA-256 digest", category: .invalidInput)
        }
        self = digest
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
