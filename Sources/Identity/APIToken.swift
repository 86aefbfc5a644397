import Crypto
public import Foundation

/// A bearer token an agency's system uses for the API: tied to a user (whose roles apply), limited
/// to `scopes` when given, expiring. Only the SHA-256 of the secret is stored.
public struct APIToken: Sendable, Equatable {
    public let id: String
    public let tokenHash: String
    public let user: UserID
    public let scopes: Set<Permission>?
    public let createdAt: Date
    public let expiresAt: Date
    public var revokedAt: Date?

    public init(id: String, tokenHash: String, user: UserID, scopes: Set<Permission>?, createdAt: Date, expiresAt: Date, revokedAt: Date? = nil) {
        self.id = id
        self.tokenHash = tokenHash
        self.user = user
        self.scopes = scopes
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }

    public static func hash(_ secret: String) -> String {
        SHA256.hash(data: Array(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

public protocol TokenRepository: Sendable {
    func insert(_ token: APIToken) async throws
    func token(hash: String) async throws -> APIToken?
    func revoke(id: String, at: Date) async throws
}
