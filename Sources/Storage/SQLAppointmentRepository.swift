public import AccordCore
public import Casework
import Foundation
public import Identity
import SQLKit

/// Appointments in SQL. The clash check and the insert run in one transaction, serialised per
/// database (an advisory lock on PostgreSQL; SQLite has one writer), so a room is booked once.
public struct SQLAppointmentRepository: AppointmentRepository {
    let store: SQLStore
    let cipher: FieldCipher

    public init(store: SQLStore, cipher: FieldCipher) {
        self.store = store
        self.cipher = cipher
    }

    public func schedule(_ appointment: Appointment, history: HistoryRecord, event: CaseEvent) async throws -> [Appointment] {
        let (cipher, dialect) = (self.cipher, store.dialect)
        return try await store.transaction { db in
            if dialect == .postgres { try await db.raw("SELECT pg_advisory_xact_lock(7306250)").run() }
            let clashes = try await db.raw("""
                SELECT * FROM appointments WHERE state = 'scheduled'
                    AND starts_at < \(bind: appointment.endsAt.millisecondsSince1970) AND ends_at > \(bind: appointment.startsAt.millisecondsSince1970)
                    AND (room = \(bind: appointment.room) OR officer = \(bind: appointment.officer?.rawValue) OR person_id = \(bind: appointment.personID?.rawValue))
                ORDER BY starts_at
                """).all().map(Self.appointment)
            guard clashes.isEmpty else { return clashes }
            try await db.raw("""
                INSERT INTO appointments (id, case_id, case_number, kind, starts_at, ends_at, room, officer, person_id, state, created_by, created_at, version)
                VALUES (\(bind: appointment.id.rawValue), \(bind: appointment.caseID.rawValue), \(bind: appointment.caseNumber.text), \(bind: appointment.kind.rawValue),
                        \(bind: appointment.startsAt.millisecondsSince1970), \(bind: appointment.endsAt.millisecondsSince1970), \(bind: appointment.room),
                        \(bind: appointment.officer?.rawValue), \(bind: appointment.personID?.rawValue), \(bind: appointment.state.rawValue),
                        \(bind: appointment.createdBy.rawValue), \(bind: appointment.createdAt.millisecondsSince1970), \(bind: appointment.version))
                """).run()
            let key = try await SQLCaseRepository.principalKey(of: appointment.caseID, cipher: cipher, in: db)
            try await CaseHistoryWriter.append([history], to: appointment.caseID, key: key, in: db)
            try await SQLCaseRepository.writeEffects(CaseChange(events: [event]), caseNumber: appointment.caseNumber, in: db)
            return []
        }
    }

    public func appointment(_ id: Appointment.ID) async throws -> Appointment? {
        try await store.database.raw("SELECT * FROM appointments WHERE id = \(bind: id.rawValue)").first().map(Self.appointment)
    }

    public func appointments(of caseID: Case.ID) async throws -> [Appointment] {
        try await store.database.raw("SELECT * FROM appointments WHERE case_id = \(bind: caseID.rawValue) ORDER BY starts_at, id").all().map(Self.appointment)
    }

    public func upcoming(officer: UserID, from start: Date, limit: Int) async throws -> [Appointment] {
        try await store.database.raw("""
            SELECT * FROM appointments WHERE officer = \(bind: officer.rawValue) AND state = 'scheduled' AND ends_at > \(bind: start.millisecondsSince1970)
            ORDER BY starts_at LIMIT \(bind: limit)
            """).all().map(Self.appointment)
    }

    public func cancel(_ appointment: Appointment, expectedVersion: Int, history: HistoryRecord, event: CaseEvent) async throws -> Appointment {
        let cipher = self.cipher
        return try await store.transaction { db in
            let rows = try await db.raw("""
                UPDATE appointments SET state = \(bind: appointment.state.rawValue), version = version + 1
                WHERE id = \(bind: appointment.id.rawValue) AND version = \(bind: expectedVersion) RETURNING version
                """).all()
            guard let version = try rows.first?.integer("version") else {
                let current = try await db.raw("SELECT version FROM appointments WHERE id = \(bind: appointment.id.rawValue)").first()
                throw CaseworkError.versionConflict(expected: expectedVersion, actual: try current?.integer("version"))
            }
            let key = try await SQLCaseRepository.principalKey(of: appointment.caseID, cipher: cipher, in: db)
            try await CaseHistoryWriter.append([history], to: appointment.caseID, key: key, in: db)
            try await SQLCaseRepository.writeEffects(CaseChange(events: [event]), caseNumber: appointment.caseNumber, in: db)
            var result = appointment
            result.version = version
            return result
        }
    }

    static func appointment(_ row: any SQLRow) throws -> Appointment {
        Appointment(
            id: try row.parsed("id", Appointment.ID.init), caseID: try row.parsed("case_id", Case.ID.init),
            caseNumber: try row.parsed("case_number") { try? CaseNumber(parsing: $0) },
            kind: try row.parsed("kind", Appointment.Kind.init(rawValue:)), startsAt: try row.date("starts_at"), endsAt: try row.date("ends_at"),
            room: try row.optionalText("room"), officer: try row.optionalParsed("officer", UserID.init), personID: try row.optionalParsed("person_id", Person.ID.init),
            state: try row.parsed("state", Appointment.State.init(rawValue:)), createdBy: try row.parsed("created_by", UserID.init),
            createdAt: try row.date("created_at"), version: try row.integer("version")
        )
    }
}
