import CivilRegistryAdapter
import Foundation
import Hummingbird

/// An OpenCRVS-shaped DCI registry: client-credentials tokens and the birth-record sync search.
struct CivilRegistrySimulator: Sendable {
    let population: Population
    let options: SimulatorOptions
    let state: SimulatorState

    func register(on router: Router<BasicRequestContext>) {
        router.post("oauth2/client/token") { request, _ in try await token(request) }
        router.post("registry/sync/search") { request, _ in try await search(request) }
    }

    func token(_ request: Request) async throws -> Response {
        guard case .oauth2(let clientID, let secret) = options.authentication else {
            return Simulators.json(["error": "unsupported_grant_type"], status: .badRequest)
        }
        let buffer = try await request.body.collect(upTo: 64 << 10)
        var form: [String: String] = [:]
        for item in URLComponents(string: "?" + String(buffer: buffer))?.queryItems ?? [] { form[item.name] = item.value }
        guard form["grant_type"] == "client_credentials" else { return Simulators.json(["error": "unsupported_grant_type"], status: .badRequest) }
        guard form["client_id"] == clientID, form["client_secret"] == secret else {
            return Simulators.json(["error": "invalid_client", "error_description": "unknown client or wrong secret"], status: .unauthorized)
        }
        let token = UUID().uuidString.lowercased()
        state.tokens.withLock { $0[token] = .now + .seconds(600) }
        struct Token: Encodable {
            let access_token: String
            let token_type: String
            let expires_in: Int
        }
        return Simulators.json(Token(access_token: token, token_type: "Bearer", expires_in: 600))
    }

    func search(_ request: Request) async throws -> Response {
        guard let envelope = try await Simulators.body(request, as: DCI.Envelope<DCI.SearchMessage>.self), let first = envelope.message.search_request.first else {
            return Simulators.json(DCI.ErrorBody(error: "invalid_request", error_description: "not a DCI search request"), status: .badRequest)
        }
        let criteria = first.search_criteria
        let now = DCI.timestamp()
        func answer(_ response: DCI.SearchResponse) -> Response {
            Simulators.json(DCI.Envelope(
                header: .init(message_id: UUID().uuidString.lowercased(), message_ts: now, action: "on-search", sender_id: "crvs", receiver_id: envelope.header.sender_id,
                              total_count: 1, completed_count: 1, status: response.status),
                message: DCI.SearchResponseMessage(transaction_id: envelope.message.transaction_id, correlation_id: UUID().uuidString.lowercased(), search_response: [response])
            ))
        }
        guard criteria.reg_type == DCI.birth else {
            return answer(.init(reference_id: first.reference_id, timestamp: now, status: "rjct", status_reason_code: "rjct.reg_type.invalid",
                                status_reason_message: "only \(DCI.birth) is served"))
        }
        let registered = population.people.filter { $0.registered != false && $0.brn != nil }
        let matches: [Population.Person]
        switch criteria.query_type {
        case "idtype-value":
            guard let query = criteria.query, query.type == "BRN" else {
                return answer(.init(reference_id: first.reference_id, timestamp: now, status: "rjct", status_reason_code: "rjct.query.invalid", status_reason_message: "query type BRN expected"))
            }
            matches = registered.filter { $0.brn == query.value }
        case "predicate":
            let predicates = criteria.predicates ?? []
            guard predicates.allSatisfy({ $0.operator == "eq" }), predicates.contains(where: { $0.attribute_name == "surname" }) else {
                return answer(.init(reference_id: first.reference_id, timestamp: now, status: "rjct", status_reason_code: "rjct.query.invalid",
                                    status_reason_message: "predicates need surname and the eq operator"))
            }
            matches = registered.filter { person in
                predicates.allSatisfy { predicate in
                    switch predicate.attribute_name {
                    case "surname": Population.sameFamily(predicate.attribute_value, person)
                    case "given_name": Population.fold(predicate.attribute_value) == Population.fold(person.given ?? "") || Population.fold(predicate.attribute_value) == Population.fold(person.native?.given ?? "")
                    case "birth_date": predicate.attribute_value == person.dateOfBirth
                    default: false
                    }
                }
            }
        default:
            return answer(.init(reference_id: first.reference_id, timestamp: now, status: "rjct", status_reason_code: "rjct.query_type.invalid",
                                status_reason_message: "query_type \(criteria.query_type) is not supported"))
        }
        let size = max(1, min(criteria.pagination.page_size, 100))
        let page = max(1, criteria.pagination.page_number)
        let slice = matches.dropFirst((page - 1) * size).prefix(size)
        let records = slice.map { person in
            DCI.BirthRecord(
                birth_registration_number: person.brn ?? "", names: [.init(given_name: person.given, surname: person.family)] + (person.native.map { [.init(given_name: $0.given, surname: $0.family, script: $0.script)] } ?? []),
                birth_date: person.dateOfBirth, place_of_birth: person.placeOfBirth, sex: person.sex, deceased: person.deceased
            )
        }
        return answer(.init(reference_id: first.reference_id, timestamp: now, status: "succ", data: .init(reg_records: Array(records)),
                            pagination: .init(page_size: size, page_number: page, total_count: matches.count)))
    }
}
