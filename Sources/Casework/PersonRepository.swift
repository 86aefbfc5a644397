/// Where persons are kept. Implementations: `SQLPersonRepository` (Storage).
public protocol PersonRepository: Sendable {
    /// Stores a new person together with its search keys, atomically.
    func insert(_ person: Person) async throws
    /// Replaces a person if its stored version is `expectedVersion`; otherwise throws
    /// `casework.version_conflict` and changes nothing.
    func update(_ person: Person, expectedVersion: Int) async throws
    /// Nil if unknown; throws `casework.person_erased` if erased.
    func person(_ id: Person.ID) async throws -> Person?
    /// Erased persons are left out.
    func persons(_ ids: [Person.ID]) async throws -> [Person.ID: Person]
    /// Persons whose names contain every folded token of the query, and/or who hold a document
    /// with the given normalised number.
    func search(_ query: PersonQuery) async throws -> [Person]
    /// Persons who may be the one described, found through keyed indexes only (no record is
    /// opened to look): a document number, or a family name that sounds alike together with a
    /// given name that does or the same year of birth. At most `limit`, strongest first.
    func duplicateCandidates(of details: PersonDetails, limit: Int) async throws -> [Person]
    /// Makes the person's data unrecoverable everywhere (crypto-shredding); false if there was
    /// nothing left to erase.
    func erase(_ id: Person.ID) async throws -> Bool
}

public struct PersonQuery: Sendable, Equatable {
    /// Folded name tokens that must all match a token of one of the person's names.
    public var nameTokens: [String]
    /// A normalised document number (see `TextFolding.documentNumber`).
    public var documentNumber: String?
    public var limit: Int

    public init(nameTokens: [String] = [], documentNumber: String? = nil, limit: Int = 50) {
        self.nameTokens = nameTokens
        self.documentNumber = documentNumber
        self.limit = limit
    }
}
