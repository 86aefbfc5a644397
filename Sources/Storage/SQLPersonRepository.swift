public import AccordCore
public import Casework
import SQLKit

/// Persons in SQL: the details as one JSON document per row (so that the identity issue can
/// encrypt them under the person's own key), and search keys in `person_search_keys`.
public struct SQLPersonRepository: PersonRepository {
    let store: SQLStore

    public init(store: SQLStore) {
        self.store = store
    }

    public func insert(_ person: Person) async throws {
        let details = try JSONCoding.encode(person.details)
        try await store.transaction { db in
            try await db.raw("""
                INSERT INTO persons (id, version, created_at, updated_at, details)
                VALUES (\(bind: person.id.rawValue), \(bind: person.version), \(bind: person.createdAt.millisecondsSince1970),
                        \(bind: person.updatedAt.millisecondsSince1970), \(bind: details))
                """).run()
            try await Self.writeSearchKeys(of: person, in: db)
        }
    }

    public func update(_ person: Person, expectedVersion: Int) async throws {
        let details = try JSONCoding.encode(person.details)
        try await store.transaction { db in
            let updated = try await db.raw("""
                UPDATE persons SET version = \(bind: expectedVersion + 1), updated_at = \(bind: person.updatedAt.millisecondsSince1970),
                       details = \(bind: details)
                WHERE id = \(bind: person.id.rawValue) AND version = \(bind: expectedVersion)
                RETURNING version
                """).all()
            guard !updated.isEmpty else {
                let current = try await db.raw("SELECT version FROM persons WHERE id = \(bind: person.id.rawValue)").first()
                guard let current else { throw CaseworkError.personNotFound(person.id.rawValue) }
                throw CaseworkError.versionConflict(expected: expectedVersion, actual: try current.integer("version"))
            }
            try await db.raw("DELETE FROM person_search_keys WHERE person_id = \(bind: person.id.rawValue)").run()
            try await Self.writeSearchKeys(of: person, in: db)
        }
    }

    private static func writeSearchKeys(of person: Person, in db: any SQLDatabase) async throws {
        let keys = person.details.nameTokens.sorted().map { ("name", $0) } + person.details.documentNumbers.sorted().map { ("document", $0) }
        for chunk in keys.chunked(200) {
            let values = chunk.map { kind, value -> SQLQueryString in "(\(bind: person.id.rawValue), \(bind: kind), \(bind: value))" }
            try await db.raw("INSERT INTO person_search_keys (person_id, kind, value) VALUES \(values.joined(separator: ", "))").run()
        }
    }

    public func person(_ id: Person.ID) async throws -> Person? {
        try await store.database.raw("SELECT * FROM persons WHERE id = \(bind: id.rawValue)").first().map(Self.decode)
    }

    public func persons(_ ids: [Person.ID]) async throws -> [Person.ID: Person] {
        var result: [Person.ID: Person] = [:]
        for chunk in Array(Set(ids)).chunked(500) {
            let rows = try await store.database.raw("SELECT * FROM persons WHERE id IN (\(binds: chunk.map(\.rawValue)))").all()
            for row in rows {
                let person = try Self.decode(row)
                result[person.id] = person
            }
        }
        return result
    }

    public func search(_ query: PersonQuery) async throws -> [Person] {
        var conditions: [SQLQueryString] = []
        if !query.nameTokens.isEmpty {
            let tokens = Array(Set(query.nameTokens))
            conditions.append("""
                id IN (SELECT person_id FROM person_search_keys WHERE kind = 'name' AND value IN (\(binds: tokens))
                       GROUP BY person_id HAVING COUNT(DISTINCT value) = \(bind: tokens.count))
                """)
        }
        if let number = query.documentNumber {
            conditions.append("id IN (SELECT person_id FROM person_search_keys WHERE kind = 'document' AND value = \(bind: number))")
        }
        guard !conditions.isEmpty else { return [] }
        let rows = try await store.database.raw("""
            SELECT * FROM persons WHERE \(conditions.joined(separator: " AND "))
            ORDER BY created_at DESC, id LIMIT \(bind: query.limit)
            """).all()
        return try rows.map(Self.decode).sorted { ($0.details.name.family, $0.details.name.given) < ($1.details.name.family, $1.details.name.given) }
    }

    static func decode(_ row: any SQLRow) throws -> Person {
        Person(
            id: try row.parsed("id", Person.ID.init),
            version: try row.integer("version"),
            createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at"),
            details: try JSONCoding.decode(PersonDetails.self, from: row.text("details"))
        )
    }
}
