/// The code of an office or unit a case is assigned to, e.g. `BRU-ASY-1`.
public struct OfficeCode: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String

    /// 2–24 characters: uppercase letters, digits and `-`; lowercase input is uppercased.
    public init?(_ text: String) {
        let upper = text.uppercased()
        guard (2...24).contains(upper.count),
              upper.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else { return nil }
        self.rawValue = upper
    }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let code = OfficeCode(text) else {
            throw CaseworkError(code: "casework.invalid_office", reason: "'\(text.prefix(32))' is not an office code", category: .invalidInput)
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
