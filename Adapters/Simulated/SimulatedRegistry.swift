public import Exchange
import Foundation
public import Readmission

/// The fictitious people the simulated registries know (registry.json).
public struct SimulatedPopulation: Sendable {
    struct Person: Decodable, Sendable {
        struct Document: Decodable, Sendable {
            let kind: String
            let number: String
        }

        let reference: String
        let given: String
        let family: String
        let dateOfBirth: String
        let placeOfBirth: String
        let sex: String
        let documents: [Document]
    }

    struct File: Decodable {
        let country: String
        let people: [Person]
    }

    let country: String
    let people: [Person]

    /// The population shipped with the module.
    public static func bundled() throws -> SimulatedPopulation {
        guard let url = Bundle.module.url(forResource: "registry", withExtension: "json") else {
            throw CocoaError(.fileNoSuchFile)
        }
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
        return SimulatedPopulation(country: file.country, people: file.people)
    }

    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).filter { $0.isLetter }
    }
}

/// A national ID registry: finds the person by an identity document the country issued, then
/// compares name and date of birth.
public struct SimulatedNationalIDRegistry: IdentityRegistry {
    public let population: SimulatedPopulation
    public var name: String { "National ID registry (simulated)" }

    public init(population: SimulatedPopulation) {
        self.population = population
    }

    public func verify(_ person: PersonRecord) async throws -> IdentityMatch {
        let documents = (person.documents ?? []).filter { $0.issuingCountry == population.country }
        guard !documents.isEmpty else { return IdentityMatch(outcome: .notFound, detail: "no identity document issued by \(population.country) to look up") }
        for document in documents {
            guard let record = population.people.first(where: { $0.documents.contains { $0.number == document.number } }) else { continue }
            let sameName = person.names.contains { SimulatedPopulation.fold($0.family) == SimulatedPopulation.fold(record.family) }
            let sameBirth = person.dateOfBirth == record.dateOfBirth
            if sameName && sameBirth {
                return IdentityMatch(outcome: .confirmed, reference: record.reference, detail: "\(document.kind) \(document.number) belongs to \(record.given) \(record.family), born \(record.dateOfBirth)")
            }
            return IdentityMatch(outcome: .conflicting, reference: record.reference,
                                 detail: "\(document.kind) \(document.number) belongs to \(record.given) \(record.family), born \(record.dateOfBirth) — the application says otherwise")
        }
        return IdentityMatch(outcome: .notFound, detail: "no record of \(documents.map { "\($0.kind) \($0.number)" }.joined(separator: ", "))")
    }
}

/// A civil registry: finds the birth record by family name and date of birth, then compares the
/// place of birth.
public struct SimulatedCivilRegistry: IdentityRegistry {
    public let population: SimulatedPopulation
    public var name: String { "Civil registry (simulated)" }

    public init(population: SimulatedPopulation) {
        self.population = population
    }

    public func verify(_ person: PersonRecord) async throws -> IdentityMatch {
        guard let birth = person.dateOfBirth else { return IdentityMatch(outcome: .notFound, detail: "no date of birth to search by") }
        let families = Set(person.names.map { SimulatedPopulation.fold($0.family) })
        let candidates = population.people.filter { families.contains(SimulatedPopulation.fold($0.family)) && $0.dateOfBirth == birth }
        guard let record = candidates.first else { return IdentityMatch(outcome: .notFound, detail: "no birth record for that family name and date of birth") }
        if let place = person.placeOfBirth, SimulatedPopulation.fold(place) != SimulatedPopulation.fold(record.placeOfBirth) {
            return IdentityMatch(outcome: .conflicting, reference: record.reference, detail: "birth record found, but born in \(record.placeOfBirth), not \(place)")
        }
        return IdentityMatch(outcome: .confirmed, reference: record.reference, detail: "birth record of \(record.given) \(record.family), \(record.dateOfBirth), \(record.placeOfBirth)")
    }
}
