public import Casework
public import Foundation
import SQLKit

/// Agencies' idempotency keys in SQL. The claim is an insert: of two identical requests at once,
/// one inserts and runs, the other finds the row (in progress, then the stored answer).
public struct SQLIdempotencyLog: IdempotencyLog {
    let store: SQLStore

    public init(store: SQLStore) {
        self.store = store
    }

    public func claim(caller: String, key: String, digest: String, at: Date) async throws -> IdempotencyClaim {
        let conflict = store.dialect == .postgres ? "ON CONFLICT DO NOTHING" : ""
        let insert = store.dialect == .postgres ? "INSERT" : "INSERT OR IGNORE"
        let inserted = try await store.database.raw("""
            \(unsafeRaw: insert) INTO agency_requests (caller, idempotency_key, digest, at) VALUES (\(bind: caller), \(bind: key), \(bind: digest), \(bind: at.millisecondsSince1970))
            \(unsafeRaw: conflict) RETURNING digest
            """).all()
        if !inserted.isEmpty { return .claimed }
        guard let row = try await store.database.raw("""
            SELECT digest, status, body FROM agency_requests WHERE caller = \(bind: caller) AND idempotency_key = \(bind: key)
            """).first() else { return .inProgress }
        guard try row.decode(column: "digest", as: String.self) == digest else { return .conflict }
        guard let status = try row.decode(column: "status", as: Int?.self), let body = try row.decode(column: "body", as: String?.self) else { return .inProgress }
        return .replay(status: status, body: Array(body.utf8))
    }

    public func complete(caller: String, key: String, status: Int, body: [UInt8]) async throws {
        try await store.database.raw("""
            UPDATE agency_requests SET status = \(bind: status), body = \(bind: String(decoding: body, as: UTF8.self))
            WHERE caller = \(bind: caller) AND idempotency_key = \(bind: key)
            """).run()
    }

    public func release(caller: String, key: String) async throws {
        try await store.database.raw("DELETE FROM agency_requests WHERE caller = \(bind: caller) AND idempotency_key = \(bind: key) AND status IS NULL").run()
    }
}
