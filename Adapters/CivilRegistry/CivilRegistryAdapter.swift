public import AdapterKit
import Foundation

/// A civil registry shaped like OpenCRVS's DCI sync search: an OAuth 2.0 client-credentials
/// token, then a birth-record search by birth registration number or by name and date of birth,
/// page by page. Settings: `senderID`, optional `receiverID` (default `crvs`), `pageSize` (default 10).
public struct CivilRegistryAdapter: Sendable {
    public let client: AdapterClient
    let senderID: String
    let receiverID: String
    let pageSize: Int
    /// Pages read at most for one question; more records than that is itself an answer ("too many").
    public static let maximumPages = 3

    public init(client: AdapterClient) throws {
        guard client.manifest.kind == .civilRegistry else {
            throw AdapterError.misconfigured(client.system, "the manifest is for a \(client.manifest.kind.rawValue) system, not a civil registry")
        }
        guard let sender = client.manifest.settings["senderID"] else { throw AdapterError.misconfigured(client.system, "settings.senderID is required") }
        self.client = client
        self.senderID = sender
        self.receiverID = client.manifest.settings["receiverID"] ?? "crvs"
        self.pageSize = client.manifest.settings["pageSize"].flatMap(Int.init).map { min(max($0, 1), 100) } ?? 10
    }

    /// How a subject is searched for: by a birth registration number when one is known, else by name and date of birth.
    enum Query: Sendable {
        case number(String)
        case particulars(family: String, given: String?, birth: String)
    }

    static func query(_ subject: AdapterSubject) -> Query? {
        if let certificate = subject.documents.first(where: { $0.kind == "birth_certificate" }) { return .number(certificate.number) }
        if let family = subject.familyName, let birth = subject.dateOfBirth { return .particulars(family: family, given: subject.givenNames, birth: birth) }
        return nil
    }

    func envelope(_ query: Query, page: Int) -> DCI.Envelope<DCI.SearchMessage> {
        let now = DCI.timestamp()
        let criteria: DCI.SearchCriteria
        switch query {
        case .number(let number):
            criteria = DCI.SearchCriteria(query_type: "idtype-value", query: .init(type: "BRN", value: number), pagination: .init(page_size: pageSize, page_number: page),
                                          consent: .init(ts: now, purpose: "identity verification"))
        case .particulars(let family, let given, let birth):
            var predicates = [DCI.Predicate(attribute_name: "surname", attribute_value: family), DCI.Predicate(attribute_name: "birth_date", attribute_value: birth)]
            if let given { predicates.append(DCI.Predicate(attribute_name: "given_name", attribute_value: given)) }
            criteria = DCI.SearchCriteria(query_type: "predicate", predicates: predicates, pagination: .init(page_size: pageSize, page_number: page),
                                          consent: .init(ts: now, purpose: "identity verification"))
        }
        let id = UUID().uuidString.lowercased()
        return DCI.Envelope(
            header: .init(message_id: id, message_ts: now, action: "search", sender_id: senderID, receiver_id: receiverID, total_count: 1),
            message: .init(transaction_id: id, search_request: [.init(reference_id: id, timestamp: now, search_criteria: criteria)])
        )
    }

    /// One page of the search. Records found, the total the registry reports, or why it could not run.
    public func search(_ person: AdapterSubject, page: Int = 1, context: AdapterCallContext) async -> Result<(records: [DCI.BirthRecord], total: Int), AdapterError> {
        let subject = person.minimised(to: client.manifest.fields)
        let system = client.system
        guard let query = Self.query(subject) else {
            return .failure(AdapterError(code: "adapter.nothing_to_check", reason: "no birth registration number, or family name and date of birth, to search by", system: system,
                                         category: .invalidInput))
        }
        let sent: Set<PersonField>
        let key: String
        switch query {
        case .number(let number):
            sent = [.documents]
            key = "brn|\(number)|\(page)"
        case .particulars(let family, let given, let birth):
            sent = given == nil ? [.familyName, .dateOfBirth] : [.familyName, .givenNames, .dateOfBirth]
            key = "names|\(family)|\(given ?? "")|\(birth)|\(page)"
        }
        let result = await client.call(
            "birth-search", context: context, sent: sent, cacheKey: key,
            request: { try .json("/registry/sync/search", envelope(query, page: page)) },
            decode: { response -> DCI.SearchResponse in
                if response.status == 400 || response.status == 422 {
                    let body = try? response.decode(DCI.ErrorBody.self, system: system)
                    throw AdapterError.rejected(system, body?.error_description ?? body?.error ?? "HTTP \(response.status)")
                }
                let envelope = try response.decode(DCI.Envelope<DCI.SearchResponseMessage>.self, system: system)
                guard let first = envelope.message.search_response.first else { throw AdapterError.badResponse(system, "an answer without a search_response") }
                return first
            }
        )
        return result.flatMap { answer in
            guard answer.status == "succ" else {
                if answer.status_reason_code == DCI.quotaExceeded { return .failure(.quotaExceeded(system, DCI.quotaExceeded)) }
                return .failure(.rejected(system, "\(answer.status_reason_code ?? "rjct"): \(answer.status_reason_message ?? "search refused")"))
            }
            let records = answer.data?.reg_records ?? []
            return .success((records, answer.pagination?.total_count ?? records.count))
        }
    }

    /// Looks for the person's birth record (up to `maximumPages` pages) and compares it.
    public func verify(_ person: AdapterSubject, context: AdapterCallContext) async -> AdapterCheck {
        let subject = person.minimised(to: client.manifest.fields)
        let system = client.system
        func check(_ outcome: AdapterCheck.Outcome, _ detail: String, reference: String? = nil, problem: String? = nil) -> AdapterCheck {
            AdapterCheck(system: system, kind: .civilRegistry, check: "birth-search", at: Date(), outcome: outcome, reference: reference, detail: detail, problem: problem)
        }
        var records: [DCI.BirthRecord] = []
        var page = 1
        while true {
            switch await search(subject, page: page, context: context) {
            case .failure(let error):
                return check(.notVerified, error.reason, problem: error.code)
            case .success(let answer):
                records += answer.records
                if records.count >= answer.total || answer.records.isEmpty || page >= Self.maximumPages { return Self.compare(records, with: person, total: answer.total, check: check) }
                page += 1
            }
        }
    }

    static func compare(_ records: [DCI.BirthRecord], with subject: AdapterSubject, total: Int,
                        check: (AdapterCheck.Outcome, String, String?, String?) -> AdapterCheck) -> AdapterCheck {
        guard !records.isEmpty else { return check(.notFound, "no registered birth record for these particulars", nil, nil) }
        let fold = { (text: String) in text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).filter(\.isLetter) }
        let matching = records.filter { record in
            (subject.dateOfBirth == nil || record.birth_date == subject.dateOfBirth)
                && (subject.familyName == nil || record.names.contains { fold($0.surname) == fold(subject.familyName ?? "") })
        }
        guard let record = matching.first else {
            return check(.conflicting, "\(records.count) birth record(s) found, none with this family name and date of birth", records.first?.birth_registration_number, nil)
        }
        if matching.count > 1 {
            return check(.conflicting, "\(total) birth records match these particulars: the person cannot be told apart by name and date of birth", nil, nil)
        }
        let name = record.names.first.map { [$0.given_name, $0.surname].compactMap { $0 }.joined(separator: " ") } ?? ""
        if record.deceased == true {
            return check(.conflicting, "birth record \(record.birth_registration_number) of \(name), \(record.birth_date): registered as deceased", record.birth_registration_number, nil)
        }
        if let place = subject.placeOfBirth, let recorded = record.place_of_birth, fold(place) != fold(recorded) {
            return check(.conflicting, "birth record \(record.birth_registration_number) of \(name), \(record.birth_date), born in \(recorded), not \(place)", record.birth_registration_number, nil)
        }
        return check(.confirmed, "birth record \(record.birth_registration_number) of \(name), \(record.birth_date)\(record.place_of_birth.map { ", \($0)" } ?? "")",
                     record.birth_registration_number, nil)
    }
}
