import Casework
import Testing

@Suite struct CaseNumberTests {
    static let sample = CaseNumber(type: .asylum, year: 2026, sequence: 42)!

    @Test func formatsWithCheckCharacter() throws {
        let text = Self.sample.text
        #expect(text.hasPrefix("ASY-2026-000042-"))
        #expect(text.count == 17)
        #expect(try CaseNumber(parsing: text) == Self.sample)
    }

    @Test func parsingIsCaseAndSpaceTolerant() throws {
        let text = Self.sample.text
        #expect(try CaseNumber(parsing: " " + text.lowercased().replacingOccurrences(of: "-", with: " - ") + " ") == Self.sample)
    }

    /// The Damm check digit catches every single-character substitution …
    @Test(arguments: CaseType.allCases)
    func everySubstitutionIsDetected(_ type: CaseType) {
        let number = CaseNumber(type: type, year: 2025, sequence: 913_407)!
        let text = Array(number.text)
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        for index in text.indices where text[index] != "-" {
            for replacement in alphabet where replacement != text[index] {
                var mutated = text
                mutated[index] = replacement
                #expect(throws: CaseworkError.self) { try CaseNumber(parsing: String(mutated)) }
            }
        }
    }

    /// … and every swap of two adjacent characters.
    @Test func everyAdjacentTranspositionIsDetected() {
        for sequence in [1, 42, 123_456, 999_999, 700_007, 132_456, 505_050, 98_765] {
            let body = Array(CaseNumber(type: .readmission, year: 2026, sequence: sequence)!.text.filter { $0 != "-" })
            // Swaps inside the prefix or across a dash cannot form a valid number of another type.
            for index in 0..<(body.count - 1) where body[index] != body[index + 1] {
                var swapped = body
                swapped.swapAt(index, index + 1)
                let text = "\(String(swapped[0..<3]))-\(String(swapped[3..<7]))-\(String(swapped[7..<13]))-\(swapped[13])"
                #expect(throws: CaseworkError.self) { try CaseNumber(parsing: text) }
            }
        }
    }

    @Test func aWrongCheckCharacterHasItsOwnCode() throws {
        let text = Self.sample.text
        let wrong = String(text.dropLast()) + (text.last == "1" ? "2" : "1")
        #expect(throws: CaseworkError.caseNumberCheckFailed(wrong)) { try CaseNumber(parsing: wrong) }
    }

    @Test(arguments: ["", "ASY", "ASY-2026-42-K", "XYZ-2026-000042-K", "ASY-26-000042-K", "ASY-2026-0000042-K", "ASY-2026-000000-0", "ASY-2026-000042-0K", "ASY-2026-000042-*", "ASY-2026-000042-K", "ASY_2026_000042_K"])
    func malformedNumbersAreRefused(_ text: String) {
        #expect(throws: CaseworkError.invalidCaseNumber(text)) { try CaseNumber(parsing: text) }
    }
}
