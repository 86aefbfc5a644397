import AccordServer
import AccordTesting
import Casework
import Foundation
import Identity
import Testing

/// Registration in the console: an MRZ fills the form, a second registration of the same person
/// is held back with the reasons, and the clerk can still register someone who only looks alike.
@Suite struct RegistrationConsoleTests {
    static let mrz = "P<AFGKARIMI<<AHMAD<<<<<<<<<<<<<<<<<<<<<<<<<<\nP0123456<6AFG8703145M3201015<<<<<<<<<<<<<<08"

    @Test(arguments: TestDatabase.all)
    func mrzFillsTheFormAndDuplicatesAreShownWithTheirReasons(_ database: TestDatabase) async throws {
        #expect(try MachineReadableZone.parse(Self.mrz).isValid, "the fixture's check digits")
        try await database.withNode { node in
            try await node.withConsole(as: "clerk", grants: [RoleGrant(role: "registry_clerk", office: "HQ-ASYLUM")]) { browser in
                let form = try await browser.get("/console/persons/new")
                let csrf = try #require(form.field("csrf"))
                let first = try await browser.post("/console/persons/new", form: ["csrf": csrf, "mrz": Self.mrz])
                #expect(first.status == .seeOther, "\(first.html.prefix(500))")
                let person = try #require(first.headers[.location])
                let page = try await browser.get(person)
                #expect(page.html.contains("KARIMI, Ahmad") && page.html.contains("1987-03-14") && page.html.contains("P0123456"))
                // The same document again: held back, with why, input kept.
                let again = try await browser.post("/console/persons/new", form: ["csrf": csrf, "family": "Karimi", "given": "Ahmed", "documentNumber": "P 0123456"])
                #expect(again.status == .ok && again.html.contains("may be registered already"))
                #expect(again.html.contains("same document number") && again.html.contains("value=\"Ahmed\""))
                #expect(again.html.contains("name=\"confirm\" value=\"1\""))
                // A wrong check digit is refused, naming the field.
                let misread = try await browser.post("/console/persons/new", form: ["csrf": csrf, "mrz": Self.mrz.replacingOccurrences(of: "8703145", with: "8703155")])
                #expect(misread.status == .badRequest && misread.html.contains("casework.mrz_check_digit") && misread.html.contains("birthDate"))
                // Someone who shares the name and year of birth is held back with a score; once
                // the clerk confirms, registered. Another year of birth makes a name alone no match.
                let other = ["csrf": csrf, "family": "Karimi", "given": "Ahmad", "dateOfBirth": "1987"]
                let held = try await browser.post("/console/persons/new", form: other).html
                #expect(held.contains("same family name") && held.contains("same year of birth 1987") && held.contains("class=\"score\">52<"))
                #expect(try await browser.post("/console/persons/new", form: ["csrf": csrf, "family": "Karimi", "given": "Ahmad", "dateOfBirth": "1990"]).status == .seeOther,
                        "same name, another year of birth: not held back")
                var confirmed = other
                confirmed["confirm"] = "1"
                #expect(try await browser.post("/console/persons/new", form: confirmed).status == .seeOther)
                #expect(try await node.service.searchPersons(name: "Ahmad Karimi", documentNumber: nil, by: .system).count == 3)
            }
        }
    }
}
