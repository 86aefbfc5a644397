import AccordCore
public import Identity
import SQLKit

public struct SQLSessionRepository: SessionRepository {
    let store: SQLStore

    public init(store: SQLStore) {
        self.store = store
    }

    public func insert(_ session: Session) async throws {
        try await store.database.raw("""
            INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, csrf_token, enrolment_only)
            VALUES (\(bind: session.idHash), \(bind: session.user.rawValue), \(bind: session.createdAt.millisecondsSince1970),
                    \(bind: session.lastSeenAt.millisecondsSince1970), \(bind: session.csrfToken), \(bind: session.enrolmentOnly ? 1 : 0))
            """).run()
    }

    public func session(idHash: String) async throws -> Session? {
        guard let row = try await store.database.raw("SELECT * FROM sessions WHERE id_hash = \(bind: idHash)").first() else { return nil }
        return Session(
            idHash: try row.text("id_hash"), user: try row.parsed("user_id", UserID.init), createdAt: try row.date("created_at"),
            lastSeenAt: try row.date("last_seen_at"), csrfToken: try row.text("csrf_token"), enrolmentOnly: try row.integer("enrolment_only") != 0
        )
    }

    public func update(_ session: Session) async throws {
        try await store.database.raw("""
            UPDATE sessions SET last_seen_at = \(bind: session.lastSeenAt.millisecondsSince1970), enrolment_only = \(bind: session.enrolmentOnly ? 1 : 0)
            WHERE id_hash = \(bind: session.idHash)
            """).run()
    }

    public func delete(idHash: String) async throws {
        try await store.database.raw("DELETE FROM sessions WHERE id_hash = \(bind: idHash)").run()
    }
}
