import AdapterKit
import BorderAdapter
import Foundation
import Hummingbird

/// An entry/exit system over the population's crossings.
struct BorderSimulator: Sendable {
    let population: Population

    func register(on router: Router<BasicRequestContext>) {
        router.get("border/v1/crossings") { request, _ in
            guard let number = request.uri.queryParameters["documentNumber"].map(String.init), !number.isEmpty else {
                return Simulators.json(AdapterProblem(code: "invalid_query", message: "documentNumber is required"), status: .badRequest)
            }
            let country = request.uri.queryParameters["issuingCountry"].map(String.init)
            return Simulators.json(BorderRecords.CrossingList(crossings: crossings { $0.document.number == number && (country == nil || $0.document.issuingCountry == country) }))
        }
        router.post("border/v1/crossings/search") { request, _ in
            guard let query = try await Simulators.body(request, as: BorderRecords.PersonQuery.self) else {
                return Simulators.json(AdapterProblem(code: "invalid_query", message: "familyName and dateOfBirth are required"), status: .badRequest)
            }
            let documents = Set(population.people.filter { Population.sameFamily(query.familyName, $0) && $0.dateOfBirth == query.dateOfBirth }.flatMap { $0.documents.map(\.number) })
            return Simulators.json(BorderRecords.CrossingList(crossings: crossings { documents.contains($0.document.number) }))
        }
        router.get("border/v1/exits") { request, _ in
            let after = request.uri.queryParameters["after"].map(String.init) ?? ""
            let limit = request.uri.queryParameters["limit"].flatMap { Int($0) } ?? 100
            let exits = crossings { $0.direction == "exit" && $0.id > after }.sorted { $0.id < $1.id }.prefix(max(1, min(limit, 500)))
            return Simulators.json(BorderRecords.CrossingList(crossings: Array(exits), next: exits.last?.id ?? (after.isEmpty ? nil : after)))
        }
    }

    func crossings(where include: (Population.Crossing) -> Bool) -> [BorderRecords.Crossing] {
        population.crossings.filter(include).map {
            BorderRecords.Crossing(id: $0.id, direction: $0.direction, at: $0.at, crossingPoint: .init(code: $0.point, name: population.crossingPoints[$0.point] ?? $0.point),
                                   document: .init(kind: $0.document.kind, number: $0.document.number, issuingCountry: $0.document.issuingCountry))
        }
    }
}
