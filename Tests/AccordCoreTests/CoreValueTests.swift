import AccordCore
import Foundation
import Testing

@Suite struct CountryCodeTests {
    @Test(arguments: ["AFG", "afg", "DEU", "XXA", "XXB", "UNK"])
    func accepts(_ code: String) {
        #expect(CountryCode(code)?.rawValue == code.uppercased())
    }

    @Test(arguments: ["", "AF", "AFGH", "XYZ", "D", "123", "ÄFG", "af g"])
    func refuses(_ code: String) {
        #expect(CountryCode(code) == nil)
    }

    @Test func knowsAllISOCodes() {
        #expect(CountryCode.allISO.count == 249)
        #expect(CountryCode("ERI")?.name == "Eritrea")
    }

    @Test func decodingAnInvalidCodeThrowsItsStableCode() throws {
        #expect(throws: CoreError.invalidCountryCode("")) {
            try JSONDecoder().decode([CountryCode].self, from: Data(#"["QQQ"]"#.utf8))
        }
    }
}

@Suite struct DateTests {
    @Test(arguments: [("1987", "1987"), ("1987-02", "1987-02"), ("2000-02-29", "2000-02-29"), ("1999-12-31", "1999-12-31")])
    func partialDatesParse(_ input: String, _ text: String) {
        #expect(PartialDate(input)?.text == text)
    }

    @Test(arguments: ["1987-02-29", "1900-02-29", "1987-13", "1987-00", "1987-04-31", "87-01-01", "1987-1-1", "1987/01/01", "", "abcd", "1987-02-", "١٩٨٧"])
    func impossibleDatesAreRefused(_ input: String) {
        #expect(PartialDate(input) == nil)
        #expect(CalendarDate(input) == nil)
    }

    @Test func calendarDateNeedsAllParts() {
        #expect(CalendarDate("1987-03") == nil)
        #expect(CalendarDate("2024-02-29")?.text == "2024-02-29")
    }

    @Test func partialDatesOrderByPrecision() {
        #expect(PartialDate("1987")! < PartialDate("1987-01")!)
        #expect(PartialDate("1987-05")!.earliest == CalendarDate("1987-05-01")!)
    }

    @Test func millisecondsSurviveARoundTrip() {
        for _ in 0..<1_000 {
            let date = Date(timeIntervalSince1970: Double.random(in: 0...4_000_000_000)).truncatedToMilliseconds
            #expect(Date(millisecondsSince1970: date.millisecondsSince1970) == date)
        }
    }
}

@Suite struct TextFoldingTests {
    @Test func foldsCaseAndAccents() {
        #expect(TextFolding.tokens("MÜLLER") == ["muller"])
        #expect(TextFolding.tokens("Çağlar Öztürk") == ["caglar", "ozturk"])
        #expect(TextFolding.tokens("Nguyễn Văn An") == ["nguyen", "van", "an"])
        #expect(TextFolding.tokens("Straße") == ["strasse"])
        #expect(TextFolding.tokens("Łukasz Wałęsa") == ["lukasz", "walesa"])
        #expect(TextFolding.tokens("Al-Masri") == ["al", "masri"])
    }

    @Test func keepsOtherScripts() {
        #expect(TextFolding.tokens("Олена Шевченко") == ["олена", "шевченко"])
        #expect(TextFolding.tokens("احمد کریمی") == ["احمد", "کریمی"])
    }

    @Test func normalisesDocumentNumbers() {
        #expect(TextFolding.documentNumber(" p 0123-4567 ") == "P01234567")
    }
}

@Suite struct IdentifierTests {
    @Test func roundTripsAsLowercaseText() throws {
        struct Thing {}
        let id = Identifier<Thing>()
        let data = try JSONEncoder().encode([id])
        #expect(try JSONDecoder().decode([Identifier<Thing>].self, from: data) == [id])
        #expect(id.rawValue == id.rawValue.lowercased())
        #expect(Identifier<Thing>("not-a-uuid") == nil)
    }
}
