import AccordCore
import AccordTesting
import Casework
import Testing

@Suite struct PersonValidationTests {
    let today = CalendarDate("2026-03-02")!

    @Test func aValidPersonBecomesDetails() throws {
        let details = try Fixtures.person().validated(today: today)
        #expect(details.name == PersonName(given: "Ahmad", family: "Karimi"))
        #expect(details.nativeNames == [ScriptedName(script: "Arab", given: "احمد", family: "کریمی")])
        #expect(details.dateOfBirth == PartialDate("1987-03-14"))
        #expect(details.nationality == CountryCode("AFG"))
        #expect(details.identityDocuments.first?.number == "P01234567")
        #expect(details.nameTokens == ["ahmad", "karimi", "احمد", "کریمی"])
    }

    @Test func everyProblemIsReportedWithItsPath() {
        var input = Fixtures.person(nationality: "QQQ", dateOfBirth: "1987-02-30")
        input.sex = "Q"
        input.identityDocuments = [IdentityDocumentInput(kind: "visa-sticker", number: "!", issuingCountry: "ZZ")]
        do {
            _ = try input.validated(today: today)
            Issue.record("expected a validation error")
        } catch {
            // The first malformed value names the error (400); a day outside the calendar alone would be 422.
            #expect(error.code == "casework.invalid_sex" && error.category == .invalidInput)
            let found = Set(error.diagnostics.map { "\($0.path ?? ""):\($0.code)" })
            #expect(found == [
                "dateOfBirth:casework.date_not_in_calendar", "sex:casework.invalid_sex", "nationality:casework.invalid_country_code",
                "identityDocuments[0].kind:casework.invalid_document_kind", "identityDocuments[0].number:casework.invalid_document_number",
                "identityDocuments[0].issuingCountry:casework.invalid_country_code",
            ])
        }
    }

    @Test func datesOfBirthInTheFutureAreRefused() {
        #expect(throws: CaseworkError(code: "casework.date_in_future", reason: "", category: .invalidInput)) {
            try Fixtures.person(dateOfBirth: "2026-04").validated(today: today)
        }
        // Well-formed but impossible: unprocessable (422), not malformed (400).
        for (date, code) in [("2026-04", "casework.date_in_future"), ("1987-02-30", "casework.date_not_in_calendar"), ("1850", "casework.date_implausible")] {
            do {
                _ = try Fixtures.person(dateOfBirth: date).validated(today: today)
                Issue.record("\(date) was accepted")
            } catch {
                #expect(error.code == code && error.category == .unprocessable, "\(date): \(error.code) \(error.category)")
            }
        }
        do {
            _ = try Fixtures.person(dateOfBirth: "1987-2-3").validated(today: today)
            Issue.record("a malformed date was accepted")
        } catch {
            #expect(error.code == "casework.invalid_date" && error.category == .invalidInput)
        }
    }

    @Test func theMainNameMustBeLatin() {
        #expect(throws: CaseworkError(code: "casework.name_not_latin", reason: "", category: .invalidInput)) {
            try Fixtures.person(given: "Олена", family: "Шевченко").validated(today: today)
        }
        #expect(throws: Never.self) { try Fixtures.person(given: "Çağlar", family: "Öztürk").validated(today: today) }
    }

    @Test func aFamilyNameIsRequired() {
        var input = Fixtures.person()
        input.name = NameInput(given: "Ahmad", family: "   ")
        #expect(throws: CaseworkError(code: "casework.missing_field", reason: "", category: .invalidInput)) { try input.validated(today: today) }
    }

    @Test func controlCharactersAreRefused() {
        #expect(throws: CaseworkError(code: "casework.invalid_text", reason: "", category: .invalidInput)) {
            try Fixtures.person(family: "Kar\u{0}imi").validated(today: today)
        }
    }
}

@Suite struct DocumentPolicyTests {
    let policy = DocumentPolicy(maximumBytes: 1_000)

    @Test func acceptsRealFilesOfAllowedTypes() throws {
        #expect(try policy.check(mediaType: "application/PDF; charset=binary", bytes: Fixtures.pdf) == "application/pdf")
        #expect(try policy.check(mediaType: "image/png", bytes: Fixtures.png) == "image/png")
    }

    @Test func refusesARenamedExecutable() {
        let elf: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0]
        #expect(throws: CaseworkError.contentMismatch("application/pdf")) { try policy.check(mediaType: "application/pdf", bytes: elf) }
    }

    @Test func refusesOtherTypesEmptyAndOversizedFiles() {
        #expect(throws: CaseworkError.mediaTypeNotAllowed("", allowed: [])) { try policy.check(mediaType: "text/html", bytes: Array("<html>".utf8)) }
        #expect(throws: CaseworkError.emptyDocument()) { try policy.check(mediaType: "application/pdf", bytes: []) }
        #expect(throws: CaseworkError.documentTooLarge(limit: 0)) {
            try policy.check(mediaType: "application/pdf", bytes: Fixtures.pdf + [UInt8](repeating: 0x20, count: 1_000))
        }
    }
}
