import AccordCore
import AccordTesting
import Exchange
import Foundation
import Readmission
import Testing

/// The legal clocks of whole cases at fixed dates, both sides computing from the same signed
/// receipt: time zones, holidays, reminders, escalation, suspension, deemed acceptance.
@Suite struct LegalClockTests {
    typealias F = ReadmissionFixtures

    @Test func silenceMeansAcceptanceAtTheInstantTheLimitEnds() async throws {
        // 21:30 UTC on 8 April is already 9 April in Tbilisi: the twelve days run 10–21 April.
        let clock = ManualWallClock(F.instant("2026-04-08T21:30:00Z"))
        let (belgium, georgia, _) = try await F.pair(F.georgia, clock: clock)
        let id = try await belgium.submitApplication(F.application(agreement: "EU-GEO-2026", nationality: "GEO"), reference: "BEL-2026-0001", by: "officer.bel")
        #expect(try await belgium.view(id, by: "test").clock?.state == .notStarted, "the requesting side waits for the receipt")
        try await belgium.followDeliveries()
        let seenByBelgium = try #require(try await belgium.view(id, by: "test").clock)
        let seenByGeorgia = try #require(try await georgia.view(id, by: "test").clock)
        #expect(seenByBelgium == seenByGeorgia)
        #expect(seenByGeorgia.dueDate == F.date("2026-04-21"))
        #expect(seenByGeorgia.dueAt == F.instant("2026-04-21T20:00:00Z"))
        #expect(seenByGeorgia.reminderDates == [F.date("2026-04-16"), F.date("2026-04-20")])
        #expect(seenByGeorgia.escalationDate == F.date("2026-04-20"))
        #expect(seenByGeorgia.state == .running)

        // Reminders fall at the start of their day in Tbilisi, once each.
        var recorded = try await georgia.applyClocks(now: F.instant("2026-04-16T08:00:00Z"))
        #expect(recorded.map(\.kind) == ["reminder"])
        #expect(recorded.first?.at == F.instant("2026-04-15T20:00:00Z"))
        #expect(try await georgia.applyClocks(now: F.instant("2026-04-16T09:00:00Z")).isEmpty)
        recorded = try await georgia.applyClocks(now: F.instant("2026-04-21T19:59:59Z"))
        #expect(recorded.map(\.kind).sorted() == ["escalated", "reminder"])
        #expect(try await belgium.applyClocks(now: F.instant("2026-04-21T19:59:59Z")).isEmpty, "reminders go to the requested side only")
        #expect(try await georgia.view(id, by: "test").readmission.escalated)

        // One second later the limit has ended: both sides record acceptance at that instant.
        let deemedInGeorgia = try await georgia.applyClocks(now: F.instant("2026-04-21T20:00:01Z"))
        let deemedInBelgium = try await belgium.applyClocks(now: F.instant("2026-04-21T20:00:01Z"))
        #expect(deemedInGeorgia.map(\.kind) == ["deemed_accepted"])
        #expect(deemedInBelgium.map(\.kind) == ["deemed_accepted"])
        #expect(deemedInGeorgia.first?.at == F.instant("2026-04-21T20:00:00Z"))
        #expect(deemedInBelgium.first?.at == deemedInGeorgia.first?.at)
        for desk in [belgium, georgia] {
            let view = try await desk.view(id, by: "test")
            #expect(view.readmission.status == .deemedAccepted)
            #expect(view.clock?.state == .deemedAccepted)
            // 90 calendar days from 22 April (Tbilisi) for the transfer.
            #expect(view.clock?.transferDeadline == F.date("2026-07-21"))
        }
        // A late decision is refused: the person is already accepted.
        clock.set(F.instant("2026-04-22T08:00:00Z"))
        await #expect(throws: ReadmissionError(code: "readmission.not_allowed_in_state", reason: "")) {
            try await georgia.decide(id, outcome: "reject", reasons: ["too late"], by: "officer.geo")
        }
        let statistics = PartnerStatistics.compute(try await belgium.cases(by: "test"), partners: belgium.partners())
        let geo = try #require(statistics.first { $0.partner == F.georgia })
        #expect(geo.sent == 1 && geo.deemedAccepted == 1 && geo.rejected == 0 && geo.acceptanceRate == 1)
    }

    @Test func aDecisionAfterTheLimitIsRefusedEvenBeforeTheSweepRuns() async throws {
        let clock = ManualWallClock(F.instant("2026-04-28T10:00:00Z"))
        let (belgium, georgia, _) = try await F.pair(F.georgia, clock: clock, fourEyes: false)
        let id = try await belgium.submitApplication(F.application(agreement: "EU-GEO-2026", nationality: "GEO"), reference: "BEL-2026-0002", by: "officer.bel")
        // 28 April + 12 = Sunday 10 May; Saturday 9 May is a holiday anyway: due Monday 11 May.
        #expect(try await georgia.view(id, by: "test").clock?.dueDate == F.date("2026-05-11"))
        clock.set(F.instant("2026-05-11T20:00:00Z"))
        await #expect(throws: ReadmissionError(code: "readmission.deadline_passed", reason: "")) {
            try await georgia.decide(id, outcome: "reject", reasons: ["not a national"], by: "officer.geo")
        }
    }

    @Test func informationRequestsStopTheClockAndFourEyesDecide() async throws {
        let clock = ManualWallClock(F.instant("2026-05-04T10:00:00Z"))
        let (belgium, morocco, loopback) = try await F.pair(F.morocco, clock: clock)
        let id = try await belgium.submitApplication(F.application(agreement: "EU-MAR-2026", nationality: "MAR"), reference: "BEL-2026-0003", by: "officer.bel")
        #expect(try await morocco.view(id, by: "test").clock?.dueDate == F.date("2026-06-03"))

        clock.set(F.instant("2026-05-10T09:00:00Z"))
        try await morocco.requestInformation(id, questions: ["Which school did he attend?"], by: "officer.mar")
        #expect(try await morocco.view(id, by: "test").clock?.state == .suspended)
        #expect(try await belgium.view(id, by: "test").readmission.status == .informationRequested)
        // Belgium answers while the hub is down: the answer waits, signed, and goes out later.
        clock.set(F.instant("2026-05-15T09:00:00Z"))
        await loopback.setReachable(false)
        try await belgium.answerInformationRequest(id, answers: ["Lycée Ibn Batouta, Tangier"], by: "officer.bel")
        #expect(try await morocco.view(id, by: "test").readmission.status == .informationRequested)
        await loopback.setReachable(true)
        try await belgium.followDeliveries()
        try await morocco.followDeliveries()
        // Suspended 11–15 May (five days): due 8 June instead of 3 June, the same on both sides.
        #expect(try await morocco.view(id, by: "test").clock?.dueDate == F.date("2026-06-08"))
        #expect(try await belgium.view(id, by: "test").clock?.dueDate == F.date("2026-06-08"))

        clock.set(F.instant("2026-05-20T09:00:00Z"))
        await #expect(throws: ReadmissionError(code: "readmission.wrong_side", reason: "")) {
            try await belgium.decide(id, outcome: "accept", reasons: [], by: "officer.bel")
        }
        try await morocco.decide(id, outcome: "accept", reasons: [], by: "officer.mar")
        #expect(try await belgium.view(id, by: "test").readmission.status == .pending, "a proposed decision is not sent")
        await #expect(throws: ReadmissionError(code: "readmission.four_eyes", reason: "")) {
            try await morocco.approveDecision(id, by: "officer.mar")
        }
        try await morocco.approveDecision(id, by: "supervisor.mar")
        try await morocco.followDeliveries()
        let accepted = try await belgium.view(id, by: "test")
        #expect(accepted.readmission.status == .accepted)
        #expect(accepted.readmission.decision?.decidedBy == "officer.mar")
        #expect(accepted.readmission.decision?.approvedBy == "supervisor.mar")
        #expect(accepted.clock?.state == .met)
        // Transfer notice: three working days in Morocco; 20 May (Wed) → earliest departure 25 May.
        await #expect(throws: ReadmissionError(code: "readmission.notice_too_short", reason: "")) {
            try await belgium.notifyTransfer(id, notice: TransferNotice(flight: "AT 841", departure: "2026-05-22T09:00:00.000Z", pointOfEntry: "CMN"), by: "officer.bel")
        }
        await #expect(throws: ReadmissionError(code: "readmission.transfer_window_closed", reason: "")) {
            try await belgium.notifyTransfer(id, notice: TransferNotice(flight: "AT 841", departure: "2026-09-22T09:00:00.000Z", pointOfEntry: "CMN"), by: "officer.bel")
        }
        try await belgium.notifyTransfer(id, notice: TransferNotice(flight: "AT 841", departure: "2026-05-26T09:00:00.000Z", pointOfEntry: "CMN"), by: "officer.bel")
        #expect(try await morocco.view(id, by: "test").readmission.status == .transferNotified)
        clock.set(F.instant("2026-05-27T09:00:00Z"))
        await #expect(throws: ReadmissionError(code: "readmission.no_travel_document", reason: "")) {
            try await belgium.confirmTransfer(id, summary: "", by: "officer.bel")
        }
    }

    /// What the console used to let through: a second case under one reference, a proposal sent
    /// back without a reason, a transfer confirmed before its departure.
    @Test func referencesReasonsAndTransfersFollowTheRules() async throws {
        let clock = ManualWallClock(F.instant("2026-05-04T10:00:00Z"))
        let (belgium, morocco, _) = try await F.pair(F.morocco, clock: clock)
        let id = try await belgium.submitApplication(F.application(agreement: "EU-MAR-2026", nationality: "MAR"), reference: "BEL-2026-0010", by: "officer.bel")
        await #expect(throws: ReadmissionError(code: "readmission.duplicate_reference", reason: "")) {
            _ = try await belgium.submitApplication(F.application(agreement: "EU-MAR-2026", nationality: "MAR"), reference: "bel-2026-0010 ", by: "officer.bel")
        }
        #expect(try await belgium.cases(by: "test").count == 1)
        try await morocco.decide(id, outcome: "accept", reasons: [], by: "officer.mar")
        for reason in ["", "   \n"] {
            await #expect(throws: ReadmissionError(code: "readmission.reason_required", reason: "")) {
                try await morocco.declineDecision(id, reason: reason, by: "supervisor.mar")
            }
        }
        #expect(try await morocco.view(id, by: "test").readmission.proposedDecision != nil, "the proposal stays")
        try await morocco.approveDecision(id, by: "supervisor.mar")
        try await morocco.followDeliveries()
        try await morocco.issueTravelDocument(id, document: TravelDocumentIssued(kind: "laissez_passer", number: "LP-1", issuedOn: "2026-05-05",
                                                                                 validUntil: "2026-07-05", issuingAuthority: "Consulate"), by: "officer.mar")
        try await morocco.followDeliveries()
        try await belgium.notifyTransfer(id, notice: TransferNotice(flight: "AT 841", departure: "2026-05-12T09:00:00.000Z", pointOfEntry: "CMN"), by: "officer.bel")
        await #expect(throws: ReadmissionError(code: "readmission.transfer_not_due", reason: "")) {
            try await belgium.confirmTransfer(id, summary: "", by: "officer.bel")
        }
        clock.set(F.instant("2026-05-12T12:00:00Z"))
        try await belgium.confirmTransfer(id, summary: "handed over", by: "officer.bel")
        #expect(try await belgium.view(id, by: "test").readmission.status == .transferred)
    }

    @Test func protectedPersonsNeverGoToTheirCountryOfNationality() async throws {
        let clock = ManualWallClock(F.instant("2026-05-04T10:00:00Z"))
        let (belgium, _, _) = try await F.pair(F.morocco, clock: clock)
        await #expect(throws: ReadmissionError(code: "readmission.protected_person", reason: "")) {
            _ = try await belgium.submitApplication(F.application(agreement: "EU-MAR-2026", nationality: "MAR", protection: "refugee"), reference: "BEL-2026-0004", by: "officer.bel")
        }
        #expect(try await belgium.cases(by: "test").isEmpty, "nothing is recorded or sent")
        var application = F.application(agreement: "EU-MAR-2026", nationality: "MAR")
        application.evidence = [Evidence(strength: "proof", kind: "witness_statement")]
        await #expect(throws: ReadmissionError(code: "readmission.invalid_input", reason: "")) {
            _ = try await belgium.submitApplication(application, reference: "BEL-2026-0005", by: "officer.bel")
        }
        application.agreement = "EU-XXX-2026"
        await #expect(throws: ReadmissionError(code: "readmission.unknown_agreement", reason: "")) {
            _ = try await belgium.submitApplication(application, reference: "BEL-2026-0006", by: "officer.bel")
        }
    }

    @Test func aRevisionAfterRejectionRestartsTheClockAndInterviewsKeepTheirRecord() async throws {
        let clock = ManualWallClock(F.instant("2026-06-01T08:00:00Z"))
        let (belgium, morocco, _) = try await F.pair(F.morocco, clock: clock, fourEyes: false)
        let id = try await belgium.submitApplication(F.application(agreement: "EU-MAR-2026", nationality: "MAR"), reference: "BEL-2026-0007", by: "officer.bel")
        try await morocco.proposeInterview(id, mode: "video", slots: ["2026-06-03T09:00:00.000Z"], location: nil, by: "officer.mar")
        try await belgium.confirmInterview(id, slot: "2026-06-03T09:00:00.000Z", by: "officer.bel")
        await #expect(throws: ReadmissionError(code: "readmission.invalid_input", reason: "")) {
            try await morocco.recordInterviewOutcome(id, outcome: "identity_not_confirmed", summary: nil, record: [], by: "officer.mar")
        }
        let record = Array("Interview of 3 June: does not know the city he names.".utf8)
        try await morocco.recordInterviewOutcome(id, outcome: "identity_not_confirmed", summary: "doubts", record: record, by: "officer.mar")
        let kept = try #require(try await morocco.view(id, by: "test").readmission.events.first { $0.localKind == .interviewRecorded })
        #expect(kept.detail?.hasPrefix("SHA-256 \(sha256Hex(record))") == true)
        #expect(kept.detail?.contains("does not know the city") == true)
        try await belgium.followDeliveries()
        #expect(try await belgium.view(id, by: "test").readmission.interviewOutcome?.recordDigest == sha256Hex(record))
        #expect(try await belgium.view(id, by: "test").readmission.events.contains { $0.localKind == .interviewRecorded } == false, "the record stays with the interviewer")

        try await morocco.decide(id, outcome: "reject", reasons: ["identity not established"], by: "officer.mar")
        #expect(try await belgium.view(id, by: "test").readmission.status == .rejected)
        clock.set(F.instant("2026-06-10T08:00:00Z"))
        var revised = F.application(agreement: "EU-MAR-2026", nationality: "MAR")
        revised.evidence?.append(Evidence(strength: "prima_facie", kind: "expired_passport", description: "found at his former address"))
        try await belgium.revise(id, application: revised, reason: "an expired passport was found", by: "officer.bel")
        try await belgium.followDeliveries()
        for desk in [belgium, morocco] {
            let view = try await desk.view(id, by: "test")
            #expect(view.readmission.status == .pending)
            #expect(view.readmission.decision == nil)
            #expect(view.readmission.application.evidence?.count == 2)
            #expect(view.clock?.dueDate == F.date("2026-07-10"), "thirty days from the revision's receipt")
        }
    }

    @Test func twoApprovalsAtOnceSendOneDecision() async throws {
        let clock = ManualWallClock(F.instant("2026-06-01T08:00:00Z"))
        let (belgium, morocco, _) = try await F.pair(F.morocco, clock: clock)
        let id = try await belgium.submitApplication(F.application(agreement: "EU-MAR-2026", nationality: "MAR"), reference: "BEL-2026-0008", by: "officer.bel")
        try await morocco.decide(id, outcome: "accept", reasons: [], by: "officer.mar")
        let outcomes = await withTaskGroup(of: String.self) { group in
            for approver in ["supervisor.a", "supervisor.b", "supervisor.c"] {
                group.addTask {
                    do {
                        try await morocco.approveDecision(id, by: approver)
                        return "sent"
                    } catch let error as ReadmissionError {
                        return error.code
                    } catch {
                        return "\(error)"
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.sorted() == ["readmission.not_allowed_in_state", "readmission.not_allowed_in_state", "sent"])
        #expect(try await morocco.view(id, by: "test").readmission.events.filter { $0.kind == "decision" && $0.direction == .sent }.count == 1)
    }
}
