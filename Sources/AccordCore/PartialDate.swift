/// A date of which only the year, or the year and month, may be known — common for dates of birth
/// in civil records and on travel documents. Textual form: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
public struct PartialDate: Hashable, Sendable, Comparable {
    public let year: Int
    public let month: Int?
    public let day: Int?

    public init?(year: Int, month: Int? = nil, day: Int? = nil) {
        guard (1...9999).contains(year) else { return nil }
        if let month {
            guard (1...12).contains(month) else { return nil }
            if let day {
                guard (1...CalendarDate.daysIn(month: month, year: year)).contains(day) else { return nil }
            }
        } else if day != nil {
            return nil
        }
        self.year = year
        self.month = month
        self.day = day
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count),
              parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              parts[0].count == 4, parts.dropFirst().allSatisfy({ $0.count == 2 }),
              let year = Int(parts[0]) else { return nil }
        let month = parts.count > 1 ? Int(parts[1]) : nil
        let day = parts.count > 2 ? Int(parts[2]) : nil
        self.init(year: year, month: month, day: day)
    }

    public var text: String {
        var result = String(format: "%04d", year)
        if let month { result += String(format: "-%02d", month) }
        if let day { result += String(format: "-%02d", day) }
        return result
    }

    /// The earliest full date this partial date may stand for.
    public var earliest: CalendarDate {
        CalendarDate(year: year, month: month ?? 1, day: day ?? 1)!
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.year, lhs.month ?? 0, lhs.day ?? 0) < (rhs.year, rhs.month ?? 0, rhs.day ?? 0)
    }
}

extension PartialDate: CustomStringConvertible {
    public var description: String { text }
}

extension PartialDate: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = PartialDate(text) else { throw CoreError.invalidDate(text) }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
