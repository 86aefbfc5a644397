public import AccordCore
public import Casework
import Foundation
public import Hummingbird
import Mustache
public import Readmission
import NIOCore

/// The officers' console of a node: server-rendered HTML that works without JavaScript.
public struct CaseworkConsole: Sendable {
    public let service: CaseworkService
    public let nodeName: String
    let gate: any ConsoleGate
    let library: MustacheLibrary
    let stylesheet: ByteBuffer
    /// On a hub: the federation overview for the operators' page.
    public var federation: (@Sendable () async throws -> FederationOverview)?
    /// On a node in the federation: its readmission desk.
    public var readmission: ReadmissionDesk?
    let strings: ConsoleStrings

    /// Loads the templates and stylesheet shipped with the module.
    public static func load(service: CaseworkService, nodeName: String, gate: any ConsoleGate) async throws -> CaseworkConsole {
        guard let templates = Bundle.module.url(forResource: "Templates", withExtension: nil),
              let css = Bundle.module.url(forResource: "Static/accord", withExtension: "css")
                ?? Bundle.module.url(forResource: "accord", withExtension: "css", subdirectory: "Static") else {
            throw ConsoleError(code: "console.resources_missing", reason: "the console templates are not installed")
        }
        let library = try await MustacheLibrary(directory: templates.path)
        return CaseworkConsole(service: service, nodeName: nodeName, gate: gate, library: library, stylesheet: ByteBuffer(bytes: try Data(contentsOf: css)),
                               strings: try ConsoleStrings.load())
    }

    public func register<Context: RequestContext>(on router: Router<Context>) {
        router.get("/") { _, _ in Response.redirect(to: "/console/cases") }
        router.add(middleware: ConsoleErrorMiddleware<Context>(console: self))
        let console = router.group("console")
        console.get("static/accord.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                     body: ResponseBody(byteBuffer: stylesheet))
        }
        console.get("login") { request, _ in loginPage(request) }
        console.post("login") { request, _ in try await signIn(request) }
        console.post("logout") { request, _ in try await signOut(request) }
        console.get("mfa") { request, _ in try await enrolmentPage(request) }
        console.post("mfa") { request, _ in try await confirmEnrolment(request) }
        console.get("cases") { request, _ in try await caseList(request, session: requireSession(request)) }
        console.get("cases/find") { request, _ in try await findCase(request, session: requireSession(request)) }
        console.get("cases/{caseNumber}") { request, context in
            let session = try await requireSession(request)
            return try await casePage(CaseNumber(parsing: context.parameters.get("caseNumber") ?? ""), session: session, request: request)
        }
        console.get("persons") { request, _ in try await personSearch(request, session: requireSession(request)) }
        registerWork(on: console)
        registerRegistration(on: console)
        registerUpload(on: console)
        registerAdministration(on: console)
        registerFederation(on: console)
        registerReadmission(on: console)
    }

    func html(_ template: String, _ view: Any, status: HTTPResponse.Status = .ok) -> Response {
        let body = library.render(view, withTemplate: template) ?? "<!DOCTYPE html><title>Accord</title><p>Template \(template) missing.</p>"
        return Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .cacheControl: "no-store",
                .contentSecurityPolicy: "default-src 'self'; style-src 'self'; frame-ancestors 'none'",
                .xContentTypeOptions: "nosniff",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body))
        )
    }

    // MARK: Case list

    func caseList(_ request: Request, session: ConsoleSession, message: Message? = nil, findNumber: String = "", status: HTTPResponse.Status = .ok) async throws -> Response {
        let caller = Self.caller(session, request)
        let query = request.uri.queryParameters
        let type = query["type"].flatMap { CaseType(rawValue: String($0)) }
        let caseState = query["state"].map(String.init).flatMap { $0.isEmpty ? nil : String($0.prefix(40)) }
        let mine = query["mine"] == "1"
        // Open cases by default, unless closed ones are asked for or a state is chosen.
        let openOnly = query["open"] != "0" && caseState == nil
        let sort = query["sort"].flatMap { CaseFilter.Sort(rawValue: String($0)) } ?? .newest
        let office = query["office"].flatMap { OfficeCode(String($0)) }
        let person = query["person"].flatMap { Person.ID(String($0)) }
        let pageSize = 25
        let page = max(1, query["page"].flatMap { Int(String($0)) } ?? 1)
        let filter = CaseFilter(type: type, state: caseState, open: openOnly ? true : nil, sort: sort, office: office,
                                assignedOfficer: mine ? caller.user : nil, personID: person,
                                limit: pageSize, offset: min((page - 1) * pageSize, Int(Int32.max)))
        let result = try await service.listCases(filter, by: caller)
        let persons = try await service.persons(result.cases.compactMap(\.principal), by: caller)
        let pages = max(1, (result.total + pageSize - 1) / pageSize)
        func link(_ target: Int) -> String {
            var items: [String] = []
            if let type { items.append("type=\(type.rawValue)") }
            if let caseState { items.append("state=\(caseState)") }
            if mine { items.append("mine=1") }
            if !openOnly { items.append("open=0") }
            if sort != .newest { items.append("sort=\(sort.rawValue)") }
            if let office { items.append("office=\(office.rawValue)") }
            if let person { items.append("person=\(person.rawValue)") }
            items.append("page=\(target)")
            return "/console/cases?" + items.joined(separator: "&")
        }
        let view = CaseListPage(
            nodeName: nodeName,
            signedIn: signedIn(session),
            total: result.total,
            rows: result.cases.map { CaseRow($0, persons: persons, stateLabel: stateLabel($0), today: CalendarDate(Date())) },
            types: CaseType.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == type) },
            statuses: stateOptions(type: type, selected: caseState),
            offices: try await service.offices().map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == office) },
            sorts: [("newest", "Newest first"), ("oldest", "Oldest first"), ("deadline", "Nearest deadline"), ("updated", "Last changed")]
                .map { Option(value: $0.0, label: $0.1, selected: $0.0 == sort.rawValue) },
            mine: mine, openOnly: openOnly,
            page: page, pages: pages,
            previous: page > 1 ? link(page - 1) : nil,
            next: page < pages ? link(page + 1) : nil,
            findNumber: findNumber,
            message: message
        )
        return html("cases", view, status: status)
    }

    /// "Go to case number": a mistyped number is explained on the list page, not a dead end.
    func findCase(_ request: Request, session: ConsoleSession) async throws -> Response {
        let caller = Self.caller(session, request)
        let raw = request.uri.queryParameters["number"].map(String.init) ?? ""
        do {
            let number = try CaseNumber(parsing: raw)
            _ = try await service.caseRecord(number, by: caller)
            return Response.redirect(to: "/console/cases/\(number.text)")
        } catch let error as CaseworkError {
            let message = Message(kind: "error", code: error.code, text: error.reason)
            return try await caseList(request, session: session, message: message, findNumber: raw, status: error.category == .notFound ? .notFound : .badRequest)
        }
    }

    /// The states of the type's current workflow (or of every current workflow), for the filter.
    func stateOptions(type: CaseType?, selected: String?) -> [Option] {
        var seen: Set<String> = []
        var options: [Option] = []
        for workflow in (type.map { [$0] } ?? CaseType.allCases).compactMap(service.engine.catalog.current) {
            for state in workflow.states where seen.insert(state.id).inserted {
                options.append(Option(value: state.id, label: type == nil ? "\(state.label)" : state.label, selected: state.id == selected))
            }
        }
        return options
    }

    // MARK: Case page

    func casePage(
        _ number: CaseNumber, session: ConsoleSession, request: Request, form: (action: String, fields: [String: String])? = nil,
        error: CaseworkError? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let caller = Self.caller(session, request)
        let record = try await service.caseRecord(number, by: caller)
        let workflow = try? service.workflow(of: record)
        let work = try await caseWork(record, session: session, caller: caller, form: form, error: error)
        async let notes = service.notes(number, by: caller)
        async let history = service.history(number, by: caller)
        async let documents = service.documents(number, by: caller)
        let persons = try await service.persons(record.parties.map(\.personID), by: caller)
        let related = try await relatedCases(record, persons: persons, caller: caller)
        let view = CaseDetailPage(
            nodeName: nodeName,
            signedIn: signedIn(session),
            number: record.number.text,
            title: record.title,
            type: record.type.label,
            status: stateLabel(record),
            statusCode: record.isOpen ? "open" : "closed",
            office: record.office.rawValue,
            officer: record.assignedOfficer?.rawValue ?? "unassigned",
            opened: ConsoleFormat.dateTime(record.openedAt),
            updated: ConsoleFormat.dateTime(record.updatedAt),
            version: record.version,
            workflow: workflow.map { "\($0.title), version \($0.version)" } ?? "\(record.type.rawValue) version \(record.workflowVersion)",
            deadline: record.deadline?.text,
            overdue: record.deadline.map { $0 < CalendarDate(Date()) } ?? false,
            fields: record.fields.sorted { $0.key < $1.key }.map { FieldValue(label: workflow?.field($0.key)?.label ?? $0.key, value: $0.value.replacingOccurrences(of: "_", with: " ")) },
            work: work,
            persons: record.parties.compactMap { party in persons[party.personID].map { PersonCard($0, party: party) } },
            documents: try await documents.map(DocumentRow.init),
            notes: try await notes.map { NoteView(at: ConsoleFormat.dateTime($0.at), author: $0.author.rawValue, text: $0.text, recipient: $0.recipient?.rawValue, unread: $0.recipient != nil && $0.readAt == nil) },
            history: try await history.map {
                HistoryView(sequence: $0.sequence, at: ConsoleFormat.dateTime($0.at), actor: $0.actor.rawValue, summary: $0.summary)
            },
            exchange: try await exchangeLink(record, session: session),
            related: related, hasRelated: !related.isEmpty
        )
        return html("case", view, status: status)
    }

    /// Family and group links across cases, from the one person model: every other case a party
    /// of this one is in (that the caller may see), with who links them and in what role.
    func relatedCases(_ record: Case, persons: [Person.ID: Person], caller: Caller) async throws -> [RelatedCaseView] {
        var rows: [RelatedCaseView] = []
        var seen: Set<Case.ID> = [record.id]
        for party in record.parties {
            for other in try await service.listCases(CaseFilter(personID: party.personID, limit: 20), by: caller).cases where seen.insert(other.id).inserted {
                let role = other.parties.first { $0.personID == party.personID }?.role.label.lowercased() ?? ""
                let name = persons[party.personID]?.displayName ?? party.personID.rawValue
                rows.append(RelatedCaseView(number: other.number.text, type: other.type.label, state: stateLabel(other),
                                            via: "\(name) (\(party.role.label.lowercased()) here, \(role) there)"))
            }
        }
        return rows
    }

    /// A readmission case links to its exchange with the partner; a return case offers to
    /// request readmission, composed from its person and documents.
    func exchangeLink(_ record: Case, session: ConsoleSession) async throws -> ExchangeLink? {
        guard let desk = readmission, canSeeReadmission(session) else { return nil }
        if record.type == .readmission {
            return try await desk.conversation(ofCase: record.id.rawValue).map { ExchangeLink(href: "/console/readmission/\($0.rawValue)", label: "Open the exchange with the partner") }
        }
        guard record.type == .`return`, record.isOpen, let person = record.principal else { return nil }
        return ExchangeLink(href: "/console/readmission/new?person=\(person.rawValue)&case=\(record.number.text)", label: "Request readmission by a partner state")
    }

    // MARK: Persons

    func personSearch(_ request: Request, session: ConsoleSession) async throws -> Response {
        let caller = Self.caller(session, request)
        let name = request.uri.queryParameters["name"].map(String.init) ?? ""
        let number = request.uri.queryParameters["documentNumber"].map(String.init) ?? ""
        let searched = !name.isEmpty || !number.isEmpty
        var rows: [PersonRow] = []
        var message: Message?
        var status: HTTPResponse.Status = .ok
        if searched {
            do {
                rows = try await service.searchPersons(name: name, documentNumber: number, by: caller).map(PersonRow.init)
            } catch let error as CaseworkError {
                message = Message(kind: "error", code: error.code, text: error.reason)
                status = .badRequest
            }
        }
        let view = PersonSearchPage(nodeName: nodeName, signedIn: signedIn(session), name: name, documentNumber: number, searched: searched && message == nil,
                                    rows: rows, message: message)
        return html("persons", view, status: status)
    }
}

/// Renders errors under /console as an HTML page with the stable code; internal errors are
/// logged, not shown. Installed on the whole router so unknown console pages get it too.
struct ConsoleErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let console: CaseworkConsole

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/console") else { return try await next(request, context) }
        do {
            return try await next(request, context)
        } catch let redirect as ConsoleRedirect {
            return Response(status: .seeOther, headers: [.location: redirect.location, .cacheControl: "no-store"])
        } catch {
            let (status, code, message): (HTTPResponse.Status, String, String)
            switch error {
            case let error as any AccordError:
                (status, code, message) = (HTTPResponse.Status(code: error.category.httpStatusCode), error.code, error.reason)
            case let error as HTTPError where error.status == .notFound:
                (status, code, message) = (.notFound, "console.not_found", "There is no such page.")
            default:
                context.logger.error("console request failed", metadata: ["error": "\(String(reflecting: error))"])
                (status, code, message) = (.internalServerError, "console.internal_error", "Something went wrong; it has been logged.")
            }
            let heading = status == .notFound ? "Not found" : status.code >= 500 ? "Server error" : "Cannot show this page"
            var page = ErrorPage(nodeName: console.nodeName, status: status.code, heading: heading, code: code, message: message)
            if code == IdentityError.purposeRequired.code, request.method == .get { page.purposeAction = request.uri.path }
            return console.html("error", page, status: status)
        }
    }
}

/// The one error type of the Console module.
public struct ConsoleError: AccordError, Equatable {
    public let code: String
    public let reason: String
    public let category: ErrorCategory

    public init(code: String, reason: String, category: ErrorCategory = .internal) {
        self.code = code
        self.reason = reason
        self.category = category
    }

}

/// Thrown to send the browser elsewhere (sign-in, MFA enrolment).
struct ConsoleRedirect: Error {
    let location: String
}
