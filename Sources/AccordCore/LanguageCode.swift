/// An ISO 639-1 two-letter language code, lowercase.
public struct LanguageCode: Hashable, Sendable, Codable, Comparable {
    public let rawValue: String

    public init?(_ text: String) {
        let lower = text.lowercased()
        guard Self.iso639Part1[lower] != nil else { return nil }
        self.rawValue = lower
    }

    public var name: String { Self.iso639Part1[rawValue] ?? rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let code = LanguageCode(text) else {
            throw CoreError.invalidLanguageCode(text)
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
