public import AccordCore

/// The one error type of the Readmission module; tests assert the codes.
public struct ReadmissionError: AccordError, Equatable {
    public let code: String
    public let reason: String
    public let category: ErrorCategory

    public init(code: String, reason: String, category: ErrorCategory = .invalidInput) {
        self.code = code
        self.reason = reason
        self.category = category
    }

    static func unknownCase(_ id: String) -> Self { Self(code: "readmission.unknown_case", reason: "there is no readmission case \(id.prefix(64))", category: .notFound) }
    static func unknownAgreement(_ id: String) -> Self {
        Self(code: "readmission.unknown_agreement", reason: "no agreement profile \(id.prefix(64)) names this installation as a party", category: .invalidInput)
    }
    static func wrongSide(_ action: String) -> Self { Self(code: "readmission.wrong_side", reason: "\(action) is for the other party of the case", category: .conflict) }
    static func notNow(_ action: String, _ status: ReadmissionCase.Status) -> Self {
        Self(code: "readmission.not_allowed_in_state", reason: "\(action) is not possible while the case is \(status.rawValue)", category: .conflict)
    }
    static func invalid(_ reason: String) -> Self { Self(code: "readmission.invalid_input", reason: reason) }
}
