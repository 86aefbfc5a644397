import AdapterKit
import Foundation
import Hummingbird
import PoliceAdapter

/// Lost and stolen documents and a watchlist: hit or no hit, never the police file.
struct PoliceSimulator: Sendable {
    let population: Population

    func register(on router: Router<BasicRequestContext>) {
        router.post("police/v1/sltd/check") { request, _ in
            guard let query = try await Simulators.body(request, as: PoliceRecords.DocumentCheck.self), !query.documents.isEmpty, query.documents.count <= 20 else {
                return Simulators.json(AdapterProblem(code: "invalid_query", message: "between 1 and 20 documents, each with number and type"), status: .badRequest)
            }
            return Simulators.json(PoliceRecords.DocumentResults(results: query.documents.map { document in
                guard let reported = population.stolenDocuments.first(where: { $0.number == document.number && (document.issuingCountry == nil || $0.issuingCountry == document.issuingCountry) }) else {
                    return .init(number: document.number, issuingCountry: document.issuingCountry, hit: false)
                }
                return .init(number: document.number, issuingCountry: reported.issuingCountry, hit: true, status: reported.status, reportingCountry: reported.reportingCountry,
                             reportedOn: reported.reportedOn, reference: reported.reference)
            }))
        }
        router.post("police/v1/watchlist/check") { request, _ in
            guard let query = try await Simulators.body(request, as: PoliceRecords.PersonQuery.self) else {
                return Simulators.json(AdapterProblem(code: "invalid_query", message: "familyName is required"), status: .badRequest)
            }
            let entry = population.watchlist.first { entry in
                Population.fold(entry.family) == Population.fold(query.familyName)
                    && (entry.given == nil || query.givenNames == nil || Population.fold(entry.given ?? "") == Population.fold(query.givenNames ?? ""))
                    && (entry.dateOfBirth == nil || query.dateOfBirth == nil || entry.dateOfBirth == query.dateOfBirth)
            }
            guard let entry else { return Simulators.json(PoliceRecords.PersonResult(hit: false)) }
            return Simulators.json(PoliceRecords.PersonResult(hit: true, reference: entry.reference, reportingCountry: entry.reportingCountry, category: entry.category))
        }
    }
}
