/// One problem found while validating input: a profile, a manifest, an inbound message or an API
/// request. Validation collects all of them instead of stopping at the first.
public struct Diagnostic: Hashable, Sendable, Codable {
    public enum Severity: String, Sendable, Codable, Comparable {
        case info, warning, error

        private var rank: Int {
            switch self {
            case .info: 0
            case .warning: 1
            case .error: 2
            }
        }

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
    }

    public var severity: Severity
    /// Stable code, e.g. `casework.invalid_country_code`.
    public var code: String
    public var message: String
    /// Where the problem is: a JSON path such as `documents[1].issuingCountry`, or a file name.
    public var path: String?
    /// A 1-based line number when the source is a text file.
    public var line: Int?

    public init(_ severity: Severity = .error, code: String, message: String, path: String? = nil, line: Int? = nil) {
        self.severity = severity
        self.code = code
        self.message = message
        self.path = path
        self.line = line
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
}
