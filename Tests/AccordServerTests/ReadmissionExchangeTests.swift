@testable import AccordServer
import AccordCore
import AccordTesting
import Casework
import Crypto
import Exchange
import Foundation
import Logging
import Readmission
import Storage
import Testing

/// A whole readmission case through the real hub and two nodes over mutual TLS, on SQLite and
/// PostgreSQL: application, identity check, information request, interview, four-eyes
/// acceptance, travel document, transfer — with both sides' state, clocks and receipts checked.
@Suite(.serialized) struct ReadmissionExchangeTests {
    static let agreements = AgreementProfileFileTests.agreements

    static var quietLogger: Logger {
        var logger = Logger(label: "test.readmission")
        logger.logLevel = .error
        return logger
    }

    static func runName() -> String { "rm" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(8).lowercased() }

    /// The test PostgreSQL database with a schema of its own for `name` in this run.
    static func postgresURL(run: String, name: String) throws -> String {
        guard let url = ProcessInfo.processInfo.environment["ACCORD_TEST_POSTGRES_URL"] else { throw StorageError.unavailable("ACCORD_TEST_POSTGRES_URL is not set") }
        return url + (url.contains("?") ? "&" : "?") + "schema=\(run)_\(name.replacingOccurrences(of: "-", with: "_"))"
    }

    /// The demo federation (hub, Belgium, Morocco; Georgia registered) on `database`.
    static func federation(_ database: TestDatabase, directory: URL, run: String) async throws -> FederationDemo.Running {
        if database == .postgres { _ = try postgresURL(run: run, name: "check") }
        let location: ((String) -> DatabaseLocation)? = database == .postgres ? { name in .postgres(url: (try? postgresURL(run: run, name: name)) ?? "") } : nil
        return try await FederationDemo(directory: directory.appendingPathComponent("federation")).start(logger: quietLogger, database: location)
    }

    @Test(arguments: TestDatabase.all)
    func aFullCaseThroughTheHub(_ database: TestDatabase) async throws {
        let logger = Self.quietLogger
        let running = try await Self.federation(database, directory: try ExternalTool.temporaryDirectory(), run: Self.runName())
        let profiles = try ReadmissionRuntime.loadProfiles(Self.agreements)
        let belgiumClock = OffsetWallClock()
        let belgium = ReadmissionRuntime.start(exchange: running.belgium, node: running.belgiumNode, profiles: profiles, clock: belgiumClock, interval: .milliseconds(100), logger: logger)
        // Morocco's national ID register and civil registry: simulators on their own ports, reached through manifests.
        let simulators = try await SimulatorHarness.start(morocco: try ExternalTool.temporaryDirectory(), belgium: nil)
        let registries = try NodeAdapters.load(simulators.agencies[0].manifestFile.deletingLastPathComponent().deletingLastPathComponent(),
                                               audit: AuditTrailAdapterSink(trail: running.moroccoNode.auditLog)).identityRegistries
        let morocco = ReadmissionRuntime.start(exchange: running.morocco, node: running.moroccoNode, profiles: profiles,
                                               registries: registries, interval: .milliseconds(100), logger: logger)
        do {
            let id = try await exercise(belgium: belgium.desk, morocco: morocco.desk, belgiumClock: belgiumClock)
            try await checkCaseFiles(running, id: id, belgium: belgium.desk, morocco: morocco.desk)
        } catch {
            await belgium.stop()
            await morocco.stop()
            await running.stop()
            await simulators.stop()
            throw error
        }
        await belgium.stop()
        await morocco.stop()
        await running.stop()
        await simulators.stop()
    }

    /// Waits until `condition` holds for the case on `desk` (deliveries run in the background).
    func eventually(_ desk: ReadmissionDesk, _ id: ReadmissionCaseID, _ what: String, _ condition: (ReadmissionDesk.View) -> Bool) async throws -> ReadmissionDesk.View {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let view = try? await desk.view(id, by: "test"), condition(view) { return view }
            try await Task.sleep(for: .milliseconds(50))
        }
        let last = try? await desk.view(id, by: "test")
        Issue.record("timed out waiting for \(what) at \(desk.participant): status \(last?.readmission.status.rawValue ?? "none")")
        throw CancellationError()
    }

    @discardableResult
    func exercise(belgium: ReadmissionDesk, morocco: ReadmissionDesk, belgiumClock: OffsetWallClock) async throws -> ReadmissionCaseID {
        let application = ReadmissionApplication(
            agreement: "EU-MAR-2026", procedure: "normal",
            person: PersonRecord(names: [.init(given: "Youssef", family: "El Amrani")], dateOfBirth: "1987-04-12", placeOfBirth: "Tangier", sex: "M", nationality: "MAR",
                                 documents: [.init(kind: "passport", number: "VX4412873", issuingCountry: "MAR"), .init(kind: "national_id_card", number: "K0459821", issuingCountry: "MAR")]),
            evidence: [Evidence(strength: "proof", kind: "passport", description: "copy of the data page")],
            biometricReferences: ["BE-AFIS-2026-118812"], apprehension: .init(date: "2026-11-02", place: "Brussels-South", circumstances: "identity check"),
            specialNeeds: "diabetic: insulin during the journey", escort: "required"
        )
        let id = try await belgium.submitApplication(application, reference: "BEL-RA-2026-0042", by: "liaison.bel")

        // Both sides start the same clock from the same receipt.
        let received = try await eventually(morocco, id, "the application") { $0.readmission.status == .pending }
        let acknowledged = try await eventually(belgium, id, "the application's receipt") { $0.clock?.state == .running }
        #expect(received.readmission.role == .requested && acknowledged.readmission.role == .requesting)
        #expect(received.readmission.clockStartedAt == acknowledged.readmission.clockStartedAt)
        #expect(received.clock?.dueDate == acknowledged.clock?.dueDate)
        #expect(received.readmission.application == application)
        #expect(received.readmission.reference == "BEL-RA-2026-0042")

        // Morocco checks its registries over HTTP: the national ID card and the birth record match.
        let matches = try await morocco.verifyIdentity(id, by: "officer.mar")
        #expect(matches.map(\.outcome) == [.confirmed, .confirmed], "\(matches)")
        #expect(matches.allSatisfy { $0.source != nil && $0.at != nil })
        await #expect(throws: ReadmissionError(code: "readmission.wrong_side", reason: "")) { try await belgium.verifyIdentity(id, by: "liaison.bel") }

        try await morocco.requestInformation(id, questions: ["Where did he live in Morocco?"], by: "officer.mar")
        _ = try await eventually(belgium, id, "the information request") { $0.readmission.status == .informationRequested }
        try await belgium.answerInformationRequest(id, answers: ["Tangier, Beni Makada district, until 2019"], by: "liaison.bel")
        _ = try await eventually(morocco, id, "the answer") { $0.readmission.status == .pending }

        let slots = ["2026-12-01T09:00:00.000Z", "2026-12-02T14:00:00.000Z"]
        try await morocco.proposeInterview(id, mode: "video", slots: slots, location: nil, by: "officer.mar")
        _ = try await eventually(belgium, id, "the interview proposal") { $0.readmission.status == .interviewProposed }
        try await belgium.confirmInterview(id, slot: slots[1], by: "liaison.bel")
        _ = try await eventually(morocco, id, "the confirmation") { $0.readmission.status == .interviewScheduled }
        let record = Array("Video interview 2 December 2026: speaks Darija with a Tangier accent; names his school and street.".utf8)
        try await morocco.recordInterviewOutcome(id, outcome: "identity_confirmed", summary: "nationality confirmed", record: record, by: "officer.mar")
        let interviewed = try await eventually(belgium, id, "the interview outcome") { $0.readmission.interviewOutcome != nil }
        #expect(interviewed.readmission.interviewOutcome?.recordDigest == sha256Hex(record))

        // Four eyes: proposed by one officer, approved by another.
        try await morocco.decide(id, outcome: "accept", reasons: [], by: "officer.mar")
        await #expect(throws: ReadmissionError(code: "readmission.four_eyes", reason: "")) { try await morocco.approveDecision(id, by: "officer.mar") }
        try await morocco.approveDecision(id, by: "supervisor.mar")
        let accepted = try await eventually(belgium, id, "the decision") { $0.readmission.status == .accepted }
        #expect(accepted.readmission.decision?.approvedBy == "supervisor.mar")
        #expect(accepted.clock?.state == .met)

        try await morocco.issueTravelDocument(id, document: TravelDocumentIssued(kind: "laissez_passer", number: "LP-2026-00917", issuedOn: "2026-11-22",
                                                                                 validUntil: "2027-02-20", issuingAuthority: "Consulate General of Morocco, Brussels"), by: "officer.mar")
        _ = try await eventually(belgium, id, "the travel document") { $0.readmission.status == .travelDocumentIssued }
        let calendar = try #require(morocco.profiles.profile("EU-MAR-2026")?.party(morocco.participant)?.calendar)
        let departureDay = calendar.add(.init(days: 5, count: .working), after: calendar.date(of: Date()))
        let departure = Timestamp.format(calendar.start(of: departureDay).addingTimeInterval(10 * 3600))
        try await belgium.notifyTransfer(id, notice: TransferNotice(flight: "SN 3585", departure: departure, pointOfEntry: "RAK",
                                                                    escorts: [.init(name: "Insp. L. Peeters", role: "escort leader")]), by: "liaison.bel")
        _ = try await eventually(morocco, id, "the transfer notice") { $0.readmission.status == .transferNotified }
        // Not before the notified departure; after it, yes.
        await #expect(throws: ReadmissionError(code: "readmission.transfer_not_due", reason: "")) {
            try await belgium.confirmTransfer(id, summary: "too early", by: "liaison.bel")
        }
        belgiumClock.advance(by: Timestamp.parse(departure)!.timeIntervalSinceNow + 3_600)
        try await belgium.confirmTransfer(id, summary: "handed over at Marrakesh-Menara", by: "liaison.bel")

        // Both sides end in the same state, and every message carries a verified receipt.
        let finalMorocco = try await eventually(morocco, id, "the transfer confirmation") { $0.readmission.status == .transferred }
        let finalBelgium = try await eventually(belgium, id, "all receipts") { view in
            view.readmission.status == .transferred && view.readmission.events.filter { $0.direction == .sent }.allSatisfy { $0.delivery == .delivered }
        }
        _ = try await eventually(morocco, id, "all receipts") { $0.readmission.events.filter { $0.direction == .sent }.allSatisfy { $0.delivery == .delivered } }
        let sentByBelgium = finalBelgium.readmission.events.filter { $0.direction == .sent }
        let receivedByMorocco = finalMorocco.readmission.events.filter { $0.direction == .received }
        #expect(sentByBelgium.map(\.messageID) == receivedByMorocco.map(\.messageID))
        #expect(sentByBelgium.map(\.kind) == ["readmission_application", "information_response", "interview_confirmation", "transfer_notice", "case_update"])
        // The time Belgium's receipts state is the time Morocco recorded each message.
        #expect(sentByBelgium.map(\.receivedAt) == receivedByMorocco.map(\.receivedAt))
        #expect(sentByBelgium.allSatisfy { $0.receipt != nil && $0.digest != nil })
        let moroccoSent = try await morocco.view(id, by: "test").readmission.events.filter { $0.direction == .sent }.map(\.kind)
        #expect(moroccoSent == ["information_request", "interview_proposal", "interview_outcome", "decision", "travel_document_issued"])
        #expect(finalMorocco.readmission.events.filter { $0.localKind == .identityChecked }.count == 2)

        let statistics = PartnerStatistics.compute(try await belgium.cases(by: "test"), partners: belgium.partners())
        let withMorocco = try #require(statistics.first { $0.partner.rawValue == "MAR-INTERIOR" })
        #expect(withMorocco.sent == 1 && withMorocco.accepted == 1 && withMorocco.transfersCompleted == 1 && withMorocco.withinLimit == 1)
        #expect(withMorocco.acceptanceRate == 1)
        #expect(withMorocco.medianReplyDays != nil)
        return id
    }

    /// One case file: on both sides the conversation is a case of type readmission that its
    /// messages walked along the readmission workflow, about a Casework person; reads of it are
    /// in the audit trail; neither database holds the person's names or particulars readable.
    func checkCaseFiles(_ running: FederationDemo.Running, id: ReadmissionCaseID, belgium: ReadmissionDesk, morocco: ReadmissionDesk) async throws {
        for (node, desk, side, partner) in [(running.belgiumNode, belgium, "requesting", "MAR-INTERIOR"), (running.moroccoNode, morocco, "requested", "BEL-DOFI")] {
            let link = try #require(try await desk.caseLink(of: id))
            let number = try CaseNumber(parsing: link.caseNumber)
            let record = try await node.service.caseRecord(number, by: .system)
            #expect(record.type == .readmission)
            #expect(record.state == "transferred", "\(side): \(record.state)")
            #expect(record.closedAt != nil)
            #expect(record.fields["side"] == side && record.fields["partner"] == partner && record.fields["reference"] == "BEL-RA-2026-0042")
            #expect(record.principal?.rawValue == link.personID)
            let person = try await node.service.person(try #require(Person.ID(link.personID)), by: .system)
            #expect(person.details.name.family == "El Amrani" && person.details.dateOfBirth?.text == "1987-04-12")
            #expect(person.details.identityDocuments.map(\.number) == ["VX4412873", "K0459821"])
            // The workflow's path, driven by the messages: application, information asked and
            // given, acceptance, transfer notice, transfer.
            let steps = try await node.service.history(number, by: .system).filter { $0.action == .statusChanged }
                .map { $0.summary.prefix { $0 != ":" } }
            #expect(steps == ["Application exchanged", "Information requested", "Information given", "Application accepted", "Transfer notified", "Transfer confirmed"],
                    "\(side): \(steps)")
            // The test's reads through the desk are audited against the case and its person.
            let audit = try await node.auditLog.entries().map(\.event)
            #expect(audit.contains { $0.actor == "test" && $0.action == .read && $0.resourceType == "case" && $0.resourceRef == link.caseID })
            #expect(audit.contains { $0.actor == "test" && $0.action == .read && $0.resourceType == "person" && $0.resourceRef == link.personID })
            if side == "requesting" { #expect(audit.contains { $0.actor == "test" && $0.action == .search && $0.resourceRef == "readmission-list" }) }
            // Nothing readable: names, place of birth, document number, special needs, interview record.
            let hits = try await ClearTextScan.find(["El Amrani", "Youssef", "Tangier", "VX4412873", "insulin", "Darija"], in: node.store)
            #expect(hits.isEmpty, "\(side) holds personal data in clear: \(hits)")
        }
        // Crypto-shredding: erasing the person erases the conversation's content with the rest.
        let link = try #require(try await morocco.caseLink(of: id))
        try await running.moroccoNode.service.erasePerson(try #require(Person.ID(link.personID)), by: .system)
        await #expect(throws: ReadmissionError(code: "readmission.unknown_case", reason: "")) { try await morocco.view(id, by: "test") }
        #expect(try await morocco.cases(by: "test").isEmpty)
        // The hub forgets what it relayed once delivered; its log keeps digests.
        #expect(try await ClearTextScan.find(["El Amrani", "VX4412873"], in: running.hubStore).isEmpty)
    }
}

/// Georgia has no node: the hub hosts its installation (quick-win module), joined over mutual
/// TLS like any node, with its own database and key. Its reply limit passes in silence, and
/// both sides record acceptance at the same instant, fixed by the agreement.
@Suite(.serialized) struct QuickWinTests {
    @Test(arguments: TestDatabase.all)
    func aHostedPartnerAndSilenceMeansAcceptance(_ database: TestDatabase) async throws {
        let root = try ExternalTool.temporaryDirectory()
        let logger = ReadmissionExchangeTests.quietLogger
        let run = ReadmissionExchangeTests.runName()
        let running = try await ReadmissionExchangeTests.federation(database, directory: root, run: run)
        let profiles = try ReadmissionRuntime.loadProfiles(ReadmissionExchangeTests.agreements)
        var hubConfiguration = NodeConfiguration(dataDirectory: root.appendingPathComponent("hub").path)
        if database == .postgres { hubConfiguration.databaseURL = try ReadmissionExchangeTests.postgresURL(run: run, name: "hub-node") }
        let configuration = QuickWinHost.configuration(hub: hubConfiguration, participant: FederationDemo.georgia, port: 0, name: "Georgia (quick-win)")
        if database == .postgres { #expect(configuration.databaseURL?.contains("schema=\(run)_hub_node_quickwin_geo_mia") == true) }
        #expect(configuration.dataDirectory.hasSuffix("hub/quick-win/GEO-MIA"))
        let georgia = try await QuickWinHost.start(configuration: configuration, participant: FederationDemo.georgia, pki: running.pki, hub: running.hubEndpoint,
                                                   profiles: profiles, logger: logger)
        let belgium = ReadmissionRuntime.start(exchange: running.belgium, node: running.belgiumNode, profiles: profiles, interval: .milliseconds(100), logger: logger)
        do {
            var person = PersonRecord(names: [.init(given: "Giorgi", family: "Beridze")], dateOfBirth: "1994-09-18", sex: "M", nationality: "GEO",
                                      documents: [.init(kind: "passport", number: "15AB04231", issuingCountry: "GEO")])
            let application = ReadmissionApplication(agreement: "EU-GEO-2026", procedure: "normal", person: person,
                                                     evidence: [Evidence(strength: "proof", kind: "passport")], escort: "not_required")
            let id = try await belgium.desk.submitApplication(application, reference: "BEL-RA-QW-1", by: "liaison.bel")
            let desk = georgia.readmission.desk
            let deadline = ContinuousClock.now + .seconds(30)
            var received: ReadmissionDesk.View?
            while ContinuousClock.now < deadline {
                if let view = try? await desk.view(id, by: "test"), view.readmission.status == .pending,
                   let sent = try? await belgium.desk.view(id, by: "test"), sent.clock?.state == .running { received = view; break }
                try await Task.sleep(for: .milliseconds(50))
            }
            let view = try #require(received, "Georgia never received the application, or Belgium its receipt")
            let dueAt = try #require(view.clock?.dueAt)
            #expect(try await belgium.desk.view(id, by: "test").clock?.dueAt == dueAt)
            // The data is Georgia's own: nothing of it in the hub's database beyond the log and outbox.
            let hubRows = try await running.hubStore.database.raw("SELECT COUNT(*) AS n FROM readmission_events").first()?.decode(column: "n", as: Int.self)
            #expect(hubRows == 0)

            // Twelve calendar days pass in silence.
            let after = dueAt.addingTimeInterval(1)
            let inGeorgia = try await desk.applyClocks(now: after).filter { $0.kind == "deemed_accepted" }
            let inBelgium = try await belgium.desk.applyClocks(now: after).filter { $0.kind == "deemed_accepted" }
            #expect(inGeorgia.count == 1 && inBelgium.count == 1)
            #expect(inGeorgia.first?.at == dueAt && inBelgium.first?.at == dueAt)
            #expect(try await desk.view(id, by: "test").readmission.status == .deemedAccepted)
            #expect(try await belgium.desk.view(id, by: "test").readmission.status == .deemedAccepted)
            // Protected persons never reach their country of nationality — refused before signing.
            person.protectionStatus = "refugee"
            await #expect(throws: ReadmissionError(code: "readmission.protected_person", reason: "")) {
                _ = try await belgium.desk.submitApplication(ReadmissionApplication(agreement: "EU-GEO-2026", procedure: "normal", person: person,
                                                                                   evidence: [Evidence(strength: "proof", kind: "passport")], escort: "required"),
                                                            reference: "BEL-RA-QW-2", by: "liaison.bel")
            }
        } catch {
            await belgium.stop()
            await georgia.stop()
            await running.stop()
            throw error
        }
        await belgium.stop()
        await georgia.stop()
        await running.stop()
    }
}
