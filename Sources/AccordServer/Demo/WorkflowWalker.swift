import AccordCore
public import Casework
public import Foundation
import Identity

/// Moves a case along its workflow the way officers would — filling in the fields a transition
/// asks for, attaching the documents its guards want, finishing open tasks, proposing a decision
/// and having a second officer approve it — for the demo's sample data and for the tests that
/// walk every shipped workflow end to end. It only calls `CaseworkService`, so every step is a
/// real transition with its history, tasks and events.
public struct WorkflowWalker: Sendable {
    public let service: CaseworkService
    /// The officer who works the case, and the second officer who approves (four eyes).
    public let officer: Caller
    public let supervisor: Caller

    public init(service: CaseworkService, officer: Caller, supervisor: Caller) {
        self.service = service
        self.officer = officer
        self.supervisor = supervisor
    }

    /// One step: the state changes (or the case is closed already: false). `choose` picks among
    /// the transitions that can be made to hold; by default the first that does not end the case
    /// early (withdrawal, closing without a decision), else the first.
    @discardableResult
    public func step(_ number: CaseNumber, outcome: String? = nil, choose: (([TransitionOption]) -> TransitionOption?)? = nil) async throws -> Bool {
        var record = try await service.caseRecord(number, by: officer)
        guard record.isOpen else { return false }
        let workflow = try service.workflow(of: record)
        let before = record.state
        // A state that waits for a decision: propose one, and approve it with a second officer.
        let expectsDecision = service.expectsDecision(record)
        if expectsDecision, let rule = workflow.decision {
            let latest = try await service.decisions(number, by: officer).last
            if latest == nil || latest?.state == .returned {
                let chosen = rule.outcomes.first { $0.id == outcome } ?? rule.outcomes[0]
                _ = try await service.proposeDecision(number, DecisionInput(
                    outcome: chosen.id, grounds: "Assessed on the file, the interview record and country information.",
                    legalBasis: "Applicable national law, article 1"
                ), by: officer)
                record = try await service.caseRecord(number, by: officer)
                if record.state != before { return true }
            }
        }
        if expectsDecision, let latest = try await service.decisions(number, by: officer).last, latest.state == .proposed {
            _ = try await service.reviewDecision(number, DecisionReviewInput(decision: latest.id.rawValue, verdict: "approve"), by: supervisor)
            record = try await service.caseRecord(number, by: officer)
            return record.state != before
        }
        let options = try await service.transitions(number, by: officer)
        let early: Set<String> = ["withdrawn", "closed"]
        let pick = choose?(options)
            ?? options.first { !early.contains($0.to) && $0.to != record.state }
            ?? options.first { $0.to != record.state }
        guard let option = pick, let transition = workflow.transition(option.id) else { return false }
        try await satisfy(transition, workflow: workflow, record: record)
        record = try await service.caseRecord(number, by: officer)
        var values: [String: String] = [:]
        for name in transition.sets { if let field = workflow.field(name) { values[name] = sampleValue(field, record: record) } }
        let reason = transition.reasonRequired ? "Recorded by the case officer after review of the file." : nil
        record = try await service.takeTransition(number, TransitionInput(transition: option.id, expectedVersion: record.version, reason: reason, fields: values.isEmpty ? nil : values), by: officer)
        if transition.fourEyes {
            record = try await service.takeTransition(number, TransitionInput(transition: option.id, expectedVersion: record.version), by: supervisor)
        }
        return record.state != before
    }

    /// Walks until the case closes or `steps` steps were taken; the states it went through.
    @discardableResult
    public func walk(_ number: CaseNumber, steps: Int = 40, outcome: String? = nil) async throws -> [String] {
        var states = [try await service.caseRecord(number, by: officer).state]
        for _ in 0..<steps {
            guard try await step(number, outcome: outcome) else { break }
            states.append(try await service.caseRecord(number, by: officer).state)
        }
        return states
    }

    /// Makes the guards of `transition` hold: an officer assigned, documents attached, open tasks done.
    private func satisfy(_ transition: Workflow.Transition, workflow: Workflow, record: Case) async throws {
        if transition.guards.fields.contains("assignedOfficer"), record.assignedOfficer == nil {
            _ = try await service.updateCase(record.number, CaseUpdateInput(expectedVersion: record.version, assignedOfficer: officer.user.rawValue), by: officer)
        }
        let present = Set(try await service.documents(record.number, by: officer).map(\.kind))
        for kind in transition.guards.documents where !present.contains(kind) {
            _ = try await service.attachDocument(
                record.number, metadata: DocumentMetadataInput(kind: kind.rawValue, title: kind.label, fileName: "\(kind.rawValue).pdf"),
                mediaType: "application/pdf", bytes: SamplePDF.make(title: "\(record.number.text) — \(kind.label)"), by: officer
            )
        }
        if transition.guards.tasksDone {
            for task in try await service.tasks(of: record.number, by: officer) where task.state == .open {
                _ = try await service.updateTask(task.id, TaskUpdateInput(action: "complete", expectedVersion: task.version), by: officer)
            }
        }
    }

    private func sampleValue(_ field: Workflow.Field, record: Case) -> String {
        switch field.kind {
        case .choice: return field.options.first ?? ""
        case .boolean: return "false"
        case .date: return CalendarDate(record.updatedAt.addingTimeInterval(14 * 86_400)).text
        case .text: return field.maxLength <= 3 ? "MAR" : field.maxLength <= 30 ? "S\(record.number.sequence)" : "Recorded from the file"
        }
    }
}
