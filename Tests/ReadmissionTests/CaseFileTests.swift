import AccordCore
import AccordTesting
import Exchange
import Foundation
import Readmission
import Testing

/// The desk keeps every conversation in the case file: both sides open a case, the messages are
/// its workflow's events, reads are reported, and a message taken twice has one effect.
@Suite struct CaseFileTests {
    typealias F = ReadmissionFixtures

    @Test func bothSidesOpenACaseAndTheMessagesDriveIt() async throws {
        let clock = ManualWallClock(F.instant("2026-03-02T08:00:00Z"))
        let (belgium, morocco, _, files) = try await F.pairWithCaseFiles(F.morocco, clock: clock, fourEyes: false)
        let id = try await belgium.submitApplication(F.application(agreement: "EU-MAR-2026", nationality: "MAR"), reference: "BEL-1", person: "p-42", by: "liaison")
        try await morocco.decide(id, outcome: "accept", reasons: [], by: "officer")

        let requesting = await files[0].opened
        let requested = await files[1].opened
        #expect(requesting.map(\.person) == ["p-42"], "the composer's person is the case's person")
        #expect(requested.count == 1 && requested[0].person == nil && requested[0].record.names.first?.family == "El Amrani")
        #expect(await files[0].eventNames(of: "case-1") == ["exchange.sent.readmission_application", "exchange.received.decision", "exchange.accepted"])
        #expect(await files[1].eventNames(of: "case-1") == ["exchange.received.readmission_application", "exchange.sent.decision", "exchange.accepted"])
        let fields = try #require(await files[1].events.first?.fields)
        #expect(fields == ["agreement": "EU-MAR-2026", "partner": "BEL-DOFI", "reference": "BEL-1", "side": "requested"])

        // Reads through the desk are reported; a status poll is not a read of personal data.
        _ = try await morocco.view(id, by: "officer", purpose: "decide")
        _ = try await morocco.cases(by: "officer")
        _ = try await morocco.status(of: id)
        let reads = await files[1].reads
        #expect(reads.map(\.list) == [false, true] && reads.allSatisfy { $0.actor == "officer" })
    }

    @Test func aMessageTakenTwiceHasOneEffectAndAnOrphanIsRefused() async throws {
        let clock = ManualWallClock(F.instant("2026-03-02T08:00:00Z"))
        let (belgium, morocco, _, files) = try await F.pairWithCaseFiles(F.morocco, clock: clock)
        let id = try await belgium.submitApplication(F.application(agreement: "EU-MAR-2026", nationality: "MAR"), reference: "BEL-2", by: "liaison")
        let received = try #require(try await morocco.view(id, by: "test").readmission.events.first)
        let message = CaseMessage(envelope: Envelope(conversationID: id, caseReference: "BEL-2", sender: F.belgium, recipient: F.morocco, messageType: .readmissionApplication,
                                                     createdAt: clock.now, expiresAt: clock.now.addingTimeInterval(86_400)),
                                  body: try #require(received.body))
        // The same message (same sender and ID) again: no second case, no second event.
        var again = message
        again.envelope.messageID = try #require(received.messageID)
        try await morocco.receive(Arrival(message: again, bytes: received.payload ?? [], digest: received.digest ?? "", receipt: received.receipt ?? [], receivedAt: clock.now))
        #expect(await files[1].opened.count == 1)
        #expect(try await morocco.view(id, by: "test").readmission.events.count == 1)
        // A reply in a conversation this side never opened.
        let orphan = CaseMessage(envelope: Envelope(conversationID: .init(), caseReference: "X-1", sender: F.belgium, recipient: F.morocco, messageType: .withdrawal,
                                                    createdAt: clock.now, expiresAt: clock.now.addingTimeInterval(86_400)),
                                 body: .withdrawal(Withdrawal(reason: "mistake")))
        await #expect(throws: ReadmissionError(code: "readmission.unknown_case", reason: "")) {
            try await morocco.receive(Arrival(message: orphan, bytes: [1], digest: "00", receipt: [1], receivedAt: clock.now))
        }
        #expect(await files[1].opened.count == 1)
    }
}
