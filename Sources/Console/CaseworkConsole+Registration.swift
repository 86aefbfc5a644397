import AccordCore
public import Casework
import Foundation
public import Hummingbird
import Identity

/// Registering a person (search before create), the person page, and opening a case for them.
extension CaseworkConsole {
    func registerRegistration<Context: RequestContext>(on console: RouterGroup<Context>) {
        console.get("persons/new") { request, _ in
            let session = try await requireSession(request)
            return html("person-new", RegistrationPage(nodeName: nodeName, signedIn: signedIn(session), csrf: session.csrfToken, values: [:]))
        }
        console.post("persons/new") { request, _ in
            let session = try await requireSession(request)
            let fields = try await checkedForm(request, session)
            return try await register(fields, session: session, request: request)
        }
        console.get("persons/{personID}") { request, context in
            let session = try await requireSession(request)
            guard let id = context.parameters.get("personID").flatMap(Person.ID.init) else { throw CaseworkError.personNotFound("") }
            return try await personPage(id, session: session, request: request)
        }
        console.post("persons/{personID}/checks") { request, context in
            let session = try await requireSession(request)
            guard let id = context.parameters.get("personID").flatMap(Person.ID.init) else { throw CaseworkError.personNotFound("") }
            _ = try await checkedForm(request, session)
            _ = try await service.runChecks(id, by: Self.caller(session, request))
            return Response(status: .seeOther, headers: [.location: "/console/persons/\(id.rawValue)#checks", .cacheControl: "no-store"])
        }
        console.post("persons/{personID}/cases") { request, context in
            let session = try await requireSession(request)
            guard let id = context.parameters.get("personID").flatMap(Person.ID.init) else { throw CaseworkError.personNotFound("") }
            let fields = try await checkedForm(request, session)
            let caller = Self.caller(session, request)
            do {
                let opened = try await service.openCase(CaseInput(
                    type: fields["type"], office: fields["office"], assignedOfficer: fields["assignedOfficer"].flatMap { $0.isEmpty ? nil : $0 },
                    title: fields["title"].flatMap { $0.isEmpty ? nil : $0 }, principalPersonID: id.rawValue
                ), by: caller)
                return Response(status: .seeOther, headers: [.location: "/console/cases/\(opened.number.text)", .cacheControl: "no-store"])
            } catch let error as CaseworkError {
                return try await personPage(id, session: session, request: request, form: fields, error: error, status: HTTPResponse.Status(code: error.category.httpStatusCode))
            }
        }
    }

    /// Search before create: unless the clerk confirmed, likely duplicates (same document number,
    /// the same name in any script) are shown first, with why each matched; the input is kept.
    func register(_ submitted: [String: String], session: ConsoleSession, request: Request) async throws -> Response {
        let caller = Self.caller(session, request)
        var fields = submitted
        // A machine-readable zone read from the document fills what the clerk left empty.
        if let zone = fields["mrz"], !zone.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            do {
                let mrz = try MachineReadableZone.parse(zone)
                guard mrz.isValid else {
                    throw CaseworkError(code: "casework.mrz_check_digit", reason: "the MRZ's check digits do not match (\(mrz.failedChecks.joined(separator: ", "))): read it again",
                                        category: .invalidInput, diagnostics: [Diagnostic(code: "casework.mrz_check_digit", message: "check digits of \(mrz.failedChecks.joined(separator: ", ")) do not match", path: "mrz")])
                }
                func fill(_ key: String, _ value: String?) { if (fields[key] ?? "").isEmpty, let value, !value.isEmpty { fields[key] = value } }
                fill("family", mrz.surname.capitalized)
                fill("given", mrz.givenNames.capitalized)
                fill("dateOfBirth", Self.mrzDate(mrz.birthDate, past: true))
                fill("sex", ["F": "F", "M": "M"][String(mrz.sex)] ?? "X")
                fill("nationality", mrz.nationality)
                fill("documentNumber", mrz.documentNumber)
                fill("documentKind", mrz.documentCode.hasPrefix("P") ? "passport" : "national_id_card")
                fill("issuingCountry", mrz.issuingState)
                fill("expiresOn", Self.mrzDate(mrz.expiryDate, past: false))
            } catch let error as CaseworkError {
                var page = RegistrationPage(nodeName: nodeName, signedIn: signedIn(session), csrf: session.csrfToken, values: fields)
                page.errors = ErrorSummary(code: error.code, text: error.reason, items: [ErrorSummary.Item(text: error.reason, anchor: "mrz")])
                return html("person-new", page, status: .badRequest)
            }
        }
        func value(_ key: String) -> String? { fields[key].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } }
        var documents: [IdentityDocumentInput]?
        if let number = value("documentNumber") {
            documents = [IdentityDocumentInput(kind: value("documentKind") ?? "passport", number: number, issuingCountry: value("issuingCountry") ?? value("nationality"),
                                               expiresOn: value("expiresOn"))]
        }
        var native: [ScriptedNameInput]?
        if let family = value("nativeFamily") {
            native = [ScriptedNameInput(script: value("nativeScript") ?? "Arab", given: value("nativeGiven"), family: family)]
        }
        let input = PersonInput(name: NameInput(given: value("given"), family: fields["family"] ?? ""), nativeNames: native, dateOfBirth: value("dateOfBirth"),
                                placeOfBirth: value("placeOfBirth"), sex: value("sex"), nationality: value("nationality"), identityDocuments: documents)
        if fields["confirm"] != "1" {
            // Search before create: scored candidates across scripts and spellings (an invalid
            // form is checked by the registration itself, below).
            let candidates = try await service.likelyDuplicates(input, lenient: true, by: caller)
            if !candidates.isEmpty {
                var page = RegistrationPage(nodeName: nodeName, signedIn: signedIn(session), csrf: session.csrfToken, values: fields)
                page.duplicates = candidates.map { DuplicateView($0.person, score: $0.score, reasons: $0.reasons) }
                page.hasDuplicates = true
                return html("person-new", page)
            }
        }
        do {
            let person = try await service.registerPerson(input, by: caller)
            return Response(status: .seeOther, headers: [.location: "/console/persons/\(person.id.rawValue)", .cacheControl: "no-store"])
        } catch let error as CaseworkError {
            var page = RegistrationPage(nodeName: nodeName, signedIn: signedIn(session), csrf: session.csrfToken, values: fields)
            page.errors = ErrorSummary(code: error.code, text: error.reason, items: error.diagnostics.map {
                ErrorSummary.Item(text: $0.message, anchor: Self.registrationAnchor($0.path ?? ""))
            })
            return html("person-new", page, status: HTTPResponse.Status(code: error.category.httpStatusCode))
        }
    }

    /// YYMMDD as a calendar date: a birth date is in the past, an expiry within the next 50 years.
    static func mrzDate(_ text: String, past: Bool) -> String? {
        guard text.count == 6, let yy = Int(text.prefix(2)), let mm = Int(text.dropFirst(2).prefix(2)), let dd = Int(text.suffix(2)) else { return nil }
        let current = CalendarDate(Date()).year
        var year = current / 100 * 100 + yy
        if past, year > current { year -= 100 }
        if !past, year < current - 50 { year += 100 }
        return CalendarDate(year: year, month: mm, day: dd)?.text
    }

    /// The form field a problem of `PersonInput` is about.
    static func registrationAnchor(_ path: String) -> String {
        switch path {
        case "name.family": "family"
        case "name.given": "given"
        case let other where other.hasPrefix("identityDocuments"): other.hasSuffix("issuingCountry") ? "issuingCountry" : other.hasSuffix("expiresOn") ? "expiresOn" : "documentNumber"
        case let other where other.hasPrefix("nativeNames"): "nativeFamily"
        default: path
        }
    }

    func personPage(_ id: Person.ID, session: ConsoleSession, request: Request, form: [String: String]? = nil, error: CaseworkError? = nil,
                    status: HTTPResponse.Status = .ok) async throws -> Response {
        let caller = Self.caller(session, request)
        let person = try await service.person(id, by: caller)
        let cases = try await service.listCases(CaseFilter(personID: id, limit: 100), by: caller).cases
        let card = PersonCard(person, party: CaseParty(personID: id, role: .principal))
        let canOpen = caller.grants.map { service.policy.allows($0, .editCase) } ?? true
        let checks = try await service.checks(of: id, by: caller)
        var summary: ErrorSummary?
        if let error {
            summary = ErrorSummary(code: error.code, text: error.reason, items: error.diagnostics.map { ErrorSummary.Item(text: $0.message, anchor: "open-\($0.path ?? "type")") })
        }
        let page = PersonPage(
            nodeName: nodeName, signedIn: signedIn(session), csrf: session.csrfToken, id: id.rawValue, person: card,
            cases: cases.map { CaseRow($0, persons: [id: person], stateLabel: stateLabel($0), today: CalendarDate(Date())) },
            canOpen: canOpen,
            checks: checks.map(CheckRow.init), hasChecks: !checks.isEmpty, reachesSystems: service.reachesNationalSystems,
            canCheck: service.reachesNationalSystems && (caller.grants.map { service.policy.allows($0, .editPerson) } ?? true),
            alarm: checks.contains { $0.outcome.isAlarming },
            types: CaseType.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: form?["type"] == $0.rawValue) },
            office: form?["office"] ?? caller.grants?.compactMap(\.office).first ?? "", officer: form?["assignedOfficer"] ?? "", title: form?["title"] ?? "",
            errors: summary
        )
        return html("person", page, status: status)
    }
}

struct DuplicateView {
    let person: PersonRow
    let score: Int
    let reasons: [String]

    init(_ person: Person, score: Int, reasons: [String]) {
        self.person = PersonRow(person)
        self.score = score
        self.reasons = reasons
    }
}

struct RegistrationPage {
    let nodeName: String
    let signedIn: SignedIn?
    let csrf: String
    /// The input, kept on every answer.
    let values: [String: String]
    let sexes: [Option]
    let scripts: [Option]
    let documentKinds: [Option]
    var duplicates: [DuplicateView] = []
    var hasDuplicates = false
    var errors: ErrorSummary?

    init(nodeName: String, signedIn: SignedIn?, csrf: String, values: [String: String]) {
        self.nodeName = nodeName
        self.signedIn = signedIn
        self.csrf = csrf
        self.values = values
        sexes = [("F", "Female"), ("M", "Male"), ("X", "Unspecified")].map { Option(value: $0.0, label: $0.1, selected: values["sex"] == $0.0) }
        scripts = [("Arab", "Arabic"), ("Cyrl", "Cyrillic"), ("Geor", "Georgian"), ("Ethi", "Ethiopic"), ("Hans", "Chinese"), ("Deva", "Devanagari"), ("Tfng", "Tifinagh")]
            .map { Option(value: $0.0, label: $0.1, selected: values["nativeScript"] == $0.0) }
        documentKinds = [("passport", "Passport"), ("national_id_card", "National ID card"), ("travel_document", "Travel document"), ("residence_permit", "Residence permit")]
            .map { Option(value: $0.0, label: $0.1, selected: values["documentKind"] == $0.0) }
    }
}

struct PersonPage {
    let nodeName: String
    let signedIn: SignedIn?
    let csrf: String
    let id: String
    let person: PersonCard
    let cases: [CaseRow]
    let canOpen: Bool
    let checks: [CheckRow]
    let hasChecks: Bool
    let reachesSystems: Bool
    let canCheck: Bool
    /// A hit or a conflicting answer among the checks.
    let alarm: Bool
    let types: [Option]
    let office: String
    let officer: String
    let title: String
    let errors: ErrorSummary?
}

/// One answer of a national system, as the person page's panel shows it.
struct CheckRow {
    let source: String
    let check: String
    let at: String
    let outcome: String
    let outcomeCode: String
    let detail: String
    let reference: String?
    let problem: String?

    static let outcomes: [PersonCheck.Outcome: String] = [
        .confirmed: "Confirmed", .conflicting: "Does not match", .notFound: "No record", .hit: "HIT", .noHit: "No hit",
        .recordsFound: "Records found", .notVerified: "Not verified",
    ]
    static let checks = ["sltd": "Lost and stolen documents", "watchlist": "Watchlist", "crossings": "Border crossings", "authenticate": "Identity", "birth-search": "Birth record"]

    init(_ check: PersonCheck) {
        source = check.source
        self.check = Self.checks[check.check] ?? check.check
        at = ConsoleFormat.dateTime(check.at)
        outcome = Self.outcomes[check.outcome] ?? check.outcome.rawValue
        outcomeCode = check.outcome.rawValue
        detail = check.detail
        reference = check.reference
        problem = check.problem
    }
}
