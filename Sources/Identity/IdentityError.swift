public import AccordCore

/// The one error type of the Identity module. Authentication failures share one public code and
/// message so that nothing tells an attacker which part was wrong; the audit trail keeps the detail.
public struct IdentityError: AccordError, Equatable {
    public let code: String
    public let reason: String
    public let category: ErrorCategory

    public init(code: String, reason: String, category: ErrorCategory) {
        self.code = code
        self.reason = reason
        self.category = category
    }

    public static let loginFailed = IdentityError(code: "identity.login_failed", reason: "user name, password or code is wrong, or the account is locked", category: .unauthorized)
    public static func userExists(_ id: String) -> IdentityError { .init(code: "identity.user_exists", reason: "user \(id) already exists", category: .conflict) }
    public static func userNotFound(_ id: String) -> IdentityError { .init(code: "identity.user_not_found", reason: "no user \(id.prefix(64))", category: .notFound) }
    public static func unknownRole(_ role: String) -> IdentityError { .init(code: "identity.unknown_role", reason: "no role '\(role.prefix(40))' in the access policy", category: .invalidInput) }
    public static let weakPassword = IdentityError(code: "identity.weak_password", reason: "passwords need at least 12 characters", category: .invalidInput)
    public static let versionConflict = IdentityError(code: "identity.version_conflict", reason: "the account was changed concurrently", category: .conflict)
    public static let forbidden = IdentityError(code: "identity.forbidden", reason: "your roles do not allow this", category: .forbidden)
    public static let purposeRequired = IdentityError(code: "identity.purpose_required", reason: "your role must state a purpose for this", category: .forbidden)
}
