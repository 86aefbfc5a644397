public import Casework
import Foundation
import Identity
import SQLKit

/// National systems' answers about persons, sealed with each person's key (reference and what
/// matched); source, kind, outcome and time stay readable for counts and panels.
public struct SQLPersonCheckRepository: PersonCheckRepository {
    let store: SQLStore
    let cipher: FieldCipher

    public init(store: SQLStore, cipher: FieldCipher) {
        self.store = store
        self.cipher = cipher
    }

    static func context(_ column: String, _ id: String) -> String { "person-check:\(column):\(id)" }

    public func add(_ checks: [PersonCheck]) async throws {
        guard !checks.isEmpty else { return }
        let cipher = self.cipher
        try await store.transaction { db in
            let keys = try await cipher.dataKeys(for: checks.map(\.personID), in: db)
            for check in checks {
                guard let key = keys[check.personID] else { throw CaseworkError.personErased(check.personID.rawValue) }
                let id = check.id.rawValue
                try await db.raw("""
                    INSERT INTO person_checks (id, person_id, source, kind, check_name, at, outcome, reference, detail, problem, requested_by)
                    VALUES (\(bind: id), \(bind: check.personID.rawValue), \(bind: check.source), \(bind: check.kind), \(bind: check.check),
                            \(bind: check.at.millisecondsSince1970), \(bind: check.outcome.rawValue),
                            \(bind: try FieldCipher.seal(check.reference, key: key, context: Self.context("reference", id))),
                            \(bind: try FieldCipher.seal(check.detail, key: key, context: Self.context("detail", id))), \(bind: check.problem),
                            \(bind: check.requestedBy.rawValue))
                    """).run()
            }
        }
    }

    public func checks(of person: Person.ID, limit: Int) async throws -> [PersonCheck] {
        let rows = try await store.database.raw("""
            SELECT * FROM person_checks WHERE person_id = \(bind: person.rawValue) ORDER BY at DESC, id LIMIT \(bind: max(1, min(limit, 500)))
            """).all()
        guard !rows.isEmpty else { return [] }
        let key = try await cipher.dataKey(for: person, in: store.database)
        return try rows.map { row in
            let id = try row.decode(column: "id", as: String.self)
            return PersonCheck(
                id: try row.parsed("id", PersonCheck.ID.init), personID: person, source: try row.decode(column: "source", as: String.self),
                kind: try row.decode(column: "kind", as: String.self), check: try row.decode(column: "check_name", as: String.self), at: try row.date("at"),
                outcome: try row.parsed("outcome", PersonCheck.Outcome.init(rawValue:)),
                reference: try FieldCipher.openText(try row.decode(column: "reference", as: String?.self), key: key, context: Self.context("reference", id)),
                detail: try FieldCipher.openText(try row.decode(column: "detail", as: String.self), key: key, context: Self.context("detail", id)) ?? "",
                problem: try row.decode(column: "problem", as: String?.self), requestedBy: try row.parsed("requested_by", UserID.init)
            )
        }
    }
}
