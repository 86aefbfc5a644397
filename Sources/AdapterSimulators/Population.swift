import Foundation

/// The fictitious people, documents and crossings the simulators know (population.json, or a
/// file given with `--data`). Names come in several scripts; some records are deactivated,
/// unregistered, deceased, lost, stolen or on a watchlist, so that every answer can be seen.
public struct Population: Sendable, Decodable {
    public struct NativeName: Sendable, Decodable {
        public let given: String?
        public let family: String
        public let script: String
    }

    public struct Document: Sendable, Decodable {
        public let kind: String
        public let number: String
        public let issuingCountry: String
    }

    public struct Person: Sendable, Decodable {
        public let uin: String?
        /// `active` (default) or `deactivated`.
        public let status: String?
        public let brn: String?
        /// Whether the birth is registered (default true); unregistered ones are never returned.
        public let registered: Bool?
        public let given: String?
        public let family: String
        public let native: NativeName?
        public let dateOfBirth: String
        public let placeOfBirth: String?
        public let sex: String?
        public let nationality: String?
        public let deceased: Bool?
        public let documents: [Document]
    }

    public struct ReportedDocument: Sendable, Decodable {
        public let number: String
        public let kind: String
        public let issuingCountry: String
        public let status: String
        public let reportingCountry: String
        public let reportedOn: String
        public let reference: String
    }

    public struct WatchlistEntry: Sendable, Decodable {
        public let family: String
        public let given: String?
        public let dateOfBirth: String?
        public let nationality: String?
        public let reference: String
        public let reportingCountry: String
        public let category: String
    }

    public struct Crossing: Sendable, Decodable {
        public let id: String
        public let direction: String
        public let at: String
        public let point: String
        public let document: Document
    }

    public let people: [Person]
    public let stolenDocuments: [ReportedDocument]
    public let watchlist: [WatchlistEntry]
    public let crossings: [Crossing]
    public let crossingPoints: [String: String]

    /// The population shipped with the simulators.
    public static func bundled() throws -> Population {
        guard let url = Bundle.module.url(forResource: "population", withExtension: "json") else { throw CocoaError(.fileNoSuchFile) }
        return try load(url)
    }

    public static func load(_ url: URL) throws -> Population {
        try JSONDecoder().decode(Population.self, from: Data(contentsOf: url))
    }

    /// Case, accents and spaces do not tell names apart; scripts do (a Latin name matches the
    /// Latin record, a native one the native record).
    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).filter { $0.isLetter }
    }

    static func sameFamily(_ name: String, _ person: Person) -> Bool {
        let folded = fold(name)
        return folded == fold(person.family) || person.native.map { folded == fold($0.family) } ?? false
    }

    func person(document number: String) -> Person? {
        people.first { $0.documents.contains { $0.number == number } }
    }
}
