import AccordTesting
import Casework
import Foundation
import Testing

/// ICAO 9303 machine-readable zones, checked against the specimens of Doc 9303 and against the
/// independent PyPI `mrz` checker on the same inputs (including one wrong digit in each field).
@Suite struct MachineReadableZoneTests {
    static let td3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
    static let td2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6"
    static let td1 = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"

    /// The specimens, and each with one character changed in one checked field or check digit.
    static var inputs: [String] {
        var result = [td3, td2, td1]
        func replacing(_ text: String, at offset: Int, with character: Character) -> String {
            var characters = Array(text)
            characters[offset] = character
            return String(characters)
        }
        // TD3 line 2 starts at 45: document number, its check, birth date, expiry, personal number, composite.
        for offset in [45, 54, 58, 64, 66, 72, 75, 87, 88] { result.append(replacing(td3, at: offset, with: Array(td3)[offset] == "1" ? "2" : "1")) }
        for offset in [37, 46, 50, 58, 72] { result.append(replacing(td2, at: offset, with: Array(td2)[offset] == "1" ? "2" : "1")) }
        for offset in [7, 14, 31, 37, 45, 60] { result.append(replacing(td1, at: offset, with: Array(td1)[offset] == "1" ? "2" : "1")) }
        return result
    }

    @Test func specimensParseWithTheirFields() throws {
        let passport = try MachineReadableZone.parse(Self.td3)
        #expect(passport.format == .td3 && passport.isValid)
        #expect(passport.surname == "ERIKSSON" && passport.givenNames == "ANNA MARIA" && passport.documentNumber == "L898902C3")
        #expect(passport.nationality == "UTO" && passport.birthDate == "740812" && passport.sex == "F" && passport.expiryDate == "120415")
        #expect(passport.optionalData == "ZE184226B")
        let card = try MachineReadableZone.parse(Self.td1)
        #expect(card.format == .td1 && card.isValid && card.documentNumber == "D23145890" && card.surname == "ERIKSSON")
        #expect(try MachineReadableZone.parse(Self.td2).isValid)
        var broken = Array(Self.td3)
        broken[58] = "9" // the birth date
        #expect(try MachineReadableZone.parse(String(broken)).failedChecks == ["birthDate", "composite"])
        #expect(throws: CaseworkError.self) { try MachineReadableZone.parse("P<UTO\nL898902C3") }
        #expect(throws: CaseworkError.self) { try MachineReadableZone.parse(Self.td3.replacingOccurrences(of: "ANNA", with: "ÄNNA")) }
    }

    @Test(.enabled(if: ExternalTool.required || (try? ExternalTool.run("python3", ["-c", "import mrz"]).status) == 0, "needs PyPI mrz (scripts/test.sh installs it)"))
    func agreesWithTheMRZPackage() throws {
        let script = """
            import json, sys
            from mrz.checker.td1 import TD1CodeChecker
            from mrz.checker.td2 import TD2CodeChecker
            from mrz.checker.td3 import TD3CodeChecker
            out = []
            for text in json.load(sys.stdin):
                lines = text.split("\\n")
                checker = {44: TD3CodeChecker, 36: TD2CodeChecker, 30: TD1CodeChecker}[len(lines[0])](text)
                f = checker.fields()
                out.append({"valid": bool(checker), "surname": f.surname, "name": f.name, "number": f.document_number,
                            "birth": f.birth_date, "expiry": f.expiry_date, "nationality": f.nationality, "sex": f.sex})
            print(json.dumps(out))
            """
        let inputs = Self.inputs
        let run = try ExternalTool.run("python3", ["-c", script], input: try JSONEncoder().encode(inputs))
        try #require(run.status == 0, "\(run.errors)")
        let answers = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [[String: Any]])
        #expect(answers.count == inputs.count)
        for (text, answer) in zip(inputs, answers) {
            let ours = try MachineReadableZone.parse(text)
            #expect(ours.isValid == (answer["valid"] as? Bool), "\(text): ours \(ours.failedChecks), mrz \(answer["valid"] ?? "-")")
            #expect(ours.surname == answer["surname"] as? String && ours.givenNames == answer["name"] as? String, "\(text)")
            #expect(ours.documentNumber == answer["number"] as? String && ours.birthDate == answer["birth"] as? String, "\(text)")
            #expect(ours.expiryDate == answer["expiry"] as? String && ours.nationality == answer["nationality"] as? String, "\(text)")
            #expect(String(ours.sex) == answer["sex"] as? String || (ours.sex == "<" && (answer["sex"] as? String).map { ["X", "<", ""].contains($0) } == true), "\(text)")
        }
        #expect(answers.filter { $0["valid"] as? Bool == false }.count >= 15, "the corrupted inputs are invalid for mrz too")
    }
}
