import Foundation

/// The wire shapes of an entry/exit system: crossings per travel document (date and time,
/// crossing point, direction, document), searched by document or by person, and a feed of exits.
public enum BorderRecords {
    public struct CrossingPoint: Codable, Sendable, Equatable {
        public var code: String
        public var name: String

        public init(code: String, name: String) {
            self.code = code
            self.name = name
        }
    }

    public struct DocumentRef: Codable, Sendable, Equatable {
        public var kind: String
        public var number: String
        public var issuingCountry: String

        public init(kind: String, number: String, issuingCountry: String) {
            self.kind = kind
            self.number = number
            self.issuingCountry = issuingCountry
        }
    }

    public struct Crossing: Codable, Sendable, Equatable {
        public var id: String
        /// `entry` or `exit`.
        public var direction: String
        /// RFC 3339.
        public var at: String
        public var crossingPoint: CrossingPoint
        public var document: DocumentRef

        public init(id: String, direction: String, at: String, crossingPoint: CrossingPoint, document: DocumentRef) {
            self.id = id
            self.direction = direction
            self.at = at
            self.crossingPoint = crossingPoint
            self.document = document
        }
    }

    public struct PersonQuery: Codable, Sendable, Equatable {
        public var familyName: String
        public var givenNames: String?
        public var dateOfBirth: String
        public var nationality: String?

        public init(familyName: String, givenNames: String?, dateOfBirth: String, nationality: String?) {
            self.familyName = familyName
            self.givenNames = givenNames
            self.dateOfBirth = dateOfBirth
            self.nationality = nationality
        }
    }

    public struct CrossingList: Codable, Sendable, Equatable {
        public var crossings: [Crossing]
        /// The feed's position after the last item (exits feed only).
        public var next: String?

        public init(crossings: [Crossing], next: String? = nil) {
            self.crossings = crossings
            self.next = next
        }
    }

}
