import AccordCore
import AccordTesting
import Casework
import Foundation
import Identity
import Testing

/// The engine applied by the service, on both databases, at fixed dates.
@Suite struct WorkflowServiceTests {
    let officer = Caller.user(UserID("a.martin")!)
    let colleague = Caller.user(UserID("k.novak")!)

    func open(_ service: CaseworkService) async throws -> Case {
        let person = try await service.registerPerson(Fixtures.person(), by: .system)
        return try await service.openCase(Fixtures.caseInput(principal: person), by: officer)
    }

    @Test(arguments: TestDatabase.all)
    func guardsEffectsAndFourEyes(_ database: TestDatabase) async throws {
        try await database.withService(start: TestWorkflow.noon("2026-04-02"), engine: try TestWorkflow.engine()) { service, _, _ in
            var record = try await open(service)
            #expect(record.state == "open" && record.deadline == CalendarDate("2026-04-08"))
            // Guards: the field, the document.
            let refused = await errorCode { try await service.takeTransition(record.number, TransitionInput(transition: "submit", expectedVersion: 1), by: officer) }
            #expect(refused == "workflow.guard_unmet")
            #expect(await errorCode { try await service.takeTransition(record.number, TransitionInput(transition: "submit", expectedVersion: 1, fields: ["ground": "third"]), by: officer) }
                    == "workflow.invalid_choice")
            #expect(await errorCode { try await service.takeTransition(record.number, TransitionInput(transition: "lapse", expectedVersion: 1), by: officer) }
                    == "workflow.system_only")
            _ = try await service.attachDocument(record.number, metadata: DocumentMetadataInput(kind: "application"), mediaType: "application/pdf", bytes: Fixtures.pdf, by: officer)
            record = try await service.takeTransition(record.number, TransitionInput(transition: "submit", expectedVersion: 1, fields: ["ground": "first"]), by: officer)
            #expect(record.state == "review" && record.fields == ["ground": "first"] && record.deadline == nil)
            // Effects: the task (due 2 working days later, over Easter Monday) and the events.
            let tasks = try await service.tasks(of: record.number, by: officer)
            #expect(tasks.map(\.title) == ["Check the file"] && tasks.first?.due == CalendarDate("2026-04-07") && tasks.first?.assignee == UserID("a.martin"))
            #expect(Set(try await service.events(record.number, by: officer).map(\.name)) == ["entered.open", "entered.review", "submitted"])
            // Four eyes: asked for by one officer, the same officer cannot confirm, a colleague does.
            record = try await service.takeTransition(record.number, TransitionInput(transition: "close", expectedVersion: record.version), by: officer)
            #expect(record.state == "review" && record.pendingTransition?.requestedBy == UserID("a.martin"))
            #expect(try await service.transitions(record.number, by: officer).isEmpty)
            #expect(await errorCode { try await service.takeTransition(record.number, TransitionInput(transition: "close", expectedVersion: record.version), by: officer) }
                    == "workflow.four_eyes_same_officer")
            record = try await service.takeTransition(record.number, TransitionInput(transition: "close", expectedVersion: record.version), by: colleague)
            #expect(record.state == "done" && !record.isOpen && record.pendingTransition == nil)
            let summaries = try await service.history(record.number, by: officer).map(\.summary)
            #expect(summaries.contains { $0.contains("asked for by a.martin, confirmed by k.novak") })
        }
    }

    @Test(arguments: TestDatabase.all)
    func timersRemindEscalateAndMoveOnExpiry(_ database: TestDatabase) async throws {
        try await database.withService(start: TestWorkflow.noon("2026-04-02"), engine: try TestWorkflow.engine()) { service, clock, _ in
            let record = try await open(service)
            clock.set(TestWorkflow.noon("2026-04-06"))
            #expect(try await service.runTimers() == TimerReport())
            clock.set(TestWorkflow.noon("2026-04-07"))
            var report = try await service.runTimers()
            #expect(report.reminders == 1 && report.expiries == 0)
            #expect(try await service.runTimers().reminders == 0, "a reminder fires once")
            clock.set(TestWorkflow.noon("2026-04-08"))
            #expect(try await service.runTimers().expiries == 0, "the deadline day itself still counts")
            clock.set(TestWorkflow.noon("2026-04-09"))
            report = try await service.runTimers()
            #expect(report.expiries == 1 && report.escalations == 1 && report.automaticTransitions == 1)
            let after = try await service.caseRecord(record.number, by: .system)
            #expect(after.state == "lapsed" && !after.isOpen)
            let queue = try await service.teamQueue(office: after.office, by: .system)
            #expect(queue.contains { $0.team == "supervisor" && $0.priority == .urgent && $0.caseID == record.id })
            let actions = try await service.history(record.number, by: .system).map(\.action)
            #expect(actions.contains(.deadlineReminder) && actions.contains(.deadlineExpired) && actions.last == .statusChanged)
            #expect(try await service.runTimers() == TimerReport())
        }
    }

    @Test(arguments: TestDatabase.all)
    func eventsAndDecisionsDriveTheCase(_ database: TestDatabase) async throws {
        try await database.withService(start: TestWorkflow.noon("2026-04-02"), engine: try TestWorkflow.engine()) { service, _, _ in
            var record = try await open(service)
            record = try await service.handleEvent("exchange.received.something_else", on: record.id)
            #expect(record.state == "open")
            record = try await service.handleEvent("exchange.received.readmission_application", on: record.id)
            #expect(record.state == "review")
            #expect(await errorCode { try await service.proposeDecision(record.number, DecisionInput(outcome: "refused"), by: officer) } == "casework.grounds_required")
            let proposed = try await service.proposeDecision(record.number, DecisionInput(outcome: "refused", grounds: "No credible fear", legalBasis: "Art. 1"), by: officer)
            #expect(await errorCode { try await service.reviewDecision(record.number, DecisionReviewInput(decision: proposed.id.rawValue, verdict: "approve"), by: officer) }
                    == "workflow.four_eyes_same_officer")
            let approved = try await service.reviewDecision(record.number, DecisionReviewInput(decision: proposed.id.rawValue, verdict: "approve"), by: colleague)
            #expect(approved.state == .approved && approved.approvedBy == UserID("k.novak") && service.verify(approved))
            #expect(try await service.caseRecord(record.number, by: .system).state == "done")
            // The signature covers the record and both officers: any change breaks it.
            var forged = approved
            forged = CaseDecision(id: forged.id, caseID: forged.caseID, caseNumber: forged.caseNumber, workflowVersion: forged.workflowVersion, outcome: "granted",
                                  grounds: forged.grounds, legalBasis: forged.legalBasis, proposedBy: forged.proposedBy, proposedAt: forged.proposedAt,
                                  state: .approved, approvedBy: forged.approvedBy, approvedAt: forged.approvedAt, signature: forged.signature, signingKey: forged.signingKey)
            #expect(!service.verify(forged))
            #expect(try await service.decisions(record.number, by: .system).last?.grounds == "No credible fear")
        }
    }

    @Test(arguments: TestDatabase.all)
    func casesStayOnTheVersionTheyStartedUnder(_ database: TestDatabase) async throws {
        try await database.withStore { store, directory in
            // A node runs version 1, then is upgraded to a catalogue with version 2 as well.
            let cipher = try await TestDatabase.cipher(for: store)
            let clock = ManualWallClock(TestWorkflow.noon("2026-04-02"))
            let v1 = try TestDatabase.service(store: store, cipher: cipher, directory: directory, clock: clock, engine: try TestWorkflow.engine([TestWorkflow.make()]))
            try await Fixtures.createOfficers(in: v1.users!)
            let old = try await open(v1)
            let v2 = try TestDatabase.service(store: store, cipher: cipher, directory: directory, clock: clock,
                                              engine: try TestWorkflow.engine([TestWorkflow.make(), TestWorkflow.make(version: 2, withAppeal: true)]))
            let new = try await open(v2)
            #expect(old.workflowVersion == 1 && new.workflowVersion == 2)
            let moved = try await v2.handleEvent("exchange.received.readmission_application", on: old.id)
            #expect(moved.workflowVersion == 1)
            #expect(try await v2.transitions(moved.number, by: officer).map(\.id) == ["close"])
            let movedNew = try await v2.handleEvent("exchange.received.readmission_application", on: new.id)
            #expect(try await v2.transitions(movedNew.number, by: officer).map(\.id) == ["close", "appeal"])
            // A node that lost version 1 says so instead of guessing.
            let lost = try TestDatabase.service(store: store, cipher: cipher, directory: directory, clock: clock, engine: try TestWorkflow.engine([TestWorkflow.make(version: 2, withAppeal: true)]))
            #expect(await errorCode { try await lost.transitions(old.number, by: officer) } == "workflow.unknown_version")
        }
    }
}
