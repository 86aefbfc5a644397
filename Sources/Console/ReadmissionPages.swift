import AccordCore
import Casework
import Exchange
import Foundation
import Hummingbird
import Readmission

/// The readmission screens: one inbox over every partner, a case page with both sides' actions,
/// a composer and per-partner statistics. English and French (`?lang=`).
extension CaseworkConsole {
    func canSeeReadmission(_ session: ConsoleSession) -> Bool {
        readmission != nil && service.policy.allows(session.caller.grants ?? [], .exchange)
    }

    func canDecideReadmission(_ session: ConsoleSession) -> Bool {
        canSeeReadmission(session) && service.policy.allows(session.caller.grants ?? [], .decide)
    }

    func registerReadmission<Context: RequestContext>(on console: RouterGroup<Context>) {
        guard let desk = readmission else { return }
        console.get("readmission") { request, _ in
            let session = try await readmissionSession(request)
            return try await inbox(desk, request, session)
        }
        registerCompose(desk, on: console)
        console.get("readmission/statistics") { request, _ in
            let session = try await readmissionSession(request)
            return try await statisticsPage(desk, request, session)
        }
        console.get("readmission/{id}") { request, context in
            let session = try await readmissionSession(request)
            let id = try Self.caseID(context.parameters.get("id"))
            try await requirePartner(of: id, desk: desk, session: session)
            return try await readmissionCasePage(desk, id, request, session)
        }
        console.get("readmission/{id}/receipts/{seq}") { request, context in
            let session = try await readmissionSession(request)
            let id = try Self.caseID(context.parameters.get("id"))
            let sequence = Int(context.parameters.get("seq") ?? "") ?? -1
            try await requirePartner(of: id, desk: desk, session: session)
            guard let event = try await desk.view(id, by: session.caller.user.rawValue, purpose: session.caller.purpose).readmission.events.first(where: { $0.sequence == sequence }), let receipt = event.receipt else {
                throw HTTPError(.notFound)
            }
            let type = receipt.first == UInt8(ascii: "<") ? "application/xml" : "application/jose"
            return Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"receipt-\(event.messageID?.rawValue ?? "")\""],
                            body: .init(byteBuffer: .init(bytes: receipt)))
        }
        console.post("readmission/{id}/{action}") { request, context in
            let session = try await readmissionSession(request)
            let fields = try await checkedForm(request, session)
            let id = try Self.caseID(context.parameters.get("id"))
            let action = context.parameters.get("action") ?? ""
            try await requirePartner(of: id, desk: desk, session: session)
            do {
                try await perform(action, on: id, fields: fields, desk: desk, session: session)
                return Response.redirect(to: "/console/readmission/\(id.rawValue)", type: .normal)
            } catch let error as any AccordError {
                // Shown on the case page, with the form still there to correct.
                return try await readmissionCasePage(desk, id, request, session, message: Message(kind: "error", code: error.code, text: error.reason),
                                                     status: HTTPResponse.Status(code: error.category.httpStatusCode))
            }
        }
    }

    /// The partners the officer's grants cover (nil: all): a liaison granted `partner_liaison/MAR-INTERIOR` sees only Morocco.
    func partners(_ session: ConsoleSession) -> Set<String>? {
        service.policy.partners(session.caller.grants ?? [])
    }

    /// Refuses, before anything personal is read, a case with a partner the officer's grants do not cover.
    func requirePartner(of id: ReadmissionCaseID, desk: ReadmissionDesk, session: ConsoleSession) async throws {
        guard let allowed = partners(session) else { return }
        let partner = try await desk.partner(of: id)
        guard allowed.contains(partner.rawValue) else {
            try await service.audit.record(AuditEvent(actor: session.caller.user.rawValue, role: session.caller.role, action: .read, resourceType: "readmission",
                                                      resourceRef: id.rawValue, origin: session.caller.origin, purpose: session.caller.purpose, outcome: .denied))
            throw IdentityError.forbidden
        }
    }

    func readmissionSession(_ request: Request) async throws -> ConsoleSession {
        let session = try await requireSession(request)
        guard canSeeReadmission(session) else { throw IdentityError.forbidden }
        return session
    }

    static func caseID(_ text: String?) throws -> ReadmissionCaseID {
        guard let text, let id = ReadmissionCaseID(text) else { throw HTTPError(.notFound) }
        return id
    }

    /// Renders with the language chosen for this request, remembering an explicit choice.
    func localized(_ template: String, _ view: Any, _ request: Request, status: HTTPResponse.Status = .ok) -> Response {
        var response = html(template, view, status: status)
        if let asked = request.uri.queryParameters["lang"].map(String.init), ConsoleStrings.languages.contains(asked) {
            response.headers[.setCookie] = "\(ConsoleStrings.cookie)=\(asked); Path=/console; SameSite=Lax; Max-Age=31536000"
        }
        return response
    }

    // MARK: Inbox

    func inbox(_ desk: ReadmissionDesk, _ request: Request, _ session: ConsoleSession) async throws -> Response {
        let lang = strings.language(for: request)
        let t = strings.table(lang)
        let query = request.uri.queryParameters
        let partnerFilter = query["partner"].map(String.init) ?? ""
        let direction = query["direction"].map(String.init) ?? ""
        let allowed = partners(session)
        let views = try await desk.cases(by: session.caller.user.rawValue, purpose: session.caller.purpose, partners: allowed).filter { view in
            (partnerFilter.isEmpty || view.readmission.partner.rawValue == partnerFilter)
                && (direction.isEmpty || (direction == "outgoing") == (view.readmission.role == .requesting))
        }
        let names = Dictionary(desk.partners().map { ($0.partner.participant.rawValue, $0.partner.name) }, uniquingKeysWith: { first, _ in first })
        let rows = views.map { view -> ReadmissionListPage.Row in
            let clock = view.clock
            return ReadmissionListPage.Row(
                id: view.readmission.id.rawValue, reference: view.readmission.reference, person: view.readmission.personName,
                partner: names[view.readmission.partner.rawValue] ?? view.readmission.partner.rawValue,
                role: t["role_\(view.readmission.role.rawValue)"] ?? "", status: t["status_\(view.readmission.status.rawValue)"] ?? view.readmission.status.rawValue,
                statusCode: view.readmission.status.rawValue, due: clock?.dueDate?.text ?? "—",
                clock: t["clock_\(clock?.state.rawValue ?? "not_started")"] ?? "", clockCode: clock?.state.rawValue ?? "not_started",
                left: view.readmission.status.awaitsReply ? clock?.workingDaysLeft.map(String.init) ?? "—" : "—",
                alert: view.readmission.escalated && view.readmission.status.awaitsReply || clock?.state == .overdue
            )
        }
        let partners = [Option(value: "", label: t["all"] ?? "", selected: partnerFilter.isEmpty)]
            + desk.partners().map { Option(value: $0.partner.participant.rawValue, label: $0.partner.name, selected: $0.partner.participant.rawValue == partnerFilter) }
        let directions = [("", t["all"] ?? ""), ("outgoing", t["outgoing"] ?? ""), ("incoming", t["incoming"] ?? "")]
            .map { Option(value: $0.0, label: $0.1, selected: $0.0 == direction) }
        let page = ReadmissionListPage(nodeName: nodeName, signedIn: signedIn(session), lang: lang, t: t, rows: rows, partners: partners, directions: directions,
                                       canCompose: !desk.partners().isEmpty, message: nil)
        return localized("readmission", page, request)
    }

    // MARK: Composer

    static func text(_ fields: [String: String], _ name: String, limit: Int = 200) throws -> String {
        let value = (fields[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else { throw ReadmissionError(code: "readmission.invalid_input", reason: "\(name) is required") }
        guard value.count <= limit else { throw ReadmissionError(code: "readmission.invalid_input", reason: "\(name) is longer than \(limit) characters") }
        return value
    }

    static func optional(_ fields: [String: String], _ name: String) -> String? {
        let value = (fields[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return value.isEmpty ? nil : String(value.prefix(2000))
    }

    static func lines(_ fields: [String: String], _ name: String) -> [String] {
        (fields[name] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A `datetime-local` value (taken as UTC) as a protocol time.
    static func utcTime(_ value: String?) -> String? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        let candidate = value.count == 16 ? value + ":00.000Z" : value.count == 19 ? value + ".000Z" : value
        return Timestamp.parse(candidate).map(Timestamp.format)
    }

    // MARK: Actions

    func perform(_ action: String, on id: ReadmissionCaseID, fields: [String: String], desk: ReadmissionDesk, session: ConsoleSession) async throws {
        let actor = session.caller.user.rawValue
        func requireDecide() throws {
            guard canDecideReadmission(session) else { throw IdentityError.forbidden }
        }
        switch action {
        case "verify": try await desk.verifyIdentity(id, by: actor)
        case "request-information": try await desk.requestInformation(id, questions: Self.lines(fields, "questions"), by: actor)
        case "propose-interview":
            let slots = ["slot1", "slot2", "slot3"].compactMap { Self.utcTime(fields[$0]) }
            try await desk.proposeInterview(id, mode: fields["mode"] ?? "video", slots: slots, location: Self.optional(fields, "location"), by: actor)
        case "record-interview":
            try await desk.recordInterviewOutcome(id, outcome: fields["outcome"] ?? "inconclusive", summary: Self.optional(fields, "summary"),
                                                  record: Array((fields["record"] ?? "").utf8), by: actor)
        case "extension": try await desk.claimExtension(id, justification: fields["justification"] ?? "", by: actor)
        case "decide":
            try requireDecide()
            try await desk.decide(id, outcome: fields["outcome"] ?? "", reasons: Self.lines(fields, "reasons"), by: actor)
        case "approve":
            try requireDecide()
            try await desk.approveDecision(id, by: actor)
        case "decline":
            try requireDecide()
            try await desk.declineDecision(id, reason: fields["reason"] ?? "", by: actor)
        case "travel-document":
            try await desk.issueTravelDocument(id, document: TravelDocumentIssued(
                kind: fields["kind"] ?? "laissez_passer", number: try Self.text(fields, "number", limit: 40), issuedOn: try Self.text(fields, "issuedOn"),
                validUntil: try Self.text(fields, "validUntil"), issuingAuthority: try Self.text(fields, "authority")), by: actor)
        case "answer": try await desk.answerInformationRequest(id, answers: Self.lines(fields, "answers"), by: actor)
        case "confirm-interview": try await desk.confirmInterview(id, slot: fields["slot"] ?? "", by: actor)
        case "transfer":
            guard let departure = Self.utcTime(fields["departure"]) else { throw ReadmissionError(code: "readmission.invalid_input", reason: "give the departure time") }
            let escorts = Self.optional(fields, "escort").map { [TransferNotice.Escort(name: $0, role: "escort leader")] }
            try await desk.notifyTransfer(id, notice: TransferNotice(flight: try Self.text(fields, "flight", limit: 40), departure: departure,
                                                                     pointOfEntry: try Self.text(fields, "pointOfEntry", limit: 40), escorts: escorts), by: actor)
        case "transfer-done": try await desk.confirmTransfer(id, summary: fields["summary"] ?? "", by: actor)
        case "withdraw": try await desk.withdraw(id, reason: try Self.text(fields, "reason"), by: actor)
        case "revise":
            // The same application with further evidence of nationality.
            var application = try await desk.view(id, by: actor, purpose: session.caller.purpose).readmission.application
            let kind = try Self.text(fields, "evidenceKind")
            let strength = desk.profiles.profile(application.agreement)?.strength(ofEvidence: kind) ?? "prima_facie"
            application.evidence = (application.evidence ?? []) + [Evidence(strength: strength, kind: kind, description: Self.optional(fields, "evidenceDescription"))]
            try await desk.revise(id, application: application, reason: try Self.text(fields, "reason", limit: 2000), by: actor)
        default: throw HTTPError(.notFound)
        }
    }

    // MARK: Case page

    func readmissionCasePage(_ desk: ReadmissionDesk, _ id: ReadmissionCaseID, _ request: Request, _ session: ConsoleSession,
                             message: Message? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let lang = strings.language(for: request)
        let t = strings.table(lang)
        let view = try await desk.view(id, by: session.caller.user.rawValue, purpose: session.caller.purpose)
        let caseFile = try await desk.caseLink(of: id)
        let rm = view.readmission
        let person = rm.application.person
        let state = rm.status
        let requested = rm.role == .requested
        let requesting = rm.role == .requesting
        let decides = canDecideReadmission(session)
        let partnerName = view.profile?.party(rm.partner)?.name ?? rm.partner.rawValue
        var facts = [
            ReadmissionCasePage.Fact(label: t["partner"] ?? "", value: "\(partnerName) (\(t["role_\(rm.role.rawValue)"] ?? ""))"),
            .init(label: t["agreement"] ?? "", value: "\(rm.application.agreement) · \(t["procedure"] ?? ""): \(t["procedure_\(rm.procedure)"] ?? rm.procedure)"),
            .init(label: t["person"] ?? "", value: "\(rm.personName), \(person.sex)\(person.dateOfBirth.map { ", \(t["born"] ?? "") \($0)" } ?? "")\(person.placeOfBirth.map { ", \($0)" } ?? "")"),
            .init(label: t["nationality"] ?? "", value: person.nationality ?? "—"),
            .init(label: t["documents"] ?? "", value: (person.documents ?? []).map { "\($0.kind) \($0.number) (\($0.issuingCountry))" }.joined(separator: "; ")),
            .init(label: t["evidence"] ?? "", value: (rm.application.evidence ?? []).map { "\($0.kind) — \($0.strength)\($0.description.map { ": \($0)" } ?? "")" }.joined(separator: "; ")),
            .init(label: t["escort"] ?? "", value: t["escort_\(rm.application.escort)"] ?? rm.application.escort),
        ]
        if let apprehension = rm.application.apprehension {
            facts.append(.init(label: t["apprehension"] ?? "", value: "\(apprehension.date), \(apprehension.place)\(apprehension.circumstances.map { " — \($0)" } ?? "")"))
        }
        if let needs = rm.application.specialNeeds { facts.append(.init(label: t["special_needs"] ?? "", value: needs)) }
        if let biometrics = rm.application.biometricReferences { facts.append(.init(label: t["biometrics"] ?? "", value: biometrics.joined(separator: ", "))) }
        var clockFacts: [ReadmissionCasePage.Fact] = []
        if let clock = view.clock {
            clockFacts.append(.init(label: t["limit"] ?? "", value: Self.limitText(clock.limit, t)))
            if let started = clock.startedAt { clockFacts.append(.init(label: t["started"] ?? "", value: ConsoleFormat.dateTime(started))) }
            if let due = clock.dueDate { clockFacts.append(.init(label: t["due"] ?? "", value: "\(due.text)\(clock.workingDaysLeft.map { state.awaitsReply ? " · \(t["left"] ?? ""): \($0)" : "" } ?? "")")) }
            if !clock.reminderDates.isEmpty { clockFacts.append(.init(label: t["reminders"] ?? "", value: clock.reminderDates.map(\.text).joined(separator: ", "))) }
            if let escalation = clock.escalationDate, state.awaitsReply { clockFacts.append(.init(label: t["escalation"] ?? "", value: escalation.text)) }
            if let transfer = clock.transferDeadline { clockFacts.append(.init(label: t["transfer_deadline"] ?? "", value: transfer.text)) }
        }
        if rm.escalated && state.awaitsReply { clockFacts.append(.init(label: t["escalated"] ?? "", value: "✔")) }
        if let claimed = rm.extensionClaimed { clockFacts.append(.init(label: t["extension"] ?? "", value: claimed)) }
        let timeline = rm.events.reversed().map { event -> ReadmissionCasePage.TimelineRow in
            let direction = t[event.direction.rawValue] ?? event.direction.rawValue
            let deliveryCode = event.direction == .sent ? (event.delivery ?? .pending).rawValue : nil
            return ReadmissionCasePage.TimelineRow(
                at: ConsoleFormat.dateTime(event.at), direction: direction, event: t["kind_\(event.kind)"] ?? event.kind.replacingOccurrences(of: "_", with: " "), actor: event.actor,
                detail: Self.summary(event), delivery: deliveryCode.map { t["delivery_\($0)"] ?? $0 }, deliveryCode: deliveryCode,
                receiptAt: event.receivedAt.map(ConsoleFormat.dateTime), digest: event.digest.map { String($0.prefix(16)) + "…" },
                receiptLink: event.receipt == nil ? nil : "/console/readmission/\(rm.id.rawValue)/receipts/\(event.sequence)"
            )
        }
        let proposal = rm.proposedDecision
        // A transfer is confirmed after the notified departure, with a travel document: until
        // then the page says what it waits for instead of offering a button that is refused.
        let departure = rm.transfer.flatMap { Timestamp.parse($0.departure) }
        let transferDue = rm.travelDocument != nil && (departure.map { desk.clock.now >= $0 } ?? true)
        let transferWaiting: String? = requesting && state == .transferNotified && !transferDue
            ? (rm.travelDocument == nil ? t["transfer_waits_document"] : departure.map { (t["transfer_waits_departure"] ?? "") + " " + ConsoleFormat.dateTime($0) })
            : nil
        let page = ReadmissionCasePage(
            nodeName: nodeName, signedIn: signedIn(session), lang: lang, t: t, csrf: session.csrfToken, id: rm.id.rawValue, reference: rm.reference,
            person: rm.personName, caseFile: caseFile?.caseNumber, personID: caseFile?.personID,
            status: t["status_\(state.rawValue)"] ?? state.rawValue, statusCode: state.rawValue,
            clockState: t["clock_\(view.clock?.state.rawValue ?? "not_started")"] ?? "", clockCode: view.clock?.state.rawValue ?? "not_started",
            facts: facts, clockFacts: clockFacts, timeline: Array(timeline), message: message,
            identityChecks: rm.identityChecks.reversed().map { match in
                .init(source: match.source ?? "—", at: match.at.map(ConsoleFormat.dateTime) ?? "—", outcome: t["identity_outcome_\(match.outcome.rawValue)"] ?? match.outcome.rawValue,
                      outcomeCode: match.outcome.rawValue, detail: match.detail, reference: match.reference, problem: match.problem)
            },
            showsIdentityChecks: requested, reachesRegistries: !desk.registries.isEmpty,
            canVerify: requested && state.awaitsReply && !desk.registries.isEmpty,
            canRequestInformation: requested && state.awaitsReply && state != .informationRequested,
            canProposeInterview: requested && state.awaitsReply,
            canRecordInterview: requested && state == .interviewScheduled,
            canClaimExtension: requested && state.awaitsReply && rm.extensionClaimed == nil && view.profile?.extensionLimit != nil,
            canDecide: requested && state.awaitsReply && decides && proposal == nil,
            canApprove: requested && state.awaitsReply && decides && proposal != nil && proposal?.decidedBy != session.caller.user.rawValue,
            canIssueDocument: requested && (state == .accepted || state == .deemedAccepted),
            canAnswer: requesting && state == .informationRequested,
            canConfirmInterview: requesting && state == .interviewProposed,
            canNotifyTransfer: requesting && state.isAccepted && state != .transferred && state != .transferNotified,
            canConfirmTransfer: requesting && state == .transferNotified && transferDue,
            transferWaiting: transferWaiting,
            canWithdraw: requesting && !state.isClosed,
            canRevise: requesting && (state == .rejected || state.awaitsReply),
            evidenceKinds: ((view.profile?.proofEvidence ?? []) + (view.profile?.primaFacieEvidence ?? [])).map { Option(value: $0, label: $0.replacingOccurrences(of: "_", with: " "), selected: false) },
            proposedDecision: proposal.map { "\($0.outcome) — \($0.decidedBy)\($0.reasons.map { ": " + $0.joined(separator: "; ") } ?? "")" },
            questions: rm.openQuestions,
            slots: rm.interviewSlots.map { .init(value: $0, label: $0.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: ":00.000Z", with: " UTC")) },
            today: CalendarDate(Date()).text
        )
        return localized("readmission-case", page, request, status: status)
    }

    /// One line on what an event said.
    static func summary(_ event: ReadmissionEvent) -> String {
        if event.localKind == .identityChecked, let detail = event.detail {
            let match = IdentityMatch.recorded(detail)
            return "\(match.source.map { "\($0): " } ?? "")\(match.outcome.rawValue.replacingOccurrences(of: "_", with: " ")) — \(match.detail)"
        }
        if let detail = event.detail, event.direction == .local { return detail }
        switch event.body {
        case .readmissionApplication(let application)?: return "\(application.person.names.first?.family ?? "") · \(application.procedure)"
        case .readmissionRevision(let revision)?: return revision.reason
        case .informationRequest(let request)?: return request.questions.joined(separator: " / ")
        case .informationResponse(let response)?: return response.answers.joined(separator: " / ")
        case .interviewProposal(let proposal)?: return "\(proposal.mode): \(proposal.slots.joined(separator: ", "))"
        case .interviewConfirmation(let confirmation)?: return "\(confirmation.mode): \(confirmation.slot)"
        case .interviewOutcome(let outcome)?: return "\(outcome.outcome)\(outcome.summary.map { " — \($0)" } ?? "") · SHA-256 \(outcome.recordDigest?.prefix(16) ?? "")…"
        case .decision(let decision)?:
            return "\(decision.outcome) · \(decision.decidedBy)\(decision.approvedBy.map { " + \($0)" } ?? "")\(decision.reasons.map { ": " + $0.joined(separator: "; ") } ?? "")"
        case .travelDocumentIssued(let document)?: return "\(document.kind) \(document.number), \(document.validUntil)"
        case .transferNotice(let notice)?: return "\(notice.flight) · \(notice.departure) · \(notice.pointOfEntry)"
        case .withdrawal(let withdrawal)?: return withdrawal.reason
        case .caseUpdate(let update)?: return "\(update.status)\(update.summary.map { ": \($0)" } ?? "")"
        default: return event.detail ?? ""
        }
    }

    // MARK: Statistics

    func statisticsPage(_ desk: ReadmissionDesk, _ request: Request, _ session: ConsoleSession) async throws -> Response {
        let lang = strings.language(for: request)
        let t = strings.table(lang)
        func days(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "—" }
        let allowed = partners(session)
        let rows = try await desk.statistics().filter { allowed?.contains($0.partner.rawValue) ?? true }.map { stats in
            ReadmissionStatisticsPage.Row(
                partner: stats.partnerName, agreement: stats.agreement, sent: "\(stats.sent)", received: "\(stats.received)", pending: "\(stats.pending)",
                accepted: "\(stats.accepted)", deemed: "\(stats.deemedAccepted)", rejected: "\(stats.rejected)",
                rate: stats.acceptanceRate.map { "\(Int(($0 * 100).rounded())) %" } ?? "—", median: days(stats.medianReplyDays), p90: days(stats.p90ReplyDays),
                withinLimit: "\(stats.withinLimit)", limit: desk.profiles.profile(stats.agreement).map { Self.limitText($0.replyLimit, t) } ?? stats.limit,
                transfers: "\(stats.transfersCompleted)"
            )
        }
        return localized("readmission-stats", ReadmissionStatisticsPage(nodeName: nodeName, signedIn: signedIn(session), lang: lang, t: t, rows: rows), request)
    }

    /// "30 calendar days" in the page's language.
    static func limitText(_ limit: AgreementProfile.TimeLimit, _ t: [String: String]) -> String {
        "\(limit.days) \(t["unit_\(limit.count.rawValue)"] ?? limit.count.rawValue)"
    }
}
