import AccordCore
import Casework
import Exchange
import Foundation
import Hummingbird
import Readmission

/// The composer of a readmission application. Opened from a national case
/// (`?person=…&case=…`) it is filled from the person's record and the case's documents, and the
/// application's case in the case file is about that same person (enter once).
extension CaseworkConsole {
    func registerCompose<Context: RequestContext>(_ desk: ReadmissionDesk, on console: RouterGroup<Context>) {
        console.get("readmission/new") { request, _ in
            let session = try await readmissionSession(request)
            let query = request.uri.queryParameters
            var form = ComposeForm()
            if let personText = query["person"].map(String.init) {
                guard let id = Person.ID(personText) else { throw CaseworkError.personNotFound(personText) }
                form = ComposeForm(person: try await service.person(id, by: session.caller))
                if let number = query["case"].flatMap({ try? CaseNumber(parsing: String($0)) }) {
                    let record = try await service.caseRecord(number, by: session.caller)
                    form.fromCase = record.number.text
                    form.useDocuments(try await service.documents(number, by: session.caller), kinds: evidenceKinds(await desk.reachablePartners()))
                }
            }
            return await composePage(desk, request, session, form: form)
        }
        console.post("readmission") { request, _ in
            let session = try await readmissionSession(request)
            let fields = try await checkedForm(request, session)
            let form = ComposeForm(fields)
            do {
                // The officer must be allowed to see the person the application is about.
                var person: String?
                if let given = form.personID, !given.isEmpty {
                    guard let id = Person.ID(given) else { throw CaseworkError.personNotFound(given) }
                    person = try await service.person(id, by: session.caller).id.rawValue
                }
                let application = try Self.application(fields, desk: desk)
                if let allowed = partners(session), let partner = desk.profiles.profile(application.agreement)?.partner(of: desk.participant),
                   !allowed.contains(partner.participant.rawValue) {
                    throw IdentityError.forbidden
                }
                let id = try await desk.submitApplication(application, reference: Self.text(fields, "reference", limit: 64), person: person, by: session.caller.user.rawValue)
                return Response.redirect(to: "/console/readmission/\(id.rawValue)", type: .normal)
            } catch let error as any AccordError {
                return await composePage(desk, request, session, form: form, message: Message(kind: "error", code: error.code, text: error.reason),
                                         status: HTTPResponse.Status(code: error.category.httpStatusCode))
            }
        }
    }

    func evidenceKinds(_ reachable: [(agreement: AgreementProfile, partner: AgreementProfile.Party)]) -> [String] {
        var kinds: [String] = []
        for (agreement, _) in reachable {
            for kind in agreement.proofEvidence + agreement.primaFacieEvidence where !kinds.contains(kind) { kinds.append(kind) }
        }
        return kinds
    }

    func composePage(_ desk: ReadmissionDesk, _ request: Request, _ session: ConsoleSession, form: ComposeForm = ComposeForm(), message: Message? = nil,
                     status: HTTPResponse.Status = .ok) async -> Response {
        let lang = strings.language(for: request)
        let allowed = partners(session)
        let reachable = await desk.reachablePartners().filter { allowed?.contains($0.partner.participant.rawValue) ?? true }
        let agreements = reachable.map { Option(value: $0.agreement.id, label: "\($0.partner.name) — \($0.agreement.id) (\($0.agreement.replyLimit))", selected: $0.agreement.id == form.agreement) }
        let evidence = evidenceKinds(reachable).map { Option(value: $0, label: $0.replacingOccurrences(of: "_", with: " "), selected: $0 == form.evidenceKind) }
        return localized("readmission-new", ReadmissionComposePage(nodeName: nodeName, signedIn: signedIn(session), lang: lang, t: strings.table(lang),
                                                                   csrf: session.csrfToken, agreements: agreements, evidence: evidence, form: form,
                                                                   sexes: ["F", "M", "X"].map { Option(value: $0, label: $0, selected: $0 == form.sex) },
                                                                   documentKinds: ["passport", "national_id_card", "expired_passport"].map {
                                                                       Option(value: $0, label: $0.replacingOccurrences(of: "_", with: " "), selected: $0 == form.documentKind)
                                                                   },
                                                                   message: message), request, status: status)
    }

    static func application(_ fields: [String: String], desk: ReadmissionDesk) throws -> ReadmissionApplication {
        let agreementID = try text(fields, "agreement")
        guard let agreement = desk.profiles.profile(agreementID) else { throw ReadmissionError(code: "readmission.unknown_agreement", reason: "choose a partner") }
        let kind = try text(fields, "evidenceKind")
        let nationality = try text(fields, "nationality").uppercased()
        let document = optional(fields, "documentNumber").map {
            PersonRecord.IdentityDocument(kind: fields["documentKind"] ?? "passport", number: String($0.prefix(40)), issuingCountry: (optional(fields, "issuingCountry") ?? nationality).uppercased())
        }
        let protection = optional(fields, "protection") ?? "none"
        guard PersonRecord.protectionStatuses.contains(protection) else { throw ReadmissionError(code: "readmission.invalid_input", reason: "unknown protection status") }
        let birth = optional(fields, "dateOfBirth")
        if let birth, CalendarDate(birth) == nil { throw ReadmissionError(code: "readmission.invalid_input", reason: "the date of birth must be like 1987-04-12") }
        let apprehensionDate = optional(fields, "apprehensionDate")
        if let apprehensionDate, CalendarDate(apprehensionDate) == nil { throw ReadmissionError(code: "readmission.invalid_input", reason: "the apprehension date must be like 2026-11-02") }
        let sex = optional(fields, "sex") ?? "X"
        guard ["F", "M", "X"].contains(sex) else { throw ReadmissionError(code: "readmission.invalid_input", reason: "sex is F, M or X") }
        // The digest of the case document the evidence is (filled in from the case).
        let digest = optional(fields, "evidenceDigest").flatMap { ContentDigest(hex: $0)?.hex }
        return ReadmissionApplication(
            agreement: agreementID, procedure: fields["procedure"] == "accelerated" ? "accelerated" : "normal",
            person: PersonRecord(names: [.init(given: optional(fields, "given"), family: try text(fields, "family", limit: 100))], dateOfBirth: birth,
                                 placeOfBirth: optional(fields, "placeOfBirth"), sex: sex, nationality: nationality, protectionStatus: protection,
                                 documents: document.map { [$0] }),
            evidence: [Evidence(strength: agreement.strength(ofEvidence: kind) ?? "prima_facie", kind: kind, description: optional(fields, "evidenceDescription"),
                                documentDigest: digest)],
            biometricReferences: optional(fields, "biometric").map { [$0] },
            apprehension: apprehensionDate.map { .init(date: $0, place: optional(fields, "apprehensionPlace") ?? "—", circumstances: optional(fields, "circumstances")) },
            specialNeeds: optional(fields, "specialNeeds"), escort: fields["escort"] == "not_required" ? "not_required" : "required"
        )
    }
}

/// What the composer shows in its fields: empty, filled from a person and a case, or what the
/// officer typed (kept when the application is refused).
struct ComposeForm {
    var personID: String?
    var fromCase: String?
    var personName: String?
    var agreement = "", reference = ""
    var given = "", family = "", dateOfBirth = "", placeOfBirth = "", sex = "X", nationality = ""
    var documentKind = "passport", documentNumber = "", issuingCountry = ""
    var evidenceKind = "", evidenceDescription = "", evidenceDigest = ""
    var apprehensionDate = "", apprehensionPlace = "", circumstances = "", specialNeeds = "", biometric = ""

    init() {}

    init(person: Person) {
        let details = person.details
        personID = person.id.rawValue
        personName = [details.name.given, details.name.family].filter { !$0.isEmpty }.joined(separator: " ")
        given = details.name.given
        family = details.name.family
        // The date field takes a full date; a partial one is left for the officer.
        if let birth = details.dateOfBirth, CalendarDate(birth.text) != nil { dateOfBirth = birth.text }
        placeOfBirth = details.placeOfBirth ?? ""
        sex = ["F", "M", "X"].contains(details.sex.rawValue) ? details.sex.rawValue : "X"
        nationality = details.nationality?.rawValue ?? ""
        if let document = details.identityDocuments.first(where: { $0.kind == .passport || $0.kind == .nationalIDCard }) ?? details.identityDocuments.first {
            documentKind = document.kind == .nationalIDCard ? "national_id_card" : "passport"
            documentNumber = document.number
            issuingCountry = document.issuingCountry.rawValue
        }
    }

    init(_ fields: [String: String]) {
        func value(_ name: String) -> String { String((fields[name] ?? "").prefix(200)) }
        personID = fields["person"].flatMap { $0.isEmpty ? nil : $0 }
        fromCase = fields["fromCase"].flatMap { $0.isEmpty ? nil : $0 }
        personName = fields["personName"].flatMap { $0.isEmpty ? nil : String($0.prefix(200)) }
        (agreement, reference) = (value("agreement"), value("reference"))
        (given, family, dateOfBirth, placeOfBirth) = (value("given"), value("family"), value("dateOfBirth"), value("placeOfBirth"))
        (sex, nationality) = (value("sex"), value("nationality"))
        (documentKind, documentNumber, issuingCountry) = (value("documentKind"), value("documentNumber"), value("issuingCountry"))
        (evidenceKind, evidenceDescription, evidenceDigest) = (value("evidenceKind"), value("evidenceDescription"), value("evidenceDigest"))
        (apprehensionDate, apprehensionPlace, circumstances) = (value("apprehensionDate"), value("apprehensionPlace"), value("circumstances"))
        (specialNeeds, biometric) = (value("specialNeeds"), value("biometric"))
    }

    /// The case's first identity document an agreement takes as evidence becomes the evidence.
    mutating func useDocuments(_ documents: [CaseDocument], kinds: [String]) {
        guard let document = documents.first(where: { kinds.contains($0.kind.rawValue) }) else { return }
        evidenceKind = document.kind.rawValue
        evidenceDescription = "\(document.kind.label)\(document.title.map { ": \($0)" } ?? "") — case \(fromCase ?? "")"
        evidenceDigest = document.digest.hex
    }
}
