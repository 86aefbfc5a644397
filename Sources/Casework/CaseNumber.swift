/// A unique, human-readable case number: `ASY-2026-000042-0`.
///
/// Type prefix, year of registration, a six-digit sequence within type and year, and a check
/// digit computed with the Damm algorithm over the type's index and the ten digits. Damm detects
/// every single-digit substitution and every transposition of adjacent digits — the two most
/// common typing mistakes; a mistyped prefix is either not a prefix at all or changes the type
/// index, which the check digit also catches.
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
              parts[3].count == 1, let check = parts[3].first, check.isASCII, check.isNumber,
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
        "\(type.numberPrefix)-\(year)-\(sequenceText)-\(checkCharacter)"
    }

    private var sequenceText: String {
        let digits = String(sequence)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// The digits the check digit is computed over: type index, year, sequence.
    private var body: String {
        let typeIndex = CaseType.allCases.firstIndex(of: type)!
        return "\(typeIndex)\(year)\(sequenceText)"
    }

    public var checkCharacter: Character { CaseNumber.damm(body) }

    /// The Damm algorithm's weakly totally anti-symmetric quasigroup of order 10.
    private static let dammTable: [[Int]] = [
        [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
        [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
        [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
        [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
        [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
        [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
        [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
        [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
        [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
        [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
    ]

    static func damm(_ digits: String) -> Character {
        var interim = 0
        for character in digits {
            guard let digit = character.wholeNumberValue else { continue }
            interim = dammTable[interim][digit]
        }
        return Character(String(interim))
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
