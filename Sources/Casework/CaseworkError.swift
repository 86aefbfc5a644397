public import AccordCore

/// The one error type of the Casework module. Codes are stable; tests and clients match on them.
public struct CaseworkError: AccordError, Equatable {
    public let code: String
    public let reason: String
    public let category: ErrorCategory
    public let diagnostics: [Diagnostic]

    public init(code: String, reason: String, category: ErrorCategory, diagnostics: [Diagnostic] = []) {
        self.code = code
        self.reason = reason
        self.category = category
        self.diagnostics = diagnostics
    }


    /// Problems that no schema can state: the value is well-formed but impossible today or
    /// against other fields (HTTP 422, not 400).
    public static let semanticCodes: Set<String> = [
        "casework.date_in_future", "casework.date_implausible", "casework.date_not_in_calendar", "casework.invalid_date_range",
        "casework.person_already_linked", "casework.person_not_in_case",
        // Rules of the case's workflow and of the node's users and roles, which no schema states.
        "workflow.unknown_transition", "workflow.field_not_settable", "workflow.invalid_choice", "workflow.invalid_boolean",
        "workflow.field_too_long", "workflow.reason_required", "workflow.invalid_field_date",
        "casework.invalid_outcome", "casework.grounds_required", "casework.unknown_team", "casework.unknown_officer",
        "casework.officer_not_in_office", "casework.reason_required", "casework.assignee_required",
        "triage.unknown_track", "triage.reason_required", "appointment.reason_required",
        // Agencies' reports: a time or date to come, a cancellation without its document.
        "agency.time_in_future", "agency.date_in_future", "agency.document_required",
    ]

    /// Wraps the problems found by a validator; the first error's code becomes the error's code.
    /// Only semantic problems (`semanticCodes`) make it unprocessable (422); a malformed value
    /// among them makes it invalid input (400).
    public static func invalid(_ diagnostics: [Diagnostic]) -> CaseworkError {
        let errors = diagnostics.filter { $0.severity == .error }
        let malformed = errors.filter { !semanticCodes.contains($0.code) }
        let first = malformed.first ?? errors.first ?? Diagnostic(code: "casework.invalid_input", message: "invalid input")
        let reason = errors.count > 1 ? "\(first.message) (and \(errors.count - 1) more problem(s))" : first.message
        return CaseworkError(code: first.code, reason: reason, category: malformed.isEmpty && !errors.isEmpty ? .unprocessable : .invalidInput, diagnostics: errors)
    }

    public static func personNotFound(_ id: String) -> CaseworkError {
        CaseworkError(code: "casework.person_not_found", reason: "no person with ID \(id.prefix(64))", category: .notFound)
    }

    public static func personErased(_ id: String) -> CaseworkError {
        CaseworkError(code: "casework.person_erased", reason: "the data of person \(id.prefix(64)) has been erased", category: .gone)
    }

    public static func caseNotFound(_ number: String) -> CaseworkError {
        CaseworkError(code: "casework.case_not_found", reason: "no case \(number.prefix(64))", category: .notFound)
    }

    public static func documentNotFound(_ id: String) -> CaseworkError {
        CaseworkError(code: "casework.document_not_found", reason: "no document with ID \(id.prefix(64))", category: .notFound)
    }

    public static func versionConflict(expected: Int, actual: Int?) -> CaseworkError {
        let now = actual.map { "it is now at version \($0)" } ?? "it was changed concurrently"
        return CaseworkError(
            code: "casework.version_conflict",
            reason: "the record was changed by someone else: expected version \(expected), \(now); reload and try again",
            category: .conflict
        )
    }

    public static func noWorkflow(_ type: CaseType) -> CaseworkError {
        CaseworkError(code: "workflow.none", reason: "this node has no workflow for \(type.rawValue) cases (Profiles/workflows/\(type.rawValue).yaml)", category: .conflict)
    }

    public static func invalidCaseNumber(_ text: String) -> CaseworkError {
        CaseworkError(
            code: "casework.invalid_case_number",
            reason: "'\(text.prefix(40))' is not a case number (expected e.g. ASY-2026-000042-0)",
            category: .invalidInput
        )
    }

    public static func caseNumberCheckFailed(_ text: String) -> CaseworkError {
        CaseworkError(
            code: "casework.case_number_check_failed",
            reason: "no case has the number '\(text.prefix(40))': its check character does not match, so it was probably mistyped",
            category: .notFound
        )
    }

    public static func documentTooLarge(limit: Int) -> CaseworkError {
        CaseworkError(
            code: "casework.document_too_large",
            reason: "the document is larger than the limit of \(limit) bytes",
            category: .payloadTooLarge
        )
    }

    public static func emptyDocument() -> CaseworkError {
        CaseworkError(code: "casework.document_empty", reason: "the document has no content", category: .invalidInput)
    }

    public static func mediaTypeNotAllowed(_ mediaType: String, allowed: [String]) -> CaseworkError {
        CaseworkError(
            code: "casework.media_type_not_allowed",
            reason: "media type '\(mediaType.prefix(64))' is not accepted; allowed: \(allowed.joined(separator: ", "))",
            category: .unsupportedMediaType
        )
    }

    public static func contentMismatch(_ mediaType: String) -> CaseworkError {
        CaseworkError(
            code: "casework.document_content_mismatch",
            reason: "the content is not a valid \(mediaType) file",
            category: .unsupportedMediaType
        )
    }

    public static func personAlreadyLinked(_ id: String, role: CaseParty.Role) -> CaseworkError {
        CaseworkError(
            code: "casework.person_already_linked",
            reason: "person \(id) is already linked to this case as \(role.rawValue)",
            category: .conflict
        )
    }

    public static func blobMissing(_ digest: String) -> CaseworkError {
        CaseworkError(
            code: "casework.document_content_missing",
            reason: "the content of document \(digest.prefix(16))… is missing from the blob store",
            category: .internal
        )
    }
}
