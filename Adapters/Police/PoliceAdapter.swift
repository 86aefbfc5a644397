public import AdapterKit
import Foundation

/// Police checks: travel documents against the lost and stolen database (SLTD-style) and a
/// person against the watchlist.
public struct PoliceAdapter: Sendable {
    public let client: AdapterClient

    public init(client: AdapterClient) throws {
        guard client.manifest.kind == .police else {
            throw AdapterError.misconfigured(client.system, "the manifest is for a \(client.manifest.kind.rawValue) system, not a police system")
        }
        self.client = client
    }

    /// The documents against the lost and stolen database: one check per document.
    public func documents(_ person: AdapterSubject, context: AdapterCallContext) async -> [AdapterCheck] {
        let subject = person.minimised(to: client.manifest.fields)
        let system = client.system
        guard !subject.documents.isEmpty else { return [] }
        let query = PoliceRecords.DocumentCheck(documents: subject.documents.map { .init(number: $0.number, type: $0.kind, issuingCountry: $0.issuingCountry) })
        let result = await client.call(
            "sltd", context: context, sent: [.documents], cacheKey: "sltd|" + query.documents.map { "\($0.type):\($0.number):\($0.issuingCountry ?? "")" }.joined(separator: ","),
            request: { try .json("/police/v1/sltd/check", query) },
            decode: { try $0.answer(PoliceRecords.DocumentResults.self, system: system) }
        )
        switch result {
        case .failure(let error):
            return subject.documents.map {
                AdapterCheck(system: system, kind: .police, check: "sltd", at: Date(), outcome: .notVerified, detail: "\($0.kind) \($0.number): \(error.reason)", problem: error.code)
            }
        case .success(let answer):
            return subject.documents.map { document in
                let label = "\(document.kind) \(document.number)\(document.issuingCountry.map { " (\($0))" } ?? "")"
                guard let found = answer.results.first(where: { $0.number == document.number }) else {
                    return AdapterCheck(system: system, kind: .police, check: "sltd", at: Date(), outcome: .notVerified, detail: "\(label): the answer did not cover this document",
                                        problem: "adapter.bad_response")
                }
                if found.hit {
                    return AdapterCheck(system: system, kind: .police, check: "sltd", at: Date(), outcome: .hit, reference: found.reference,
                                        detail: "\(label) reported \(found.status ?? "lost or stolen") by \(found.reportingCountry ?? "an unnamed country")\(found.reportedOn.map { " on \($0)" } ?? "")")
                }
                return AdapterCheck(system: system, kind: .police, check: "sltd", at: Date(), outcome: .noHit, detail: "\(label): not reported lost or stolen")
            }
        }
    }

    /// The person against the watchlist.
    public func watchlist(_ person: AdapterSubject, context: AdapterCallContext) async -> AdapterCheck {
        let subject = person.minimised(to: client.manifest.fields)
        let system = client.system
        func check(_ outcome: AdapterCheck.Outcome, _ detail: String, reference: String? = nil, problem: String? = nil) -> AdapterCheck {
            AdapterCheck(system: system, kind: .police, check: "watchlist", at: Date(), outcome: outcome, reference: reference, detail: detail, problem: problem)
        }
        guard let family = subject.familyName else { return check(.notVerified, "no family name to check", problem: "adapter.nothing_to_check") }
        let query = PoliceRecords.PersonQuery(familyName: family, givenNames: subject.givenNames, dateOfBirth: subject.dateOfBirth, nationality: subject.nationality)
        var sent: Set<PersonField> = [.familyName]
        if subject.givenNames != nil { sent.insert(.givenNames) }
        if subject.dateOfBirth != nil { sent.insert(.dateOfBirth) }
        if subject.nationality != nil { sent.insert(.nationality) }
        let result = await client.call(
            "watchlist", context: context, sent: sent,
            cacheKey: "watch|\(family)|\(subject.givenNames ?? "")|\(subject.dateOfBirth ?? "")|\(subject.nationality ?? "")",
            request: { try .json("/police/v1/watchlist/check", query) },
            decode: { try $0.answer(PoliceRecords.PersonResult.self, system: system) }
        )
        switch result {
        case .failure(let error): return check(.notVerified, error.reason, problem: error.code)
        case .success(let answer) where answer.hit:
            return check(.hit, "watchlist hit (\(answer.category ?? "alert")) reported by \(answer.reportingCountry ?? "an unnamed country"); reference \(answer.reference ?? "none")",
                         reference: answer.reference)
        case .success: return check(.noHit, "no watchlist entry for this person")
        }
    }
}
