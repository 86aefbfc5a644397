/// An ISO 3166-1 alpha-3 country code, or one of the ICAO Doc 9303 codes for persons without a
/// nationality of an ISO country (stateless, refugee, unspecified).
public struct CountryCode: Hashable, Sendable, Comparable {
    public let rawValue: String

    /// ICAO Doc 9303 Part 3 codes that may stand where a nationality is expected.
    static let icaoSpecial: [String: String] = [
        "XXA": "Stateless person",
        "XXB": "Refugee (1951 Convention)",
        "XXC": "Refugee (other)",
        "XXX": "Person of unspecified nationality",
        "UNO": "United Nations Organization",
        "UNA": "Specialized agency of the United Nations",
        "UNK": "Resident of Kosovo (UNMIK)",
        "EUE": "European Union",
    ]

    /// Accepts exactly three ASCII letters naming a known code, in any case.
    public init?(_ text: String) {
        let upper = text.uppercased()
        guard upper.utf8.count == 3, upper.utf8.allSatisfy({ (65...90).contains($0) }) else { return nil }
        guard Self.iso3166Alpha3[upper] != nil || Self.icaoSpecial[upper] != nil else { return nil }
        self.rawValue = upper
    }

    /// The English short name, for display.
    public var name: String {
        Self.iso3166Alpha3[rawValue] ?? Self.icaoSpecial[rawValue] ?? rawValue
    }

    public static var allISO: [CountryCode] {
        iso3166Alpha3.keys.sorted().compactMap(CountryCode.init)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension CountryCode: CustomStringConvertible {
    public var description: String { rawValue }
}

extension CountryCode: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let code = CountryCode(text) else {
            throw CoreError.invalidCountryCode(text)
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
