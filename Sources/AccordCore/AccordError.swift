/// How an error should be treated at an edge (HTTP status, CLI exit code). Modules say what kind
/// of failure happened; only the edge decides how to present it.
public enum ErrorCategory: String, Sendable, Codable {
    case invalidInput
    case notFound
    /// The record existed and was erased on purpose.
    case gone
    case conflict
    case payloadTooLarge
    case unsupportedMediaType
    /// Well-formed and within every rule a schema can state, but impossible as it stands (a date
    /// of birth in the future, an expiry before the issue date).
    case unprocessable
    case unauthorized
    case forbidden
    case unavailable
    case `internal`

    /// The HTTP status code an edge answers with. Only edges (API, console) use it.
    public var httpStatusCode: Int {
        switch self {
        case .invalidInput: 400
        case .unauthorized: 401
        case .forbidden: 403
        case .notFound: 404
        case .conflict: 409
        case .gone: 410
        case .payloadTooLarge: 413
        case .unsupportedMediaType: 415
        case .unprocessable: 422
        case .internal: 500
        case .unavailable: 503
        }
    }
}

/// Implemented by the one error type of each module. `code` is stable (snake_case, prefixed with
/// the module: `casework.invalid_country_code`) and is what tests and clients match on; `reason`
/// is for humans and may change wording.
public protocol AccordError: Error, CustomStringConvertible, Sendable {
    var code: String { get }
    var reason: String { get }
    var category: ErrorCategory { get }
    /// Every problem found, when validation collected more than one. May be empty.
    var diagnostics: [Diagnostic] { get }
}

extension AccordError {
    public var description: String { "\(code): \(reason)" }
    public var diagnostics: [Diagnostic] { [] }
}

extension AccordError where Self: Equatable {
    /// Errors are equal when their codes are: tests and clients match on codes, not wording.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
}

/// Errors raised by AccordCore's value types.
public struct CoreError: AccordError, Equatable {
    public let code: String
    public let reason: String
    public let category: ErrorCategory

    public init(code: String, reason: String, category: ErrorCategory = .invalidInput) {
        self.code = code
        self.reason = reason
        self.category = category
    }


    public static func invalidCountryCode(_ text: String) -> CoreError {
        CoreError(code: "core.invalid_country_code", reason: "'\(text.prefix(16))' is not an ISO 3166-1 alpha-3 country code")
    }

    public static func invalidLanguageCode(_ text: String) -> CoreError {
        CoreError(code: "core.invalid_language_code", reason: "'\(text.prefix(16))' is not an ISO 639-1 language code")
    }

    public static func invalidDate(_ text: String) -> CoreError {
        CoreError(code: "core.invalid_date", reason: "'\(text.prefix(32))' is not a valid date (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    }
}
