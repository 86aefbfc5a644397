/// Who did something: an officer's user name, an agency's client name, or `system`.
public struct UserID: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public static let system = UserID(unchecked: "system")

    /// 1–64 characters of letters, digits, `.`, `_`, `-`, `@`.
    public init?(_ text: String) {
        guard (1...64).contains(text.count),
              text.unicodeScalars.allSatisfy(UserID.isAllowed) else { return nil }
        self.rawValue = text
    }

    private init(unchecked: String) { self.rawValue = unchecked }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = UserID(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text.prefix(64))' is not a valid user name")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-", "@": true
        default: false
        }
    }
}

