public import AccordCore
public import Foundation
public import Identity

/// Appointments on a case — interviews, biometrics, hearings — on the office's working days,
/// never double-booking a room, an officer or the applicant.
extension CaseworkService {
    public static let appointmentDurations = 15...480

    /// An RFC 3339 time (`2026-03-02T09:30:00Z`, with or without fraction, or with any offset
    /// up to ±23:59, which Foundation's parser alone does not take).
    static func utcTime(_ text: String) -> Date? {
        guard text.utf8.count <= 40, text.utf8.count > 6 else { return nil }
        var base = text.uppercased()
        var offset = 0
        if base.hasSuffix("Z") {
            base.removeLast()
        } else {
            let tail = Array(base.suffix(6))
            guard tail[0] == "+" || tail[0] == "-", tail[3] == ":", let hours = Int(String(tail[1...2])), let minutes = Int(String(tail[4...5])),
                  hours < 24, minutes < 60 else { return nil }
            offset = (hours * 60 + minutes) * 60 * (tail[0] == "+" ? 1 : -1)
            base.removeLast(6)
        }
        let utc = base + "Z"
        let parsed = (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(utc)) ?? (try? Date.ISO8601FormatStyle().parse(utc))
        return parsed?.addingTimeInterval(-Double(offset))
    }

    static func utcText(_ date: Date) -> String { date.formatted(Date.ISO8601FormatStyle()) }

    public func scheduleAppointment(_ number: CaseNumber, _ input: AppointmentInput, by caller: Caller) async throws -> Appointment {
        var v = Validation()
        let kind = v.enumeration(input.kind, Appointment.Kind.self, at: "kind", required: true, code: "appointment.invalid_kind")
        let start = v.parsed(input.startsAt, at: "startsAt", required: true, code: "appointment.invalid_time",
                             expected: "a time like 2026-03-02T09:30:00Z") { Self.utcTime($0) }
        if input.durationMinutes == nil { v.fail("casework.missing_field", "durationMinutes is required", at: "durationMinutes") }
        if let minutes = input.durationMinutes, !Self.appointmentDurations.contains(minutes) {
            v.fail("appointment.invalid_duration", "an appointment lasts 15 to 480 minutes", at: "durationMinutes")
        }
        let room = v.text(input.room, at: "room", maxLength: 60)
        let officer = v.parsed(input.officer, at: "officer", code: "casework.invalid_user", expected: "a user name", UserID.init)
        try v.finish()
        let record = try await load(number)
        try await authorize(caller, .editCase, [resource(record)], .create, "appointment", record.id.rawValue)
        guard record.isOpen else {
            throw CaseworkError(code: "appointment.case_closed", reason: "case \(record.number.text) is closed: nothing can be scheduled on it", category: .conflict)
        }
        if let officer { try await requireOfficer(officer, office: record.office, caseType: record.type, at: "officer") }
        let now = self.now
        let starts = start!.truncatedToMilliseconds
        if starts <= now {
            throw CaseworkError(code: "appointment.in_the_past", reason: "the appointment must start after now", category: .unprocessable,
                                diagnostics: [Diagnostic(code: "appointment.in_the_past", message: "choose a time after now", path: "startsAt")])
        }
        let day = engine.day(of: starts, at: record.office)
        if !engine.calendars.calendar(of: record.office).isWorkingDay(day) {
            throw CaseworkError(code: "appointment.not_working_day", reason: "\(day) is not a working day at \(record.office)", category: .unprocessable,
                                diagnostics: [Diagnostic(code: "appointment.not_working_day", message: "\(day) is a weekend day or public holiday at \(record.office)", path: "startsAt")])
        }
        let appointment = Appointment(
            id: .init(ids.next()), caseID: record.id, caseNumber: record.number, kind: kind!, startsAt: starts,
            endsAt: starts.addingTimeInterval(Double(input.durationMinutes!) * 60), room: room, officer: officer, personID: record.principal,
            createdBy: caller.user, createdAt: now
        )
        let summary = "\(kind!.label) scheduled for \(Self.utcText(starts)) (\(input.durationMinutes!) min)" + (room.map { ", room \($0)" } ?? ", remote")
            + (officer.map { ", with \($0)" } ?? "")
        let clashes = try await appointments.schedule(
            appointment, history: self.record(.appointmentScheduled, summary, by: caller.user, at: now),
            event: CaseEvent(id: .init(ids.next()), caseID: record.id, name: "appointment.scheduled.\(kind!.rawValue)", at: now, actor: caller.user, source: "appointment:\(appointment.id)")
        )
        if !clashes.isEmpty {
            let diagnostics = clashes.map { clash -> Diagnostic in
                let what: String
                let path: String
                if let room, clash.room == room { (what, path) = ("room \(room) is taken", "room") }
                else if let officer, clash.officer == officer { (what, path) = ("\(officer) is busy", "officer") }
                else { (what, path) = ("the applicant has another appointment", "startsAt") }
                return Diagnostic(code: "appointment.conflict", message: "\(what): \(clash.kind.label.lowercased()) on \(clash.caseNumber.text), \(Self.utcText(clash.startsAt))–\(Self.utcText(clash.endsAt))", path: path)
            }
            throw CaseworkError(code: "appointment.conflict", reason: diagnostics.map(\.message).joined(separator: "; "), category: .conflict, diagnostics: diagnostics)
        }
        try await audit.record(caller.event(.create, "appointment", appointment.id.rawValue))
        return appointment
    }

    public func appointments(_ number: CaseNumber, by caller: Caller) async throws -> [Appointment] {
        try await readAudited(number, "appointments", by: caller) { try await appointments.appointments(of: $0) }
    }

    /// The caller's own scheduled appointments from now on.
    public func myAppointments(by caller: Caller, limit: Int = 50) async throws -> [Appointment] {
        try await appointments.upcoming(officer: caller.user, from: now, limit: limit)
    }

    public func updateAppointment(_ id: Appointment.ID, _ input: AppointmentUpdateInput, by caller: Caller) async throws -> Appointment {
        var v = Validation()
        let action = v.text(input.action, at: "action", required: true, maxLength: 20)
        if let action, action != "cancel" { v.fail("appointment.invalid_action", "the action is cancel", at: "action") }
        let reason = v.text(input.reason, at: "reason", maxLength: 1000)
        if reason == nil { v.fail("appointment.reason_required", "say why the appointment is cancelled", at: "reason") }
        if input.expectedVersion == nil { v.fail("casework.missing_field", "expectedVersion is required", at: "expectedVersion") }
        try v.finish()
        guard let appointment = try await appointments.appointment(id), let record = try await cases.case(appointment.caseID) else {
            throw CaseworkError(code: "appointment.not_found", reason: "there is no appointment \(id)", category: .notFound)
        }
        try await authorize(caller, .editCase, [resource(record)], .update, "appointment", id.rawValue)
        guard appointment.state == .scheduled else {
            throw CaseworkError(code: "appointment.already_cancelled", reason: "the appointment was cancelled already", category: .conflict)
        }
        let now = self.now
        var cancelled = appointment
        cancelled.state = .cancelled
        let updated = try await appointments.cancel(
            cancelled, expectedVersion: input.expectedVersion!,
            history: self.record(.appointmentCancelled, "\(appointment.kind.label) of \(Self.utcText(appointment.startsAt)) cancelled: \(reason!)", by: caller.user, at: now),
            event: CaseEvent(id: .init(ids.next()), caseID: record.id, name: "appointment.cancelled.\(appointment.kind.rawValue)", at: now, actor: caller.user, source: "appointment:\(id)")
        )
        try await audit.record(caller.event(.update, "appointment", id.rawValue))
        return updated
    }
}
