public import AdapterKit
import Foundation

/// An entry/exit system: the travel history of a document or a person, and the exits recorded
/// since a position in its feed (a return is proven by an exit record).
public struct BorderAdapter: Sendable {
    public let client: AdapterClient

    public init(client: AdapterClient) throws {
        guard client.manifest.kind == .border else {
            throw AdapterError.misconfigured(client.system, "the manifest is for a \(client.manifest.kind.rawValue) system, not a border system")
        }
        self.client = client
    }

    static func percent(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    /// Crossings with one travel document.
    public func crossings(document: AdapterSubject.Document, context: AdapterCallContext) async -> Result<[BorderRecords.Crossing], AdapterError> {
        guard client.manifest.fields.contains(.documents) else {
            return .failure(.misconfigured(client.system, "the manifest does not allow documents to be sent"))
        }
        let system = client.system
        var path = "/border/v1/crossings?documentNumber=\(Self.percent(document.number))"
        if let country = document.issuingCountry { path += "&issuingCountry=\(Self.percent(country))" }
        let query = path
        return await client.call(
            "crossings", context: context, sent: [.documents], cacheKey: "doc|\(query)",
            request: { AdapterRequest(path: query, headers: [("Accept", "application/json")]) },
            decode: { try Self.list($0, system: system).crossings }
        )
    }

    /// Crossings recorded for a person (by name and date of birth), whatever the document.
    public func crossings(person: AdapterSubject, context: AdapterCallContext) async -> Result<[BorderRecords.Crossing], AdapterError> {
        let subject = person.minimised(to: client.manifest.fields)
        let system = client.system
        guard let family = subject.familyName, let birth = subject.dateOfBirth else {
            return .failure(AdapterError(code: "adapter.nothing_to_check", reason: "no family name and date of birth to search the border records by", system: system, category: .invalidInput))
        }
        let query = BorderRecords.PersonQuery(familyName: family, givenNames: subject.givenNames, dateOfBirth: birth, nationality: subject.nationality)
        var sent: Set<PersonField> = [.familyName, .dateOfBirth]
        if subject.givenNames != nil { sent.insert(.givenNames) }
        if subject.nationality != nil { sent.insert(.nationality) }
        return await client.call(
            "crossings-by-person", context: context, sent: sent, cacheKey: "person|\(family)|\(subject.givenNames ?? "")|\(birth)|\(subject.nationality ?? "")",
            request: { try .json("/border/v1/crossings/search", query) },
            decode: { try Self.list($0, system: system).crossings }
        )
    }

    /// Exits recorded after `cursor` (nil: from the start), and the cursor to ask with next.
    public func exits(after cursor: String?, limit: Int = 100, context: AdapterCallContext) async -> Result<BorderRecords.CrossingList, AdapterError> {
        let system = client.system
        let path = "/border/v1/exits?limit=\(max(1, min(limit, 500)))" + (cursor.map { "&after=\(Self.percent($0))" } ?? "")
        return await client.call(
            "exits", context: context, sent: [],
            request: { AdapterRequest(path: path, headers: [("Accept", "application/json")]) },
            decode: { try Self.list($0, system: system) }
        )
    }

    static func list(_ response: AdapterResponse, system: String) throws -> BorderRecords.CrossingList {
        try response.answer(BorderRecords.CrossingList.self, system: system)
    }

    /// The travel history as a check for the case file: the documents' crossings, newest first.
    public func history(_ person: AdapterSubject, context: AdapterCallContext) async -> AdapterCheck {
        let subject = person.minimised(to: client.manifest.fields)
        func check(_ outcome: AdapterCheck.Outcome, _ detail: String, problem: String? = nil) -> AdapterCheck {
            AdapterCheck(system: client.system, kind: .border, check: "crossings", at: Date(), outcome: outcome, detail: detail, problem: problem)
        }
        var crossings: [BorderRecords.Crossing] = []
        if subject.documents.isEmpty {
            switch await self.crossings(person: subject, context: context) {
            case .failure(let error): return check(.notVerified, error.reason, problem: error.code)
            case .success(let found): crossings = found
            }
        }
        for document in subject.documents {
            switch await self.crossings(document: document, context: context) {
            case .failure(let error): return check(.notVerified, error.reason, problem: error.code)
            case .success(let found): crossings += found
            }
        }
        guard !crossings.isEmpty else { return check(.notFound, "no recorded crossing") }
        let sorted = crossings.sorted { $0.at > $1.at }
        let lines = sorted.prefix(5).map { "\($0.direction) \($0.at.prefix(10)) at \($0.crossingPoint.name) (\($0.document.kind) \($0.document.number))" }
        return check(.recordsFound, "\(sorted.count) crossing(s); latest: " + lines.joined(separator: "; "))
    }
}
