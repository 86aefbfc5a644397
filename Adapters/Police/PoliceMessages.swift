import Foundation

/// The wire shapes of police checks: lost and stolen travel documents the way Interpol's SLTD
/// answers (hit or no hit, the reporting country and date), and a watchlist check of a person
/// (hit with a reference, or no hit). A hit never carries the police file.
public enum PoliceRecords {
    public struct DocumentQuery: Codable, Sendable, Equatable {
        public var number: String
        /// `passport`, `national_id_card`, …
        public var type: String
        public var issuingCountry: String?

        public init(number: String, type: String, issuingCountry: String?) {
            self.number = number
            self.type = type
            self.issuingCountry = issuingCountry
        }
    }

    public struct DocumentCheck: Codable, Sendable, Equatable {
        public var documents: [DocumentQuery]

        public init(documents: [DocumentQuery]) {
            self.documents = documents
        }
    }

    public struct DocumentResult: Codable, Sendable, Equatable {
        public var number: String
        public var issuingCountry: String?
        public var hit: Bool
        /// `stolen`, `lost`, `revoked`, `invalidated` (hits only).
        public var status: String?
        public var reportingCountry: String?
        public var reportedOn: String?
        public var reference: String?

        public init(number: String, issuingCountry: String?, hit: Bool, status: String? = nil, reportingCountry: String? = nil, reportedOn: String? = nil, reference: String? = nil) {
            self.number = number
            self.issuingCountry = issuingCountry
            self.hit = hit
            self.status = status
            self.reportingCountry = reportingCountry
            self.reportedOn = reportedOn
            self.reference = reference
        }
    }

    public struct DocumentResults: Codable, Sendable, Equatable {
        public var results: [DocumentResult]

        public init(results: [DocumentResult]) {
            self.results = results
        }
    }

    public struct PersonQuery: Codable, Sendable, Equatable {
        public var familyName: String
        public var givenNames: String?
        public var dateOfBirth: String?
        public var nationality: String?

        public init(familyName: String, givenNames: String?, dateOfBirth: String?, nationality: String?) {
            self.familyName = familyName
            self.givenNames = givenNames
            self.dateOfBirth = dateOfBirth
            self.nationality = nationality
        }
    }

    public struct PersonResult: Codable, Sendable, Equatable {
        public var hit: Bool
        public var reference: String?
        public var reportingCountry: String?
        /// `wanted`, `missing`, `alert` (hits only).
        public var category: String?

        public init(hit: Bool, reference: String? = nil, reportingCountry: String? = nil, category: String? = nil) {
            self.hit = hit
            self.reference = reference
            self.reportingCountry = reportingCountry
            self.category = category
        }
    }

}
