import AccordCore
import AccordServer
import AccordTesting
import Casework
import Exchange
import Foundation
import Identity
import Readmission
import Testing

/// The readmission screens over the console's HTTP stack, with two desks joined by a loopback:
/// who may see and do what, forms with bad input, CSRF, escaping, French.
@Suite struct ReadmissionConsoleTests {
    static let liaison = [RoleGrant(role: "partner_liaison")]
    static let supervisor = [RoleGrant(role: "readmission_supervisor")]

    static func composeForm(csrf: String, family: String) -> [String: String] {
        ["csrf": csrf, "agreement": "EU-MAR-2026", "reference": "BEL-RA-T-1", "family": family, "given": "Youssef", "dateOfBirth": "1987-04-12",
         "sex": "M", "nationality": "MAR", "documentNumber": "VX4412873", "evidenceKind": "passport", "escort": "required"]
    }

    @Test func theRequestingSideComposesAndSeesItsCase() async throws {
        let (belgium, _, _) = try await ReadmissionFixtures.pair(ReadmissionFixtures.morocco, clock: ManualWallClock(Date()))
        try await TestDatabase.sqlite.withNode { node in
            try await node.withConsole(as: "bel.liaison", grants: Self.liaison, readmission: belgium) { browser in
                let inbox = try await browser.get("/console/readmission")
                #expect(inbox.status == .ok)
                #expect(inbox.html.contains("Readmission cases") && inbox.html.contains(#"href="/console/readmission""#))
                let compose = try await browser.get("/console/readmission/new")
                let csrf = try #require(compose.field("csrf"))
                #expect(compose.html.contains(#"value="EU-MAR-2026""#) && !compose.html.contains(#"value="BE-TUN-2026""#), "only partners the exchange reaches")

                // Bad input: the form comes back with the code; nothing is recorded.
                var form = Self.composeForm(csrf: csrf, family: "")
                let missing = try await browser.post("/console/readmission", form: form)
                #expect(missing.status == .badRequest)
                #expect(missing.html.contains("readmission.invalid_input"))
                form["family"] = "El Amrani"
                form["csrf"] = "forged"
                #expect(try await browser.post("/console/readmission", form: form).status == .forbidden)
                #expect(try await belgium.cases(by: "test").isEmpty)

                form = Self.composeForm(csrf: csrf, family: "<script>alert(1)</script>")
                let sent = try await browser.post("/console/readmission", form: form)
                #expect(sent.status == .seeOther)
                let location = try #require(sent.headers[.location])
                let page = try await browser.get(location)
                #expect(page.status == .ok)
                #expect(page.html.contains(#"data-status="submitted""#) || page.html.contains(#"data-status="pending""#))
                #expect(!page.html.contains("<script>alert(1)</script>") && page.html.contains("&lt;script&gt;"), "names are escaped")
                let protected = try await browser.post("/console/readmission", form: Self.composeForm(csrf: csrf, family: "Benali").merging(["protection": "refugee"]) { $1 })
                #expect(protected.status == .forbidden && protected.html.contains("readmission.protected_person"))

                // French, remembered.
                let french = try await browser.get("/console/readmission?lang=fr")
                #expect(french.html.contains("Dossiers de réadmission") && french.html.contains(#"<html lang="fr">"#))
                #expect(try await browser.get("/console/readmission").html.contains("Dossiers de réadmission"))
                #expect(try await browser.get("/console/readmission/statistics").html.contains("Statistiques par partenaire"))
            }
            try await node.withConsole(as: "case.officer", grants: [RoleGrant(role: "case_officer", office: "NORTH-1")], readmission: belgium) { browser in
                let refused = try await browser.get("/console/readmission")
                #expect(refused.status == .forbidden)
                let cases = try await browser.get("/console/cases")
                #expect(!cases.html.contains(#"href="/console/readmission""#), "no link for those who may not")
            }
        }
    }

    /// Enter once: a return officer who is also a liaison requests readmission from the return
    /// case; the composer is filled from the person and the case's passport, and the new
    /// readmission case is about the same person.
    @Test func aReturnCaseComposesItsApplicationFromThePersonAndItsPassport() async throws {
        let (belgium, _, _, files) = try await ReadmissionFixtures.pairWithCaseFiles(ReadmissionFixtures.morocco, clock: ManualWallClock(Date()))
        try await TestDatabase.sqlite.withNode { node in
            let person = try await node.service.registerPerson(PersonInput(
                name: NameInput(given: "Youssef", family: "El Amrani"), dateOfBirth: "1987-04-12", placeOfBirth: "Tangier", sex: "M", nationality: "MAR",
                identityDocuments: [IdentityDocumentInput(kind: "passport", number: "VX4412873", issuingCountry: "MAR")]
            ), by: .system)
            let returnCase = try await node.service.openCase(CaseInput(type: "return", office: "NORTH-1", principalPersonID: person.id.rawValue), by: .system)
            let passport = try await node.service.attachDocument(returnCase.number, metadata: DocumentMetadataInput(kind: "passport", title: "data page", personID: person.id.rawValue),
                                                                 mediaType: "application/pdf", bytes: Array("%PDF-1.4 passport".utf8), by: .system)
            let grants = [RoleGrant(role: "case_officer", office: "NORTH-1"), RoleGrant(role: "partner_liaison")]
            try await node.withConsole(as: "ret.officer", grants: grants, readmission: belgium) { browser in
                let casePage = try await browser.get("/console/cases/\(returnCase.number.text)")
                let href = "/console/readmission/new?person=\(person.id.rawValue)&amp;case=\(returnCase.number.text)"
                #expect(casePage.html.contains(href), "the return case offers the request")
                let compose = try await browser.get("/console/readmission/new?person=\(person.id.rawValue)&case=\(returnCase.number.text)")
                #expect(compose.status == .ok)
                #expect(compose.field("family") == "El Amrani" && compose.field("given") == "Youssef" && compose.field("dateOfBirth") == "1987-04-12")
                #expect(compose.field("documentNumber") == "VX4412873" && compose.field("nationality") == "MAR" && compose.field("person") == person.id.rawValue)
                #expect(compose.field("evidenceDigest") == passport.digest.hex)
                var form = compose.inputs()
                form["reference"] = "BEL-RA-T-9"
                form["agreement"] = "EU-MAR-2026"
                form["evidenceKind"] = "passport"
                let sent = try await browser.post("/console/readmission", form: form)
                #expect(sent.status == .seeOther)
                let opened = await files[0].opened
                #expect(opened.map(\.person) == [person.id.rawValue], "the same person, not a second record")
                #expect(opened.first?.record.documents?.first?.number == "VX4412873")
                let sentCase = try #require(try await belgium.cases(by: "test").first)
                #expect(sentCase.readmission.application.evidence?.first?.documentDigest == passport.digest.hex)
            }
            // Someone who may not see the person cannot compose from them.
            try await node.withConsole(as: "bel.liaison", grants: Self.liaison, readmission: belgium) { browser in
                let refused = try await browser.get("/console/readmission/new?person=\(person.id.rawValue)")
                #expect(refused.status == .forbidden)
            }
        }
    }

    /// A liaison officer granted one partner (`partner_liaison/GEO-MIA`) sees and composes for
    /// that partner only; another partner's case is refused before anything is read.
    @Test func liaisonOfficersAreScopedToTheirPartners() async throws {
        #expect(RoleGrant.parse("partner_liaison/mar-interior") == RoleGrant(role: "partner_liaison", partner: "MAR-INTERIOR"))
        #expect(RoleGrant.parse("case_officer@north-1") == RoleGrant(role: "case_officer", office: "NORTH-1"))
        #expect(RoleGrant(role: "partner_liaison", partner: "GEO-MIA").label == "partner_liaison/GEO-MIA")
        let (belgium, _, _) = try await ReadmissionFixtures.pair(ReadmissionFixtures.morocco, clock: ManualWallClock(Date()))
        let id = try await belgium.submitApplication(ReadmissionFixtures.application(agreement: "EU-MAR-2026", nationality: "MAR"), reference: "BEL-RA-SCOPE-1", by: "liaison")
        try await TestDatabase.sqlite.withNode { node in
            try await node.withConsole(as: "geo.liaison", grants: [RoleGrant(role: "partner_liaison", partner: "GEO-MIA")], readmission: belgium) { browser in
                let refused = try await browser.get("/console/readmission/\(id.rawValue)")
                let inbox = try await browser.get("/console/readmission")
                let compose = try await browser.get("/console/readmission/new")
                #expect(refused.status == .forbidden)
                #expect(inbox.status == .ok && !inbox.html.contains("BEL-RA-SCOPE-1"))
                #expect(compose.status == .ok && !compose.html.contains(#"value="EU-MAR-2026""#))
            }
            try await node.withConsole(as: "mar.liaison", grants: [RoleGrant(role: "partner_liaison", partner: "MAR-INTERIOR")], readmission: belgium) { browser in
                let page = try await browser.get("/console/readmission/\(id.rawValue)")
                let inbox = try await browser.get("/console/readmission")
                #expect(page.status == .ok && inbox.html.contains("BEL-RA-SCOPE-1"))
            }
            let audit = try await node.auditLog.entries().map(\.event)
            #expect(audit.contains { $0.actor == "geo.liaison" && $0.resourceRef == id.rawValue && $0.outcome == .denied })
        }
    }

    @Test func onlyDecidersDecideAndNeverAlone() async throws {
        let (belgium, morocco, _) = try await ReadmissionFixtures.pair(ReadmissionFixtures.morocco, clock: ManualWallClock(Date()))
        let id = try await belgium.submitApplication(ReadmissionFixtures.application(agreement: "EU-MAR-2026", nationality: "MAR"), reference: "BEL-RA-T-2", by: "bel.liaison")
        try await TestDatabase.sqlite.withNode { node in
            try await node.withConsole(as: "mar.liaison", grants: Self.liaison, readmission: morocco) { browser in
                let page = try await browser.get("/console/readmission/\(id.rawValue)")
                #expect(page.status == .ok && !page.html.contains(#"id="decide""#), "no decision form without decide")
                let csrf = try #require(page.field("csrf"))
                let refused = try await browser.post("/console/readmission/\(id.rawValue)/decide", form: ["csrf": csrf, "outcome": "accept"])
                #expect(refused.status == .forbidden)
                #expect(try await morocco.view(id, by: "test").readmission.proposedDecision == nil)
                // The other side's actions are refused with their code.
                let wrong = try await browser.post("/console/readmission/\(id.rawValue)/withdraw", form: ["csrf": csrf, "reason": "x"])
                #expect(wrong.status == .conflict && wrong.html.contains("readmission.wrong_side"))
            }
            try await node.withConsole(as: "mar.officer", grants: Self.supervisor, readmission: morocco) { browser in
                let page = try await browser.get("/console/readmission/\(id.rawValue)")
                let csrf = try #require(page.field("csrf"))
                // Nothing is preselected: the officer chooses accept or reject.
                #expect(page.html.contains(#"value="accept" required"#) && !page.html.contains(#"value="accept" checked"#))
                let noChoice = try await browser.post("/console/readmission/\(id.rawValue)/decide", form: ["csrf": csrf])
                #expect(noChoice.status == .badRequest && noChoice.html.contains("readmission."))
                #expect(try await morocco.view(id, by: "test").readmission.proposedDecision == nil)
                let rejectWithoutReasons = try await browser.post("/console/readmission/\(id.rawValue)/decide", form: ["csrf": csrf, "outcome": "reject"])
                #expect(rejectWithoutReasons.status == .badRequest && rejectWithoutReasons.html.contains("readmission.invalid_input"))
                #expect(try await browser.post("/console/readmission/\(id.rawValue)/decide", form: ["csrf": csrf, "outcome": "accept"]).status == .seeOther)
                let proposed = try await browser.get("/console/readmission/\(id.rawValue)")
                #expect(proposed.html.contains(#"id="proposed-decision""#) && !proposed.html.contains(#"id="approve""#))
                let alone = try await browser.post("/console/readmission/\(id.rawValue)/approve", form: ["csrf": csrf])
                #expect(alone.status == .forbidden && alone.html.contains("readmission.four_eyes"))
            }
            try await node.withConsole(as: "mar.supervisor", grants: Self.supervisor, readmission: morocco) { browser in
                let page = try await browser.get("/console/readmission/\(id.rawValue)")
                #expect(page.html.contains(#"id="approve""#))
                let bare = try await browser.post("/console/readmission/\(id.rawValue)/decline", form: ["csrf": try #require(page.field("csrf")), "reason": "  "])
                #expect(bare.status == .badRequest && bare.html.contains("readmission.reason_required"))
                let approved = try await browser.post("/console/readmission/\(id.rawValue)/approve", form: ["csrf": try #require(page.field("csrf"))])
                #expect(approved.status == .seeOther)
            }
        }
        #expect(try await belgium.view(id, by: "test").readmission.status == .accepted)
        #expect(try await belgium.view(id, by: "test").readmission.decision?.approvedBy == "mar.supervisor")
    }
}
