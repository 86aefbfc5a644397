import AccordCore
import AccordTesting
import Casework
import Foundation
import Identity
import Testing

/// Appointments never double-book a room, an officer or the applicant; they fall on the
/// office's working days; messages wait in the recipient's work until read.
@Suite struct AppointmentTests {
    let officer = Caller.user(UserID("a.martin")!)
    let colleague = Caller.user(UserID("k.novak")!)

    func open(_ service: CaseworkService, passport: String) async throws -> Case {
        let person = try await service.registerPerson(Fixtures.person(passport: passport), by: .system)
        return try await service.openCase(Fixtures.caseInput(principal: person), by: officer)
    }

    func input(_ start: String, minutes: Int = 60, room: String? = "HQ/2.14", officer: String? = "a.martin") -> AppointmentInput {
        AppointmentInput(kind: "interview", startsAt: start, durationMinutes: minutes, room: room, officer: officer)
    }

    @Test(arguments: TestDatabase.all)
    func clashesAreRefusedWithWhatClashes(_ database: TestDatabase) async throws {
        try await database.withService(start: TestWorkflow.noon("2026-04-01")) { service, _, _ in
            let first = try await open(service, passport: "P01234567")
            let second = try await open(service, passport: "P07654321")
            let booked = try await service.scheduleAppointment(first.number, input("2026-04-13T08:00:00Z"), by: officer)
            #expect(booked.endsAt == booked.startsAt.addingTimeInterval(3600) && booked.personID == first.principal)

            func refusal(_ number: CaseNumber, _ input: AppointmentInput) async -> (String?, [String]) {
                do {
                    _ = try await service.scheduleAppointment(number, input, by: officer)
                    return (nil, [])
                } catch let error as CaseworkError {
                    return (error.code, error.diagnostics.compactMap(\.path))
                } catch {
                    return ("\(error)", [])
                }
            }
            // The same room, half an hour later; the same officer elsewhere; the same applicant remotely.
            #expect(await refusal(second.number, input("2026-04-13T08:30:00Z", officer: "k.novak")) == ("appointment.conflict", ["room"]))
            #expect(await refusal(second.number, input("2026-04-13T08:30:00Z", room: "HQ/1.02")) == ("appointment.conflict", ["officer"]))
            #expect(await refusal(first.number, input("2026-04-13T08:45:00Z", room: nil, officer: "k.novak")) == ("appointment.conflict", ["startsAt"]))
            // Any RFC 3339 offset is a time: 10:00+02:00 is 08:00Z, the same room.
            #expect(await refusal(second.number, input("2026-04-13T10:00:00+02:00", officer: "k.novak")) == ("appointment.conflict", ["room"]))
            let farOffset = try await service.scheduleAppointment(second.number, input("2026-04-14T08:00:00-19:41", room: "HQ/9.99", officer: "s.dubois"), by: officer)
            #expect(farOffset.startsAt == ReadmissionFixtures.instant("2026-04-15T03:41:00Z"), "offsets beyond ±18:00 are RFC 3339 too")
            // Back to back is fine.
            _ = try await service.scheduleAppointment(second.number, input("2026-04-13T09:00:00Z"), by: officer)
            // Easter Monday is a public holiday at the default calendar; Saturday is a weekend day; the past is gone.
            #expect(await refusal(second.number, input("2026-04-06T08:00:00Z")).0 == "appointment.not_working_day")
            #expect(await refusal(second.number, input("2026-04-11T08:00:00Z")).0 == "appointment.not_working_day")
            #expect(await refusal(second.number, input("2026-03-31T08:00:00Z")).0 == "appointment.in_the_past")
            #expect(await refusal(second.number, input("2026-04-14T08:00:00Z", officer: "nobody")).0 == "casework.unknown_officer")
            #expect(await refusal(second.number, input("2026-04-14T08:00:00Z", minutes: 5)).0 == "appointment.invalid_duration")

            // Cancelled with a reason, the room is free again.
            #expect(await errorCode { _ = try await service.updateAppointment(booked.id, AppointmentUpdateInput(action: "cancel", reason: nil, expectedVersion: 1), by: officer) }
                    == "appointment.reason_required")
            let cancelled = try await service.updateAppointment(booked.id, AppointmentUpdateInput(action: "cancel", reason: "interpreter unavailable", expectedVersion: 1), by: officer)
            #expect(cancelled.state == .cancelled && cancelled.version == 2)
            _ = try await service.scheduleAppointment(second.number, input("2026-04-13T08:00:00Z", minutes: 45, officer: "k.novak"), by: officer)
            let history = try await service.history(first.number, by: officer).map(\.summary)
            #expect(history.contains("Interview scheduled for 2026-04-13T08:00:00Z (60 min), room HQ/2.14, with a.martin"))
            #expect(history.contains("Interview of 2026-04-13T08:00:00Z cancelled: interpreter unavailable"))
            #expect(try await service.events(first.number, by: officer).map(\.name).contains("appointment.scheduled.interview"))
            #expect(try await service.myAppointments(by: officer).map(\.startsAt) == [ReadmissionFixtures.instant("2026-04-13T09:00:00Z")])
        }
    }

    @Test(arguments: TestDatabase.all)
    func twoOfficersBookingTheSameRoomAtOnceGetItOnce(_ database: TestDatabase) async throws {
        try await database.withService(start: TestWorkflow.noon("2026-04-01")) { service, _, _ in
            var cases: [Case] = []
            for index in 0..<6 { cases.append(try await open(service, passport: "P0000000\(index)")) }
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for (index, record) in cases.enumerated() {
                    group.addTask {
                        (try? await service.scheduleAppointment(record.number, input("2026-04-15T10:00:00Z", officer: Fixtures.officers[index % 3]), by: officer)) != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func messagesWaitUntilTheRecipientReadsTheNotes(_ database: TestDatabase) async throws {
        try await database.withService(start: TestWorkflow.noon("2026-04-01")) { service, _, _ in
            let record = try await open(service, passport: "P01234567")
            #expect(await errorCode { _ = try await service.addNote(record.number, NoteInput(text: "hi", to: "nobody"), by: officer) } == "casework.unknown_officer")
            let message = try await service.addNote(record.number, NoteInput(text: "Could you check the interpreter's availability?", to: "k.novak"), by: officer)
            #expect(message.recipient == UserID("k.novak"))
            let waiting = try await service.unreadMessages(by: colleague)
            #expect(waiting.map(\.caseNumber) == [record.number] && waiting.first?.author == UserID("a.martin"))
            #expect(try await service.unreadMessages(by: officer).isEmpty)
            // The author reading the notes does not mark it read; the recipient does.
            _ = try await service.notes(record.number, by: officer)
            #expect(try await service.unreadMessages(by: colleague).count == 1)
            let notes = try await service.notes(record.number, by: colleague)
            #expect(notes.first?.recipient == UserID("k.novak"))
            #expect(try await service.unreadMessages(by: colleague).isEmpty)
            #expect(try await service.notes(record.number, by: officer).first?.readAt != nil)
            #expect(try await service.history(record.number, by: officer).contains { $0.summary.hasPrefix("Message to k.novak:") })
        }
    }
}
