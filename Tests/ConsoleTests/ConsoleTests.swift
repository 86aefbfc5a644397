import AccordCore
import AccordServer
import AccordTesting
import Casework
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite struct ConsoleTests {
    @Test(arguments: TestDatabase.all)
    func caseListShowsCasesAndFilters(_ database: TestDatabase) async throws {
        try await database.withNode { node in
            let service = node.service
            let ahmad = try await service.registerPerson(Fixtures.person(), by: .system)
            let lina = try await service.registerPerson(Fixtures.person(given: "Lina", family: "Haddad", nationality: "SYR", native: nil, passport: nil), by: .system)
            let asylum = try await service.openCase(Fixtures.caseInput(principal: ahmad), by: .system)
            let visa = try await service.openCase(Fixtures.caseInput(principal: lina, type: .visa, office: "AIRPORT"), by: .system)
            _ = try await service.takeTransition(visa.number, TransitionInput(transition: "withdraw", expectedVersion: 1, reason: "Travel cancelled"), by: .system)

            try await node.withConsole { browser in
            let all = try await browser.get("/console/cases")
            #expect(all.status == .ok)
            #expect(all.headers[.contentType] == "text/html; charset=utf-8")
            #expect(all.html.contains("<meta charset=\"utf-8\">"))
            #expect(all.html.contains(asylum.number.text))
            #expect(all.html.contains("KARIMI, Ahmad"))
            let everything = try await browser.get("/console/cases?open=0")
            #expect(everything.html.contains(visa.number.text) && everything.html.contains("HADDAD, Lina"))
            #expect(!all.html.contains("<script"))

            // Closed cases are left out by default; a state filter shows them.
            let open = try await browser.get("/console/cases")
            #expect(!open.html.contains(visa.number.text))
            let filtered = try await browser.get("/console/cases?state=withdrawn&type=visa&office=AIRPORT")
            #expect(filtered.html.contains(visa.number.text) && !filtered.html.contains(asylum.number.text))
            #expect(filtered.html.contains("<option value=\"withdrawn\" selected>"))

            let root = try await browser.get("/")
            #expect(root.status.code / 100 == 3 && root.headers[.location] == "/console/cases")
            let css = try await browser.get("/console/static/accord.css")
            #expect(css.status == .ok && css.html.contains("@media"))
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func casePageShowsPersonsDocumentsNotesAndHistory(_ database: TestDatabase) async throws {
        try await database.withNode { node in
            let service = node.service
            let ahmad = try await service.registerPerson(Fixtures.person(), by: .system)
            let record = try await service.openCase(Fixtures.caseInput(principal: ahmad), by: .user(UserID("registry")!))
            _ = try await service.addNote(record.number, NoteInput(text: "Interpreter <Dari> booked & confirmed."), by: .user(UserID("k.novak")!))
            _ = try await service.attachDocument(record.number, metadata: DocumentMetadataInput(kind: "passport", fileName: "passport.pdf"),
                                                 mediaType: "application/pdf", bytes: Fixtures.pdf, by: .user(UserID("k.novak")!))
            try await node.withConsole { browser in
            let page = try await browser.get("/console/cases/\(record.number.text.lowercased())")
            #expect(page.status == .ok)
            #expect(page.html.contains("کریمی"))
            #expect(page.html.contains("Afghanistan (AFG)"))
            #expect(page.html.contains("Interpreter &lt;Dari&gt; booked &amp; confirmed."))
            #expect(page.html.contains("passport.pdf"))
            #expect(page.html.contains("Asylum case opened at HQ-ASYLUM"))
            #expect(page.html.contains("#3"))
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func mistypedAndUnknownCaseNumbersAreExplained(_ database: TestDatabase) async throws {
        try await database.withNode { node in
            let person = try await node.service.registerPerson(Fixtures.person(), by: .system)
            let record = try await node.service.openCase(Fixtures.caseInput(principal: person), by: .system)
            let text = record.number.text
            let wrong = String(text.dropLast()) + (text.last == "1" ? "2" : "1")

            try await node.withConsole { browser in
            let found = try await browser.get("/console/cases/find?number=\(text.lowercased())")
            #expect(found.headers[.location] == "/console/cases/\(text)")
            let mistyped = try await browser.get("/console/cases/find?number=\(wrong)")
            #expect(mistyped.status == .notFound && mistyped.html.contains("casework.case_number_check_failed"))
            let direct = try await browser.get("/console/cases/\(wrong)")
            #expect(direct.status == .notFound && direct.html.contains("casework.case_number_check_failed"))
            let unknown = try await browser.get("/console/nowhere")
            #expect(unknown.status == .notFound && unknown.html.contains("console.not_found"))
            let junk = try await browser.get("/console/cases?type=%3Cscript%3E&page=-5")
            #expect(junk.status == .ok && !junk.html.contains("<script>"))
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func personSearchEscapesWhatItEchoes(_ database: TestDatabase) async throws {
        try await database.withNode { node in
            _ = try await node.service.registerPerson(Fixtures.person(given: "Çağlar", family: "Öztürk", nationality: "TUR", native: nil), by: .system)
            try await node.withConsole { browser in
            let page = try await browser.get("/console/persons?name=ozturk")
            #expect(page.html.contains("ÖZTÜRK, Çağlar"))
            let hostile = try await browser.get("/console/persons?name=%3Cscript%3Ealert(1)%3C/script%3E")
            #expect(!hostile.html.contains("<script>alert"))
            #expect(hostile.html.contains("&lt;script&gt;"))
            }
        }
    }
}
