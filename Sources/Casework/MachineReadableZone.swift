public import AccordCore

/// The machine-readable zone of an identity document (ICAO Doc 9303): TD3 (passports, 2×44),
/// TD2 (2×36) and TD1 (identity cards, 3×30), with every check digit verified.
public struct MachineReadableZone: Sendable, Equatable {
    public enum Format: String, Sendable { case td1, td2, td3 }

    public let format: Format
    /// `P`, `I`, `ID`, `AC`, … (the first two characters without filler).
    public let documentCode: String
    public let issuingState: String
    public let surname: String
    public let givenNames: String
    public let documentNumber: String
    public let nationality: String
    /// YYMMDD as printed (the century is not in the zone).
    public let birthDate: String
    /// `F`, `M` or `<` (unspecified).
    public let sex: Character
    public let expiryDate: String
    public let optionalData: String
    /// The fields whose check digit is wrong (empty: the zone is valid).
    public let failedChecks: [String]

    public var isValid: Bool { failedChecks.isEmpty }

    /// Parses two or three lines (separated by line breaks; spaces and a trailing break ignored).
    public static func parse(_ text: String) throws(CaseworkError) -> MachineReadableZone {
        let lines = text.uppercased().split(whereSeparator: \.isNewline).map { $0.filter { $0 != " " && $0 != "\t" } }.filter { !$0.isEmpty }.map(Array.init)
        guard lines.allSatisfy({ $0.allSatisfy { $0 == "<" || ($0.isASCII && ($0.isLetter || $0.isNumber)) } }) else {
            throw CaseworkError(code: "casework.mrz_invalid_character", reason: "an MRZ has only A–Z, 0–9 and <", category: .invalidInput)
        }
        switch (lines.count, lines.first?.count) {
        case (2, 44) where lines[1].count == 44: return td3(lines[0], lines[1])
        case (2, 36) where lines[1].count == 36: return td2(lines[0], lines[1])
        case (3, 30) where lines[1].count == 30 && lines[2].count == 30: return td1(lines[0], lines[1], lines[2])
        default:
            throw CaseworkError(code: "casework.mrz_invalid_length",
                                reason: "an MRZ is 2 lines of 44 (passport), 2 of 36 or 3 of 30 (identity card) characters; got \(lines.map(\.count))", category: .invalidInput)
        }
    }

    /// The ICAO 9303 check digit (weights 7, 3, 1; `<` is 0, A–Z are 10–35).
    public static func checkDigit<S: Sequence>(_ characters: S) -> Character where S.Element == Character {
        var sum = 0
        for (index, character) in characters.enumerated() {
            let value: Int
            if let digit = character.wholeNumberValue, character.isASCII { value = digit } else if let ascii = character.asciiValue, character.isLetter {
                value = Int(ascii) - 55
            } else {
                value = 0
            }
            sum += value * [7, 3, 1][index % 3]
        }
        return Character(String(sum % 10))
    }

    private static func text(_ characters: ArraySlice<Character>) -> String {
        String(characters).split(separator: "<", omittingEmptySubsequences: true).joined(separator: " ")
    }

    private static func names(_ characters: ArraySlice<Character>) -> (String, String) {
        let field = String(characters)
        guard let separator = field.range(of: "<<") else { return (text(characters), "") }
        return (text(ArraySlice(field[..<separator.lowerBound])), text(ArraySlice(field[separator.upperBound...])))
    }

    private static func check(_ name: String, _ field: ArraySlice<Character>, _ digit: Character, into failed: inout [String], optional: Bool = false) {
        if optional, digit == "<", field.allSatisfy({ $0 == "<" }) { return }
        if checkDigit(field) != digit { failed.append(name) }
    }

    private static func td3(_ first: [Character], _ second: [Character]) -> MachineReadableZone {
        var failed: [String] = []
        check("documentNumber", second[0..<9], second[9], into: &failed)
        check("birthDate", second[13..<19], second[19], into: &failed)
        check("expiryDate", second[21..<27], second[27], into: &failed)
        check("optionalData", second[28..<42], second[42], into: &failed, optional: true)
        check("composite", ArraySlice(Array(second[0..<10]) + Array(second[13..<20]) + Array(second[21..<43])), second[43], into: &failed)
        let (surname, given) = names(first[5..<44])
        return MachineReadableZone(
            format: .td3, documentCode: text(first[0..<2]), issuingState: String(first[2..<5]).replacingOccurrences(of: "<", with: ""),
            surname: surname, givenNames: given, documentNumber: text(second[0..<9]).replacingOccurrences(of: " ", with: ""),
            nationality: String(second[10..<13]).replacingOccurrences(of: "<", with: ""), birthDate: String(second[13..<19]), sex: second[20],
            expiryDate: String(second[21..<27]), optionalData: text(second[28..<42]), failedChecks: failed
        )
    }

    private static func td2(_ first: [Character], _ second: [Character]) -> MachineReadableZone {
        var failed: [String] = []
        check("documentNumber", second[0..<9], second[9], into: &failed)
        check("birthDate", second[13..<19], second[19], into: &failed)
        check("expiryDate", second[21..<27], second[27], into: &failed)
        check("composite", ArraySlice(Array(second[0..<10]) + Array(second[13..<20]) + Array(second[21..<35])), second[35], into: &failed)
        let (surname, given) = names(first[5..<36])
        return MachineReadableZone(
            format: .td2, documentCode: text(first[0..<2]), issuingState: String(first[2..<5]).replacingOccurrences(of: "<", with: ""),
            surname: surname, givenNames: given, documentNumber: text(second[0..<9]).replacingOccurrences(of: " ", with: ""),
            nationality: String(second[10..<13]).replacingOccurrences(of: "<", with: ""), birthDate: String(second[13..<19]), sex: second[20],
            expiryDate: String(second[21..<27]), optionalData: text(second[28..<35]), failedChecks: failed
        )
    }

    private static func td1(_ first: [Character], _ second: [Character], _ third: [Character]) -> MachineReadableZone {
        var failed: [String] = []
        check("documentNumber", first[5..<14], first[14], into: &failed)
        check("birthDate", second[0..<6], second[6], into: &failed)
        check("expiryDate", second[8..<14], second[14], into: &failed)
        check("composite", ArraySlice(Array(first[5..<30]) + Array(second[0..<7]) + Array(second[8..<15]) + Array(second[18..<29])), second[29], into: &failed)
        let (surname, given) = names(third[0..<30])
        return MachineReadableZone(
            format: .td1, documentCode: text(first[0..<2]), issuingState: String(first[2..<5]).replacingOccurrences(of: "<", with: ""),
            surname: surname, givenNames: given, documentNumber: text(first[5..<14]).replacingOccurrences(of: " ", with: ""),
            nationality: String(second[15..<18]).replacingOccurrences(of: "<", with: ""), birthDate: String(second[0..<6]), sex: second[7],
            expiryDate: String(second[8..<14]), optionalData: text(first[15..<30]), failedChecks: failed
        )
    }
}
