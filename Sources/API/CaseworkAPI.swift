public import AccordCore
public import Casework
import Foundation
public import Hummingbird
import NIOCore

/// The JSON REST API of a node's case management, under `/api/v1`. Every endpoint is described in
/// Docs/openapi.yaml; a test keeps the two in step.
public struct CaseworkAPI: Sendable {
    public let service: CaseworkService
    public let authenticator: any APIAuthenticator

    public init(service: CaseworkService, authenticator: any APIAuthenticator) {
        self.service = service
        self.authenticator = authenticator
    }

    /// Who is calling: the user behind the request's bearer token, with their roles and the
    /// token's scopes. No or a bad token: `identity.unauthenticated` (401).
    func caller(_ request: Request) async throws -> Caller {
        guard let token = request.bearerToken else { throw IdentityError.unauthenticated }
        if let purpose = request.headers[.accordPurpose], purpose.unicodeScalars.count > 200 {
            throw APIError.invalidParameter("X-Accord-Purpose", "a purpose of at most 200 characters")
        }
        return try await authenticator.caller(token: token, origin: request.origin, purpose: request.purpose)
    }

    public func register<Context: RequestContext>(on router: Router<Context>) {
        router.add(middleware: APIErrorMiddleware<Context>(pathPrefix: "/api/"))
        let api = router.group("api/v1")
        registerPersons(on: api)
        registerCases(on: api)
        registerDocuments(on: api)
        registerWorkflow(on: api)
    }

    // MARK: Persons

    private func registerPersons<Context: RequestContext>(on api: RouterGroup<Context>) {
        api.post("persons") { request, context in
            let input = try await request.decodeJSON(PersonInput.self, context: context)
            return try JSONResponse.make(try await service.registerPerson(input, by: try await caller(request)), status: .created)
        }
        api.get("persons") { request, _ in
            try request.requireOnlyQuery(["name", "documentNumber", "limit"])
            let persons = try await service.searchPersons(
                // As sent: an empty name beside a document number is refused, not ignored.
                name: request.uri.queryParameters["name"].map(String.init),
                documentNumber: request.queryText("documentNumber"),
                limit: try request.queryInt("limit", range: 1...200) ?? 50,
                by: try await caller(request)
            )
            return try JSONResponse.make(PersonList(persons: persons))
        }
        api.post("duplicates") { request, context in
            let input = try await request.decodeJSON(PersonInput.self, context: context)
            let found = try await service.likelyDuplicates(input, by: try await caller(request))
            return try JSONResponse.make(DuplicateList(candidates: found.map { DuplicateList.Candidate(person: $0.person, score: $0.score, reasons: $0.reasons) }))
        }
        api.get("persons/{personID}") { request, context in
            try JSONResponse.make(try await service.person(context.parameters.personID(), by: try await caller(request)))
        }
        api.put("persons/{personID}") { request, context in
            let id = try context.parameters.personID()
            let input = try await request.decodeJSON(PersonUpdate.self, context: context)
            return try JSONResponse.make(try await service.updatePerson(id, input.person, expectedVersion: input.expectedVersion, by: try await caller(request)))
        }
        api.delete("persons/{personID}") { request, context in
            try await service.erasePerson(context.parameters.personID(), by: try await caller(request))
            return Response(status: .noContent)
        }
        api.get("persons/{personID}/checks") { request, context in
            try JSONResponse.make(CheckList(checks: try await service.checks(of: context.parameters.personID(), by: try await caller(request))))
        }
        api.post("persons/{personID}/checks") { request, context in
            try JSONResponse.make(CheckList(checks: try await service.runChecks(context.parameters.personID(), by: try await caller(request))))
        }
        api.get("persons/{personID}/cases") { request, context in
            let id = try context.parameters.personID()
            try request.requireOnlyQuery(["limit", "offset"])
            // The query is checked before the person is looked up: a malformed request is a 400
            // whatever the person's state.
            let filter = CaseFilter(personID: id, limit: try request.queryInt("limit", range: 1...CaseFilter.maximumLimit) ?? 50,
                                    offset: try request.queryInt("offset", range: 0...Int(Int32.max)) ?? 0)
            let caller = try await caller(request)
            _ = try await service.person(id, by: caller)
            return try JSONResponse.make(CaseList(page: try await service.listCases(filter, by: caller), filter: filter))
        }
    }

    // MARK: Cases

    private func registerCases<Context: RequestContext>(on api: RouterGroup<Context>) {
        api.post("cases") { request, context in
            let input = try await request.decodeJSON(CaseInput.self, context: context)
            return try JSONResponse.make(try await service.openCase(input, by: try await caller(request)), status: .created)
        }
        api.get("cases") { request, _ in
            try request.requireOnlyQuery(["type", "state", "open", "sort", "office", "assignedOfficer", "personID", "limit", "offset"])
            let filter = try CaseFilter(request: request)
            return try JSONResponse.make(CaseList(page: try await service.listCases(filter, by: try await caller(request)), filter: filter))
        }
        api.get("cases/{caseNumber}") { request, context in
            try JSONResponse.make(try await service.caseRecord(context.parameters.caseNumber(), by: try await caller(request)))
        }
        api.patch("cases/{caseNumber}") { request, context in
            let number = try context.parameters.caseNumber()
            let input = try await request.decodeJSON(CaseUpdateInput.self, context: context)
            return try JSONResponse.make(try await service.updateCase(number, input, by: try await caller(request)))
        }
        api.post("cases/{caseNumber}/parties") { request, context in
            let number = try context.parameters.caseNumber()
            let input = try await request.decodeJSON(PartyInput.self, context: context)
            return try JSONResponse.make(try await service.linkPerson(number, input, by: try await caller(request)), status: .created)
        }
        api.get("cases/{caseNumber}/notes") { request, context in
            try JSONResponse.make(NoteList(notes: try await service.notes(context.parameters.caseNumber(), by: try await caller(request))))
        }
        api.post("cases/{caseNumber}/notes") { request, context in
            let number = try context.parameters.caseNumber()
            let input = try await request.decodeJSON(NoteInput.self, context: context)
            return try JSONResponse.make(try await service.addNote(number, input, by: try await caller(request)), status: .created)
        }
        api.get("cases/{caseNumber}/history") { request, context in
            try JSONResponse.make(HistoryList(history: try await service.history(context.parameters.caseNumber(), by: try await caller(request))))
        }
    }

    // MARK: Documents

    private func registerDocuments<Context: RequestContext>(on api: RouterGroup<Context>) {
        api.get("cases/{caseNumber}/documents") { request, context in
            try JSONResponse.make(DocumentList(documents: try await service.documents(context.parameters.caseNumber(), by: try await caller(request))))
        }
        api.post("cases/{caseNumber}/documents") { request, context in
            // Who is asking, before a byte of the (up to 25 MiB) body is read.
            let caller = try await caller(request)
            try request.requireOnlyQuery(["kind", "title", "fileName", "personID", "issuingCountry", "documentNumber", "validFrom", "validUntil"])
            let number = try context.parameters.caseNumber()
            let metadata = DocumentMetadataInput(
                kind: request.queryText("kind"), title: request.queryText("title"), fileName: request.queryText("fileName"),
                personID: request.queryText("personID"), issuingCountry: request.queryText("issuingCountry"),
                documentNumber: request.queryText("documentNumber"), validFrom: request.queryText("validFrom"),
                validUntil: request.queryText("validUntil")
            )
            let limit = service.documentPolicy.maximumBytes
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: limit)
            } catch is NIOTooManyBytesError {
                throw CaseworkError.documentTooLarge(limit: limit)
            }
            let document = try await service.attachDocument(
                number, metadata: metadata, mediaType: request.headers[.contentType] ?? "",
                bytes: Array(buffer.readableBytesView), by: caller
            )
            return try JSONResponse.make(document, status: .created)
        }
        api.get("documents/{documentID}") { request, context in
            try JSONResponse.make(try await service.document(context.parameters.documentID(), by: try await caller(request)))
        }
        api.get("documents/{documentID}/content") { request, context in
            let (document, bytes) = try await service.documentContent(context.parameters.documentID(), by: try await caller(request))
            let name = (document.fileName ?? "\(document.kind.rawValue)-\(document.id)")
                .replacingOccurrences(of: "\"", with: "")
                .unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 }.map(String.init).joined()
            return Response(
                status: .ok,
                headers: [
                    .contentType: document.mediaType,
                    .contentDisposition: "attachment; filename=\"\(name)\"",
                    .eTag: "\"\(document.digest.hex)\"",
                    .xContentTypeOptions: "nosniff",
                    .cacheControl: "private, no-store",
                ],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
            )
        }
    }
}

extension Parameters {
    func personID() throws -> Person.ID {
        try identifier("personID", as: Person.ID.self, notFound: CaseworkError.personNotFound)
    }

    func documentID() throws -> CaseDocument.ID {
        try identifier("documentID", as: CaseDocument.ID.self, notFound: CaseworkError.documentNotFound)
    }
}

extension CaseFilter {
    init(request: Request) throws {
        self.init(
            type: try request.query("type", code: "casework.invalid_case_type", expected: "a case type") { CaseType(rawValue: $0) },
            state: try request.query("state", code: "casework.invalid_state", expected: "a workflow state (a–z, 0–9, _)") { text in
                text.range(of: "^[a-z][a-z0-9_]{0,39}$", options: .regularExpression) == nil ? nil : text
            },
            open: try request.query("open", code: "casework.invalid_flag", expected: "true or false") { ["true": true, "false": false][$0] },
            sort: try request.query("sort", code: "casework.invalid_sort", expected: "newest, oldest, deadline or updated") { CaseFilter.Sort(rawValue: $0) } ?? .newest,
            office: try request.query("office", code: "casework.invalid_office", expected: "an office code", OfficeCode.init),
            assignedOfficer: try request.query("assignedOfficer", code: "casework.invalid_user", expected: "a user name", UserID.init),
            personID: try request.query("personID", code: "casework.invalid_id", expected: "a person ID", Person.ID.init),
            limit: try request.queryInt("limit", range: 1...CaseFilter.maximumLimit) ?? 50,
            offset: try request.queryInt("offset", range: 0...Int(Int32.max)) ?? 0
        )
    }
}

struct PersonUpdate: Decodable {
    let expectedVersion: Int?
    let person: PersonInput

    private enum CodingKeys: String, CodingKey { case expectedVersion }

    init(from decoder: any Decoder) throws {
        expectedVersion = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(Int.self, forKey: .expectedVersion)
        person = try PersonInput(from: decoder)
    }
}

struct PersonList: Encodable { let persons: [Person] }
struct CheckList: Encodable { let checks: [PersonCheck] }
struct NoteList: Encodable { let notes: [CaseNote] }
struct HistoryList: Encodable { let history: [CaseHistoryEntry] }
struct DocumentList: Encodable { let documents: [CaseDocument] }

struct CaseList: Encodable {
    let cases: [Case]
    let total: Int
    let limit: Int
    let offset: Int

    init(page: CasePage, filter: CaseFilter) {
        cases = page.cases
        total = page.total
        limit = filter.limit
        offset = filter.offset
    }
}

/// Turns a bearer token into a caller; implemented by the composition root over the identity
/// service.
public protocol APIAuthenticator: Sendable {
    func caller(token: String, origin: String, purpose: String?) async throws -> Caller
}

/// Search before create: who may already be registered, with the score and its reasons.
struct DuplicateList: Encodable {
    struct Candidate: Encodable {
        let person: Person
        let score: Int
        let reasons: [String]
    }

    let candidates: [Candidate]
}
