import AccordCore
public import Casework
import Foundation
public import Hummingbird
import Identity

/// The officer's work on a case (transitions, four-eyes answers, decisions, tasks, notes,
/// documents) and the "my work" page. Every form keeps its input on error and shows an error
/// summary linking to each field.
extension CaseworkConsole {
    func registerWork<Context: RequestContext>(on console: RouterGroup<Context>) {
        console.get("work") { request, _ in try await workPage(request, session: requireSession(request)) }
        console.post("cases/{caseNumber}/{action}") { request, context in
            let session = try await requireSession(request)
            let number = try CaseNumber(parsing: context.parameters.get("caseNumber") ?? "")
            let fields = try await checkedForm(request, session)
            return try await caseAction(context.parameters.get("action") ?? "", number: number, fields: fields, session: session, request: request)
        }
        console.post("tasks/{task}") { request, context in
            let session = try await requireSession(request)
            let fields = try await checkedForm(request, session)
            guard let id = context.parameters.get("task").flatMap(CaseTask.ID.init) else { throw HTTPError(.notFound) }
            let back = fields["back"].flatMap { $0.hasPrefix("/console/") && !$0.contains("//") ? $0 : nil } ?? "/console/work"
            do {
                _ = try await service.updateTask(id, TaskUpdateInput(action: fields["action"], expectedVersion: fields["version"].flatMap { Int($0) },
                                                                     assignee: fields["assignee"], reason: fields["reason"]), by: Self.caller(session, request))
            } catch let error as CaseworkError {
                return try await workPage(request, session: session, message: Message(kind: "error", code: error.code, text: error.reason),
                                          status: HTTPResponse.Status(code: error.category.httpStatusCode))
            }
            return Response(status: .seeOther, headers: [.location: back, .cacheControl: "no-store"])
        }
        console.get("documents/{document}") { request, context in
            let session = try await requireSession(request)
            guard let id = context.parameters.get("document").flatMap(CaseDocument.ID.init) else { throw HTTPError(.notFound) }
            let (document, bytes) = try await service.documentContent(id, by: Self.caller(session, request))
            let name = (document.fileName ?? "document").replacingOccurrences(of: "\"", with: "")
            let inline = ["application/pdf", "image/jpeg", "image/png"].contains(document.mediaType)
            return Response(
                status: .ok,
                headers: [
                    .contentType: document.mediaType, .cacheControl: "no-store", .xContentTypeOptions: "nosniff",
                    .contentSecurityPolicy: "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
                    .contentDisposition: "\(inline ? "inline" : "attachment"); filename=\"\(name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "document")\"",
                ],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
            )
        }
    }

    /// One POST on a case; success sends the browser back to the case page (303), a refusal
    /// renders the page again with the input and the error summary.
    func caseAction(_ action: String, number: CaseNumber, fields: [String: String], session: ConsoleSession, request: Request) async throws -> Response {
        let caller = Self.caller(session, request)
        let version = fields["version"].flatMap { Int($0) }
        let anchor: String
        do {
            switch action {
            case "transition":
                var values: [String: String] = [:]
                for (key, value) in fields where key.hasPrefix("field.") && !value.isEmpty { values[String(key.dropFirst(6))] = value }
                _ = try await service.takeTransition(number, TransitionInput(
                    transition: fields["transition"], expectedVersion: version, reason: fields["reason"].flatMap { $0.isEmpty ? nil : $0 },
                    fields: values.isEmpty ? nil : values
                ), by: caller)
                anchor = "actions"
            case "pending":
                let record = try await service.caseRecord(number, by: caller)
                if fields["answer"] == "refuse" {
                    _ = try await service.refusePendingTransition(number, reason: fields["reason"], expectedVersion: version, by: caller)
                } else {
                    _ = try await service.takeTransition(number, TransitionInput(transition: record.pendingTransition?.transition, expectedVersion: version), by: caller)
                }
                anchor = "actions"
            case "decision":
                _ = try await service.proposeDecision(number, DecisionInput(
                    outcome: fields["outcome"], grounds: fields["grounds"].flatMap { $0.isEmpty ? nil : $0 },
                    legalBasis: fields["legalBasis"].flatMap { $0.isEmpty ? nil : $0 }
                ), by: caller)
                anchor = "decision"
            case "review":
                _ = try await service.reviewDecision(number, DecisionReviewInput(
                    decision: fields["decision"], verdict: fields["verdict"], reason: fields["reason"].flatMap { $0.isEmpty ? nil : $0 }
                ), by: caller)
                anchor = "decision"
            case "tasks":
                _ = try await service.createTask(number, TaskInput(
                    title: fields["title"], assignee: fields["assignee"].flatMap { $0.isEmpty ? nil : $0 },
                    team: fields["team"].flatMap { $0.isEmpty ? nil : $0 }, due: fields["due"].flatMap { $0.isEmpty ? nil : $0 },
                    priority: fields["priority"].flatMap { $0.isEmpty ? nil : $0 }
                ), by: caller)
                anchor = "tasks"
            case "notes":
                _ = try await service.addNote(number, NoteInput(text: fields["text"], to: fields["to"]), by: caller)
                anchor = "notes"
            case "appointments":
                // The form's date and time are the office's local time; the service takes UTC.
                let record = try await service.caseRecord(number, by: caller)
                _ = try await service.scheduleAppointment(number, AppointmentInput(
                    kind: fields["kind"], startsAt: Self.officeTime(date: fields["date"], time: fields["time"], zone: service.engine.calendars.calendar(of: record.office).timeZone),
                    durationMinutes: fields["duration"].flatMap { Int($0) }, room: fields["room"].flatMap { $0.isEmpty ? nil : $0 },
                    officer: fields["officer"].flatMap { $0.isEmpty ? nil : $0 }
                ), by: caller)
                anchor = "appointments"
            case "cancel-appointment":
                guard let id = fields["appointment"].flatMap(Appointment.ID.init) else { throw HTTPError(.notFound) }
                _ = try await service.updateAppointment(id, AppointmentUpdateInput(action: "cancel", reason: fields["reason"].flatMap { $0.isEmpty ? nil : $0 },
                                                                                   expectedVersion: fields["appointmentVersion"].flatMap { Int($0) }), by: caller)
                anchor = "appointments"
            case "triage":
                _ = try await service.overrideTriage(number, track: fields["track"], reason: fields["reason"].flatMap { $0.isEmpty ? nil : $0 },
                                                     expectedVersion: version, by: caller)
                anchor = "triage"
            default:
                throw HTTPError(.notFound)
            }
        } catch let error as CaseworkError {
            return try await casePage(number, session: session, request: request, form: (action, fields), error: error,
                                      status: HTTPResponse.Status(code: error.category.httpStatusCode))
        } catch let error as IdentityError {
            return try await casePage(number, session: session, request: request, form: (action, fields),
                                      error: CaseworkError(code: error.code, reason: error.reason, category: error.category),
                                      status: HTTPResponse.Status(code: error.category.httpStatusCode))
        }
        return Response(status: .seeOther, headers: [.location: "/console/cases/\(number.text)#\(anchor)", .cacheControl: "no-store"])
    }

    /// The label of the case's state in its workflow.
    func stateLabel(_ record: Case) -> String {
        service.engine.catalog.workflow(record.type, version: record.workflowVersion)?.label(of: record.state) ?? record.state
    }

    /// The work section of the case page for the viewer; `form` is a refused form to show again.
    func caseWork(_ record: Case, session: ConsoleSession, caller: Caller, form: (action: String, fields: [String: String])?, error: CaseworkError?) async throws -> CaseWorkView {
        let workflow = try service.workflow(of: record)
        let fieldErrors = Dictionary((error?.diagnostics ?? []).compactMap { d in d.path.map { ($0, d.message) } }, uniquingKeysWith: { first, _ in first })
        let options = try await service.transitions(record.number, by: caller)
        let grants = caller.grants
        func may(_ permission: Permission) -> Bool {
            guard let grants else { return true }
            return service.policy.allows(grants, permission, on: AccessPolicy.Resource(office: record.office.rawValue, caseType: record.type.rawValue))
        }
        let actions = options.map { option -> ActionForm in
            let mine = form?.action == "transition" && form?.fields["transition"] == option.id
            let inputs = option.sets.compactMap { name in workflow.field(name) }.map { field in
                FieldInput(field, form: option.id, value: mine ? form?.fields["field.\(field.id)"] ?? "" : record.fields[field.id] ?? "",
                           error: mine ? fieldErrors["fields.\(field.id)"] : nil)
            }
            return ActionForm(id: option.id, label: option.label, to: option.toLabel, available: option.available, unmet: option.unmet.map(\.message), hasUnmet: !option.unmet.isEmpty,
                              fields: inputs, reasonRequired: option.reasonRequired, reason: mine ? form?.fields["reason"] ?? "" : "",
                              reasonError: mine ? fieldErrors["reason"] : nil, fourEyes: option.fourEyes)
        }
        var pending: PendingView?
        if let request = record.pendingTransition, let transition = workflow.transition(request.transition) {
            let holds = transition.permission.map(may) ?? false
            pending = PendingView(label: transition.label, to: workflow.label(of: transition.to), requestedBy: request.requestedBy.rawValue,
                                  at: ConsoleFormat.dateTime(request.requestedAt), reason: request.reason,
                                  canAnswer: holds && request.requestedBy != caller.user, ownRequest: request.requestedBy == caller.user)
        }
        var decisions: [DecisionView] = []
        var propose: ProposeForm?
        if let rule = workflow.decision {
            let maySettle = may(rule.permission)
            decisions = try await service.decisions(record.number, by: caller).map { decision in
                DecisionView(
                    id: decision.id.rawValue, outcome: rule.outcomes.first { $0.id == decision.outcome }?.label ?? decision.outcome,
                    grounds: decision.grounds, legalBasis: decision.legalBasis, state: decision.state.rawValue,
                    proposed: "\(ConsoleFormat.dateTime(decision.proposedAt)) · \(decision.proposedBy)",
                    approved: decision.approvedAt.map { "\(ConsoleFormat.dateTime($0)) · \(decision.approvedBy?.rawValue ?? "")" },
                    returnReason: decision.returnReason, signature: decision.signature.map { String($0.prefix(24)) + "…" },
                    verified: service.verify(decision), canReview: maySettle && decision.state == .proposed && decision.proposedBy != caller.user,
                    isProposed: decision.state == .proposed, isApproved: decision.state == .approved
                )
            }
            let open = decisions.last.map { $0.isProposed || $0.isApproved } ?? false
            if may(rule.proposePermission), !open, record.isOpen, service.expectsDecision(record) {
                let mine = form?.action == "decision"
                propose = ProposeForm(
                    outcomes: rule.outcomes.map { Option(value: $0.id, label: $0.label, selected: mine && form?.fields["outcome"] == $0.id) },
                    grounds: mine ? form?.fields["grounds"] ?? "" : "", legalBasis: mine ? form?.fields["legalBasis"] ?? "" : "", fourEyes: rule.fourEyes
                )
            }
        }
        let today = CalendarDate(Date())
        let tasks = try await service.tasks(of: record.number, by: caller).map { TaskView($0, viewer: caller.user, today: today) }
        let documents = Set(try await service.documents(record.number, by: caller).map(\.kind))
        var summary: ErrorSummary?
        if let error {
            let items = error.diagnostics.map { d -> ErrorSummary.Item in
                let target = d.path.map { path -> String in
                    let field = path.hasPrefix("fields.") ? String(path.dropFirst(7)) : path
                    switch form?.action {
                    case "transition": return "\(form?.fields["transition"] ?? "")-\(field)"
                    case "decision": return "decision-\(field)"
                    case "tasks": return "task-\(field)"
                    case "notes": return field == "to" ? "note-to" : "note-text"
                    case "triage": return "triage-\(field)"
                    case "appointments": return "appointment-\(field == "startsAt" ? "date" : field == "durationMinutes" ? "duration" : field)"
                    case "cancel-appointment": return "appointments"
                    case "documents": return "document-\(field == "kind" ? "kind" : "file")"
                    default: return field
                    }
                } ?? "actions"
                return ErrorSummary.Item(text: d.message, anchor: target)
            }
            summary = ErrorSummary(code: error.code, text: error.reason, items: items)
        }
        return CaseWorkView(
            csrf: session.csrfToken, caseVersion: record.version, actions: actions, hasActions: !actions.isEmpty, pending: pending,
            decisions: decisions, propose: propose, tasks: tasks, canAddTask: may(.editCase) && record.isOpen, canAddNote: may(.addNote),
            canAttach: may(.attachDocument) && record.isOpen,
            documentKinds: CaseDocument.Kind.allCases.map {
                Option(value: $0.rawValue, label: $0.label, selected: form?.action == "documents" ? form?.fields["kind"] == $0.rawValue : $0 == workflow.checklist.first { !documents.contains($0) })
            },
            noteText: form?.action == "notes" ? form?.fields["text"] ?? "" : "",
            teams: service.policy.roles.keys.sorted().map { Option(value: $0, label: $0.replacingOccurrences(of: "_", with: " "), selected: false) },
            errors: summary,
            checklist: workflow.checklist.map { ChecklistItem(label: $0.label, present: documents.contains($0)) },
            hasChecklist: !workflow.checklist.isEmpty,
            triage: try await triageView(record, workflow: workflow, may: may(.reassign), form: form, errors: fieldErrors),
            appointments: try await appointmentsView(record, caller: caller, may: may(.editCase), form: form),
            noteTo: form?.action == "notes" ? form?.fields["to"] ?? "" : ""
        )
    }

    /// `date` and `time` as typed in the office's zone, as the UTC text the service takes; the
    /// input itself when it does not read as a date and time (the service then says so).
    static func officeTime(date: String?, time: String?, zone: TimeZone) -> String? {
        guard let date = date.flatMap(CalendarDate.init), let time, time.count == 5, let hour = Int(time.prefix(2)), let minute = Int(time.suffix(2)) else {
            return [date, time].compactMap { $0 }.joined(separator: "T")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        guard let instant = calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day, hour: hour, minute: minute)) else { return nil }
        return instant.formatted(Date.ISO8601FormatStyle())
    }

    func appointmentsView(_ record: Case, caller: Caller, may schedule: Bool, form: (action: String, fields: [String: String])?) async throws -> AppointmentsView {
        let zone = service.engine.calendars.calendar(of: record.office).timeZone
        let rows = try await service.appointments(record.number, by: caller).map { appointment in
            AppointmentsView.Row(
                id: appointment.id.rawValue, kind: appointment.kind.label,
                when: "\(ConsoleFormat.dateTime(appointment.startsAt, zone: zone))–\(ConsoleFormat.time(appointment.endsAt, zone: zone))",
                room: appointment.room ?? "remote", officer: appointment.officer?.rawValue ?? "—", state: appointment.state.rawValue, version: appointment.version,
                canCancel: schedule && appointment.state == .scheduled
            )
        }
        let mine = form?.action == "appointments"
        func value(_ name: String, _ fallback: String = "") -> String { mine ? form?.fields[name] ?? fallback : fallback }
        return AppointmentsView(
            rows: rows, canSchedule: schedule && record.isOpen,
            kinds: Appointment.Kind.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: value("kind", "interview") == $0.rawValue) },
            date: value("date"), time: value("time", "09:00"), duration: value("duration", "60"), room: value("room"),
            officer: value("officer", record.assignedOfficer?.rawValue ?? "")
        )
    }

    func triageView(_ record: Case, workflow: Workflow, may override: Bool, form: (action: String, fields: [String: String])?, errors: [String: String]) async throws -> TriageView? {
        guard let rules = service.triageRules(for: record.type), let triage = record.triage else { return nil }
        let rule = triage.rule.flatMap { id in rules.rules.first { $0.id == id }?.label } ?? "No rule applied: the default track"
        let insight = try await service.triageInsight(record)
        let recognition: String
        if let insight, let rate = insight.rate {
            recognition = "\(insight.recognised) of \(insight.decided) decided cases this rule placed were recognised (\(Int((rate * 100).rounded())) %)"
        } else {
            recognition = "Fewer than \(TriageInsight.minimumGroup) decided cases this rule placed: no rate yet"
        }
        let mine = form?.action == "triage"
        let chosen = mine ? form?.fields["track"] : triage.track
        return TriageView(
            track: triage.track, rule: rule, overriddenBy: triage.overriddenBy?.rawValue, recognition: recognition, canOverride: override && record.isOpen,
            tracks: (workflow.field(rules.field)?.options ?? []).map { Option(value: $0, label: $0, selected: $0 == chosen) },
            reason: mine ? form?.fields["reason"] ?? "" : "", reasonError: mine ? errors["reason"] : nil
        )
    }

    // MARK: My work

    func workPage(_ request: Request, session: ConsoleSession, message: Message? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let caller = Self.caller(session, request)
        let today = CalendarDate(Date())
        let mine = try await service.myWork(by: caller).map { TaskView($0, viewer: caller.user, today: today) }
        let offices = Set((caller.grants ?? []).compactMap(\.office)).sorted()
        var queues: [QueueView] = []
        for office in offices {
            guard let code = OfficeCode(office) else { continue }
            let tasks = (try? await service.teamQueue(office: code, by: caller)) ?? []
            if !tasks.isEmpty { queues.append(QueueView(office: office, tasks: tasks.map { TaskView($0, viewer: caller.user, today: today) })) }
        }
        var workload: [WorkloadView] = []
        let supervises = (caller.grants ?? []).first { service.policy.allows([$0], .reassign, on: AccessPolicy.Resource(office: $0.office)) }
        if let supervises {
            workload = try await service.workload(office: supervises.office.flatMap(OfficeCode.init), by: caller).map {
                WorkloadView(holder: $0.holder.replacingOccurrences(of: "team:", with: "queue: ").replacingOccurrences(of: "_", with: " "),
                             openTasks: $0.openTasks, overdueTasks: $0.overdueTasks, openCases: $0.openCases,
                             oldest: $0.oldestTaskAgeDays.map { "\($0) d" } ?? "—")
            }
        }
        let myCases = try await service.listCases(CaseFilter(open: true, assignedOfficer: caller.user, limit: 1), by: caller).total
        let appointments = try await service.myAppointments(by: caller, limit: 20).map {
            UpcomingView(when: ConsoleFormat.dateTime($0.startsAt), kind: $0.kind.label, caseNumber: $0.caseNumber.text, room: $0.room ?? "remote")
        }
        let messages = try await service.unreadMessages(by: caller, limit: 20).map {
            UnreadView(at: ConsoleFormat.dateTime($0.at), author: $0.author.rawValue, caseNumber: $0.caseNumber.text)
        }
        let overdue = mine.filter(\.overdue), dueToday = mine.filter(\.dueToday), later = mine.filter { !$0.overdue && !$0.dueToday }
        let page = WorkPage(
            nodeName: nodeName, signedIn: signedIn(session), csrf: session.csrfToken,
            overdue: overdue, today: dueToday, later: later, hasOverdue: !overdue.isEmpty, hasToday: !dueToday.isEmpty, hasLater: !later.isEmpty,
            hasMine: !mine.isEmpty, queues: queues, workload: workload, showWorkload: supervises != nil, myCases: myCases, message: message,
            appointments: appointments, messages: messages, hasAppointments: !appointments.isEmpty, hasMessages: !messages.isEmpty
        )
        return html("work", page, status: status)
    }
}
