import AccordCore
import Foundation
import Identity

extension CaseworkService {
    // MARK: Agencies calling in

    /// An exit reported by the border service: the persons registered with that document, and
    /// what the workflows do on their open cases (`agency.border.exit`: a return case records the
    /// departure). Returns the persons found, for what the composition root does beyond the case
    /// file (a readmission transfer).
    public func reportExit(_ report: ExitReport, by caller: Caller) async throws -> (persons: [Person.ID], outcome: AgencyOutcome, at: Date) {
        var v = Validation()
        let number = v.text(report.document?.number, at: "document.number", required: true, maxLength: 40)
        let country = v.country(report.document?.issuingCountry, at: "document.issuingCountry", required: true)
        _ = v.text(report.document?.kind, at: "document.kind", maxLength: 40)
        let at = v.parsed(report.at, at: "at", required: true, code: "agency.invalid_time", expected: "a time like 2026-03-02T09:30:00Z") { Self.utcTime($0) }
        let point = v.text(report.crossingPoint?.code, at: "crossingPoint.code", required: true, maxLength: 40)
        let pointName = v.text(report.crossingPoint?.name, at: "crossingPoint.name", maxLength: 200)
        let reference = v.text(report.reference, at: "reference", maxLength: 100)
        if let at, at > clock.now.addingTimeInterval(300) { v.fail("agency.time_in_future", "at is in the future", at: "at") }
        try v.finish()
        try await authorize(caller, .agencyReport, [], .create, "agency_report", "exit")
        let persons = try await personsHolding(number!, country: country!)
        var effects: [AgencyOutcome.Effect] = []
        let summary = "exit at \(pointName ?? point!) on \(Self.utcText(at!))\(reference.map { " (border record \($0))" } ?? "")"
        for person in persons {
            for record in try await cases.list(CaseFilter(open: true, personID: person, limit: CaseFilter.maximumLimit)).cases where record.type != .readmission {
                let before = record.state
                let after = try await handleEvent("agency.border.exit", on: record.id, by: caller)
                if after.state != before { effects.append(.init(caseNumber: record.number.text, effect: "transition to \(after.state)")) }
                if try await react(to: "agency.border.exit", on: record.id, summary: summary, by: caller) != nil {
                    effects.append(.init(caseNumber: record.number.text, effect: "reaction:agency.border.exit"))
                }
            }
        }
        try await audit.record(caller.event(.create, "agency_report", "exit \(persons.count) person(s)"))
        return (persons, AgencyOutcome(matchedPersons: persons.count, effects: effects), at!)
    }

    /// A hit reported by the police on a person or document: kept as a check of each person
    /// found, and the workflows' reaction on their open cases (a supervisor's task).
    public func reportPoliceHit(_ report: PoliceHitReport, by caller: Caller) async throws -> AgencyOutcome {
        var v = Validation()
        let reference = v.text(report.reference, at: "reference", required: true, maxLength: 100)
        let reporting = v.country(report.reportingCountry, at: "reportingCountry", required: true)
        let category = v.text(report.category, at: "category", required: true, maxLength: 40)
        if let category, !PoliceHitReport.categories.contains(category) {
            v.fail("agency.invalid_category", "category must be one of \(PoliceHitReport.categories.joined(separator: ", "))", at: "category")
        }
        let target = subject(document: report.document, person: report.person, into: &v)
        try v.finish()
        try await authorize(caller, .agencyReport, [], .create, "agency_report", "police_hit")
        let persons = try await persons(matching: target!)
        let detail = "reported by the police of \(reporting!.rawValue): \(category!.replacingOccurrences(of: "_", with: " "))"
        let effects = try await record(PersonCheckResult(source: "Police report (\(caller.user.rawValue))", kind: "police", check: "report", at: clock.now, outcome: .hit,
                                                         reference: reference, detail: detail), on: persons, by: caller)
        try await audit.record(caller.event(.create, "agency_report", "police_hit \(persons.count) person(s)"))
        return AgencyOutcome(matchedPersons: persons.count, effects: effects)
    }

    /// A death registered or a document cancelled by a registry.
    public func reportRegistryNotice(_ notice: RegistryNotice, by caller: Caller) async throws -> AgencyOutcome {
        var v = Validation()
        let kind = v.text(notice.kind, at: "kind", required: true, maxLength: 40)
        if let kind, !RegistryNotice.kinds.contains(kind) { v.fail("agency.invalid_kind", "kind must be death or document_cancelled", at: "kind") }
        let date = v.calendarDate(notice.date, at: "date")
        if notice.date == nil { v.fail("casework.missing_field", "date is required", at: "date") }
        if let date, date > today { v.fail("agency.date_in_future", "date is in the future", at: "date") }
        let reference = v.text(notice.reference, at: "reference", required: true, maxLength: 100)
        if kind == "document_cancelled", notice.document == nil { v.fail("agency.document_required", "a cancelled document needs document", at: "document") }
        let target = subject(document: notice.document, person: notice.person, into: &v)
        try v.finish()
        try await authorize(caller, .agencyReport, [], .create, "agency_report", "registry_notice")
        let persons = try await persons(matching: target!)
        let detail = kind == "death" ? "registered as deceased on \(date!)" : "document \(notice.document?.number ?? "") cancelled on \(date!)"
        let effects = try await record(PersonCheckResult(source: "Registry notice (\(caller.user.rawValue))", kind: "civil_registry", check: kind!, at: clock.now, outcome: .conflicting,
                                                         reference: reference, detail: detail), on: persons, by: caller)
        try await audit.record(caller.event(.create, "agency_report", "registry_notice \(persons.count) person(s)"))
        return AgencyOutcome(matchedPersons: persons.count, effects: effects)
    }

    enum AgencySubject {
        case document(String, CountryCode)
        case person(family: String, given: String?, birth: PartialDate)
    }

    /// A document (number and country) or a person (family name and date of birth) to find.
    private func subject(document: AgencyDocumentInput?, person: AgencyPersonInput?, into v: inout Validation) -> AgencySubject? {
        if let document {
            let number = v.text(document.number, at: "document.number", required: true, maxLength: 40)
            let country = v.country(document.issuingCountry, at: "document.issuingCountry", required: true)
            _ = v.text(document.kind, at: "document.kind", maxLength: 40)
            return number.flatMap { number in country.map { .document(number, $0) } }
        }
        if let person {
            let family = v.text(person.familyName, at: "person.familyName", required: true, maxLength: 100)
            let given = v.text(person.givenNames, at: "person.givenNames", maxLength: 100)
            let birth = v.partialDate(person.dateOfBirth, at: "person.dateOfBirth")
            if person.dateOfBirth == nil { v.fail("casework.missing_field", "person.dateOfBirth is required", at: "person.dateOfBirth") }
            _ = v.country(person.nationality, at: "person.nationality")
            return family.flatMap { family in birth.map { .person(family: family, given: given, birth: $0) } }
        }
        v.fail("casework.missing_field", "give document (number and issuingCountry) or person (familyName and dateOfBirth)", at: "document")
        return nil
    }

    /// Registered persons holding the document.
    private func personsHolding(_ number: String, country: CountryCode) async throws -> [Person.ID] {
        let folded = TextFolding.documentNumber(number)
        return try await searchPersons(name: nil, documentNumber: number, by: .system)
            .filter { $0.details.identityDocuments.contains { TextFolding.documentNumber($0.number) == folded && $0.issuingCountry == country } }
            .map(\.id)
    }

    private func persons(matching subject: AgencySubject) async throws -> [Person.ID] {
        switch subject {
        case .document(let number, let country):
            return try await personsHolding(number, country: country)
        case .person(let family, let given, let birth):
            let name = [given, family].compactMap { $0 }.joined(separator: " ")
            return try await searchPersons(name: name, documentNumber: nil, by: .system)
                .filter { TextFolding.skeleton($0.details.name.family) == TextFolding.skeleton(family) && $0.details.dateOfBirth == birth }
                .map(\.id)
        }
    }

    /// Keeps `result` as a check of each person and runs the workflows' reactions.
    private func record(_ result: PersonCheckResult, on persons: [Person.ID], by caller: Caller) async throws -> [AgencyOutcome.Effect] {
        var effects: [AgencyOutcome.Effect] = []
        for person in persons { effects += try await keep([result], of: person, by: caller).1 }
        return effects
    }
}
