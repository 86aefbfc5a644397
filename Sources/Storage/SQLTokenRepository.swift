import AccordCore
import Foundation
public import Identity
import SQLKit

public struct SQLTokenRepository: TokenRepository {
    let store: SQLStore

    public init(store: SQLStore) {
        self.store = store
    }

    public func insert(_ token: APIToken) async throws {
        let scopes = try token.scopes.map { try JSONCoding.encode($0.map(\.rawValue).sorted()) }
        try await store.database.raw("""
            INSERT INTO api_tokens (id, token_hash, user_id, scopes, created_at, expires_at, revoked_at)
            VALUES (\(bind: token.id), \(bind: token.tokenHash), \(bind: token.user.rawValue), \(bind: scopes),
                    \(bind: token.createdAt.millisecondsSince1970), \(bind: token.expiresAt.millisecondsSince1970), \(bind: token.revokedAt?.millisecondsSince1970))
            """).run()
    }

    public func token(hash: String) async throws -> APIToken? {
        guard let row = try await store.database.raw("SELECT * FROM api_tokens WHERE token_hash = \(bind: hash)").first() else { return nil }
        let scopes = try row.optionalText("scopes").map { try JSONCoding.decode([String].self, from: $0) }
        return APIToken(
            id: try row.text("id"), tokenHash: try row.text("token_hash"), user: try row.parsed("user_id", UserID.init),
            scopes: scopes.map { Set($0.compactMap(Permission.init(rawValue:))) },
            createdAt: try row.date("created_at"), expiresAt: try row.date("expires_at"),
            revokedAt: try row.decodeNil(column: "revoked_at") ? nil : row.date("revoked_at")
        )
    }

    public func revoke(id: String, at: Date) async throws {
        try await store.database.raw("UPDATE api_tokens SET revoked_at = \(bind: at.millisecondsSince1970) WHERE id = \(bind: id) AND revoked_at IS NULL").run()
    }
}
