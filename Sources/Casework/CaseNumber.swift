/// A unique, human-readable case number: `ASY-2026-000042-K`.
///
/// Type prefix, year of registration, a six-digit sequence within type and year, and a check
/// character computed with ISO/IEC 7064 MOD 37,36 over the alphanumeric characters before it.
/// MOD 37,36 detects every single-character substitution and every transposition of adjacent
/// characters, the two most common typing mistakes.
public struct CaseNumber: Hashable, Sendable, Comparable {
    public let type: CaseType
    public let year: Int
    public let sequence: Int

    public init?(type: CaseType, year: Int, sequence: Int) {
        guard (2000...9999).contains(year), (1...999_999).contains(sequence) else { return nil }
        self.type = type
        self.year = year
        self.sequence = sequence
    }

    /// Parses user input: case-insensitive, tolerant of surrounding and inner spaces.
    /// Throws `casework.invalid_case_number` for malformed text and
    /// `casework.case_number_check_failed` when only the check character is wrong.
    public init(parsing input: String) throws(CaseworkError) {
        let text = input.uppercased().filter { !$0.isWhitespace }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 4,
              let type = CaseType(numberPrefix: String(parts[0])),
              parts[1].count == 4, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let year = Int(parts[1]),
              parts[2].count == 6, parts[2].allSatisfy({ $0.isASCII && $0.isNumber }), let sequence = Int(parts[2]),
              parts[3].count == 1, let check = parts[3].first, CaseNumber.alphabet.contains(check),
              let number = CaseNumber(type: type, year: year, sequence: sequence)
        else {
            throw CaseworkError.invalidCaseNumber(input)
        }
        guard number.checkCharacter == check else {
            throw CaseworkError.caseNumberCheckFailed(input)
        }
        self = number
    }

    public var text: String {
        "\(body.prefix(3))-\(year)-\(sequenceText)-\(checkCharacter)"
    }

    private var sequenceText: String {
        let digits = String(sequence)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// The characters the check character is computed over.
    private var body: String { "\(type.numberPrefix)\(year)\(sequenceText)" }

    public var checkCharacter: Character { CaseNumber.mod37_36(body) }

    static let alphabet: [Character] = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")

    /// ISO/IEC 7064 hybrid system MOD 37,36 (M = 36, alphanumeric).
    static func mod37_36(_ text: String) -> Character {
        let m = 36
        var product = m
        for character in text {
            guard let value = alphabet.firstIndex(of: character) else { continue }
            var sum = (product + value) % m
            if sum == 0 { sum = m }
            product = (sum * 2) % (m + 1)
        }
        let check = (m + 1 - product) % m
        return alphabet[check]
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.text < rhs.text }
}

extension CaseNumber: CustomStringConvertible {
    public var description: String { text }
}

extension CaseNumber: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self = try CaseNumber(parsing: container.decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
