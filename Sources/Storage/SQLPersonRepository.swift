import AccordCore
public import Casework
import Crypto
import SQLKit

/// Persons in SQL: the details sealed as one AES-GCM document per row under the person's own
/// data key, and blind-indexed search keys in `person_search_keys`.
public struct SQLPersonRepository: PersonRepository {
    let store: SQLStore
    let cipher: FieldCipher

    public init(store: SQLStore, cipher: FieldCipher) {
        self.store = store
        self.cipher = cipher
    }

    static func context(_ id: Person.ID) -> String { "person:\(id)" }

    public func insert(_ person: Person) async throws {
        let details = Array(try JSONCoding.encode(person.details).utf8)
        let cipher = self.cipher
        try await store.transaction { db in
            try await db.raw("""
                INSERT INTO persons (id, version, created_at, updated_at, details)
                VALUES (\(bind: person.id.rawValue), \(bind: person.version), \(bind: person.createdAt.millisecondsSince1970),
                        \(bind: person.updatedAt.millisecondsSince1970), '')
                """).run()
            let key = try await cipher.newDataKey(for: person.id, in: db)
            let sealed = try FieldCipher.seal(details, key: key, context: Self.context(person.id))
            try await db.raw("UPDATE persons SET details = \(bind: sealed) WHERE id = \(bind: person.id.rawValue)").run()
            try await Self.writeSearchKeys(of: person, cipher: cipher, in: db)
        }
    }

    public func update(_ person: Person, expectedVersion: Int) async throws {
        let details = Array(try JSONCoding.encode(person.details).utf8)
        let cipher = self.cipher
        try await store.transaction { db in
            guard let key = try await cipher.dataKey(for: person.id, in: db) else { throw CaseworkError.personErased(person.id.rawValue) }
            let sealed = try FieldCipher.seal(details, key: key, context: Self.context(person.id))
            let updated = try await db.raw("""
                UPDATE persons SET version = \(bind: expectedVersion + 1), updated_at = \(bind: person.updatedAt.millisecondsSince1970),
                       details = \(bind: sealed)
                WHERE id = \(bind: person.id.rawValue) AND version = \(bind: expectedVersion)
                RETURNING version
                """).all()
            guard !updated.isEmpty else {
                let current = try await db.raw("SELECT version FROM persons WHERE id = \(bind: person.id.rawValue)").first()
                guard let current else { throw CaseworkError.personNotFound(person.id.rawValue) }
                throw CaseworkError.versionConflict(expected: expectedVersion, actual: try current.integer("version"))
            }
            try await db.raw("DELETE FROM person_search_keys WHERE person_id = \(bind: person.id.rawValue)").run()
            try await Self.writeSearchKeys(of: person, cipher: cipher, in: db)
        }
    }

    /// The version of the search keys a person has (a `keys` row): older ones are rewritten by `backfillSearchKeys`.
    static let searchKeysVersion = "2"

    private static func writeSearchKeys(of person: Person, cipher: FieldCipher, in db: any SQLDatabase) async throws {
        let details = person.details
        var keys = details.nameTokens.sorted().map { ("name", cipher.blindIndex("name", $0)) }
            + details.documentNumbers.sorted().map { ("document", cipher.blindIndex("document", $0)) }
            + details.familySkeletons.sorted().map { ("phon-family", cipher.blindIndex("phon", $0)) }
            + details.givenSkeletons.sorted().map { ("phon-given", cipher.blindIndex("phon", $0)) }
        if let year = details.dateOfBirth?.year { keys.append(("birthyear", cipher.blindIndex("birthyear", String(year)))) }
        keys.append(("keys", searchKeysVersion))
        for chunk in keys.chunked(200) {
            let values = chunk.map { kind, value -> SQLQueryString in "(\(bind: person.id.rawValue), \(bind: kind), \(bind: value))" }
            try await db.raw("INSERT INTO person_search_keys (person_id, kind, value) VALUES \(values.joined(separator: ", "))").run()
        }
    }

    public func person(_ id: Person.ID) async throws -> Person? {
        guard let row = try await store.database.raw("SELECT * FROM persons WHERE id = \(bind: id.rawValue)").first() else { return nil }
        let keys = try await cipher.dataKeys(for: [id], in: store.database)
        guard let person = try Self.decode(row, keys: keys) else { throw CaseworkError.personErased(id.rawValue) }
        return person
    }

    /// Erased persons are left out.
    public func persons(_ ids: [Person.ID]) async throws -> [Person.ID: Person] {
        var result: [Person.ID: Person] = [:]
        for chunk in Array(Set(ids)).chunked(500) {
            let rows = try await store.database.raw("SELECT * FROM persons WHERE id IN (\(binds: chunk.map(\.rawValue)))").all()
            let keys = try await cipher.dataKeys(for: Array(chunk), in: store.database)
            for row in rows {
                if let person = try Self.decode(row, keys: keys) { result[person.id] = person }
            }
        }
        return result
    }

    public func search(_ query: PersonQuery) async throws -> [Person] {
        var conditions: [SQLQueryString] = []
        if !query.nameTokens.isEmpty {
            let tokens = Array(Set(query.nameTokens.map { cipher.blindIndex("name", $0) }))
            conditions.append("""
                id IN (SELECT person_id FROM person_search_keys WHERE kind = 'name' AND value IN (\(binds: tokens))
                       GROUP BY person_id HAVING COUNT(DISTINCT value) = \(bind: tokens.count))
                """)
        }
        if let number = query.documentNumber {
            conditions.append("id IN (SELECT person_id FROM person_search_keys WHERE kind = 'document' AND value = \(bind: cipher.blindIndex("document", number)))")
        }
        guard !conditions.isEmpty else { return [] }
        let rows = try await store.database.raw("""
            SELECT * FROM persons WHERE \(conditions.joined(separator: " AND "))
            ORDER BY created_at DESC, id LIMIT \(bind: query.limit)
            """).all()
        let keys = try await cipher.dataKeys(for: try rows.map { try $0.parsed("id", Person.ID.init) }, in: store.database)
        return try rows.compactMap { try Self.decode($0, keys: keys) }
            .sorted { ($0.details.name.family, $0.details.name.given) < ($1.details.name.family, $1.details.name.given) }
    }

    public func duplicateCandidates(of details: PersonDetails, limit: Int) async throws -> [Person] {
        let documents = details.documentNumbers.map { cipher.blindIndex("document", $0) }
        // Both name parts go both ways: given and family names are often swapped.
        let names = details.familySkeletons.union(details.givenSkeletons).map { cipher.blindIndex("phon", $0) }
        var clauses: [SQLQueryString] = []
        if !documents.isEmpty { clauses.append("(kind = 'document' AND value IN (\(binds: documents)))") }
        if !names.isEmpty { clauses.append("(kind IN ('phon-family', 'phon-given') AND value IN (\(binds: names)))") }
        if let year = details.dateOfBirth?.year { clauses.append("(kind = 'birthyear' AND value = \(bind: cipher.blindIndex("birthyear", String(year))))") }
        guard !clauses.isEmpty else { return [] }
        // A document alone counts (10); a family name that sounds alike (3) needs a given name (1)
        // or the year of birth (1) beside it.
        let rows = try await store.database.raw("""
            SELECT person_id, SUM(CASE kind WHEN 'document' THEN 10 WHEN 'phon-family' THEN 3 ELSE 1 END) AS weight
            FROM person_search_keys WHERE \(clauses.joined(separator: " OR "))
            GROUP BY person_id HAVING SUM(CASE kind WHEN 'document' THEN 10 WHEN 'phon-family' THEN 3 ELSE 1 END) >= 4
            ORDER BY weight DESC, person_id LIMIT \(bind: limit)
            """).all()
        let ids = try rows.map { try $0.parsed("person_id", Person.ID.init) }
        let found = try await persons(ids)
        return ids.compactMap { found[$0] }
    }

    /// Rewrites the search keys of persons registered before the current key version (sound-alike
    /// names, year of birth), a batch at a time; returns how many were rewritten.
    @discardableResult
    public func backfillSearchKeys(batch: Int = 500) async throws -> Int {
        var rewritten = 0
        let cipher = self.cipher
        while true {
            let rows = try await store.database.raw("""
                SELECT p.* FROM persons p WHERE NOT EXISTS (
                    SELECT 1 FROM person_search_keys k WHERE k.person_id = p.id AND k.kind = 'keys' AND k.value = \(bind: Self.searchKeysVersion))
                    AND EXISTS (SELECT 1 FROM person_keys pk WHERE pk.person_id = p.id)
                LIMIT \(bind: batch)
                """).all()
            if rows.isEmpty { return rewritten }
            let keys = try await cipher.dataKeys(for: try rows.map { try $0.parsed("id", Person.ID.init) }, in: store.database)
            for row in rows {
                guard let person = try Self.decode(row, keys: keys) else { continue }
                try await store.transaction { db in
                    try await db.raw("DELETE FROM person_search_keys WHERE person_id = \(bind: person.id.rawValue)").run()
                    try await Self.writeSearchKeys(of: person, cipher: cipher, in: db)
                }
                rewritten += 1
            }
        }
    }

    public func erase(_ id: Person.ID) async throws -> Bool {
        try await store.transaction { db in
            let existed = try await db.raw("SELECT person_id FROM person_keys WHERE person_id = \(bind: id.rawValue)").first() != nil
            try await db.raw("DELETE FROM person_keys WHERE person_id = \(bind: id.rawValue)").run()
            try await db.raw("DELETE FROM person_search_keys WHERE person_id = \(bind: id.rawValue)").run()
            return existed
        }
    }

    /// Nil when the person's data key is gone (erased).
    static func decode(_ row: any SQLRow, keys: [Person.ID: SymmetricKey]) throws -> Person? {
        let id = try row.parsed("id", Person.ID.init)
        guard let key = keys[id] else { return nil }
        let details = String(decoding: try FieldCipher.open(row.text("details"), key: key, context: context(id)), as: UTF8.self)
        return Person(
            id: id,
            version: try row.integer("version"),
            createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at"),
            details: try JSONCoding.decode(PersonDetails.self, from: details)
        )
    }
}
