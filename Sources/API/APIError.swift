public import AccordCore
public import HTTPTypes

/// The one error type of the API module: problems with the HTTP request itself (as opposed to
/// the domain's rules, which are `CaseworkError`s).
public struct APIError: AccordError, Equatable {
    public let code: String
    public let reason: String
    public let category: ErrorCategory
    public let diagnostics: [Diagnostic]

    public init(code: String, reason: String, category: ErrorCategory = .invalidInput, diagnostics: [Diagnostic] = []) {
        self.code = code
        self.reason = reason
        self.category = category
        self.diagnostics = diagnostics
    }


    static func malformedJSON(_ why: String) -> APIError {
        APIError(code: "api.malformed_json", reason: "the request body is not valid JSON: \(why)")
    }

    static func invalidJSON(path: String, _ why: String) -> APIError {
        APIError(
            code: "api.invalid_json",
            reason: "\(path.isEmpty ? "the body" : path): \(why)",
            diagnostics: [Diagnostic(code: "api.invalid_json", message: why, path: path.isEmpty ? nil : path)]
        )
    }

    static func invalidParameter(_ name: String, _ why: String) -> APIError {
        APIError(code: "api.invalid_parameter", reason: "\(name): \(why)",
                 diagnostics: [Diagnostic(code: "api.invalid_parameter", message: why, path: name)])
    }

    static func unsupportedMediaType(_ mediaType: String) -> APIError {
        APIError(code: "api.unsupported_media_type", reason: "send application/json, not \(mediaType.prefix(64))", category: .unsupportedMediaType)
    }

    static func payloadTooLarge(limit: Int) -> APIError {
        APIError(code: "api.payload_too_large", reason: "the request body is larger than \(limit) bytes", category: .payloadTooLarge)
    }

    static let notFound = APIError(code: "api.not_found", reason: "no such endpoint", category: .notFound)
    static let methodNotAllowed = APIError(code: "api.method_not_allowed", reason: "this endpoint does not accept that method; the Allow header lists those it does", category: .invalidInput)
    static let internalError = APIError(code: "api.internal_error", reason: "an internal error occurred; it has been logged", category: .internal)
}

extension ErrorCategory {
    var httpStatus: HTTPResponse.Status { HTTPResponse.Status(code: httpStatusCode) }
}
