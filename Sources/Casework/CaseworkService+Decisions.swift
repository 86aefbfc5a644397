public import AccordCore
public import Foundation
public import Identity

/// A proposed decision.
public struct DecisionInput: Codable, Sendable, Equatable {
    public var outcome: String?
    public var grounds: String?
    public var legalBasis: String?

    public init(outcome: String?, grounds: String? = nil, legalBasis: String? = nil) {
        self.outcome = outcome
        self.grounds = grounds
        self.legalBasis = legalBasis
    }
}

/// The second officer's answer to a proposed decision.
public struct DecisionReviewInput: Codable, Sendable, Equatable {
    public enum Verdict: String, Codable, Sendable, CaseIterable { case approve, `return` }
    public var decision: String?
    public var verdict: String?
    public var reason: String?

    public init(decision: String?, verdict: String?, reason: String? = nil) {
        self.decision = decision
        self.verdict = verdict
        self.reason = reason
    }
}

extension CaseworkService {
    // MARK: Decisions

    /// Whether the case's state waits for a decision: a transition out of it follows a
    /// proposal or an approval.
    public func expectsDecision(_ record: Case) -> Bool {
        guard let workflow = try? workflow(of: record), workflow.decision != nil else { return false }
        return workflow.outgoing(from: record.state).contains { $0.on.contains("decision.proposed") || $0.on.contains("decision.approved") }
    }

    /// Records a proposed decision: an outcome of the workflow's list, grounds and legal basis.
    /// Without four-eyes it is approved and signed at once.
    public func proposeDecision(_ number: CaseNumber, _ input: DecisionInput, by caller: Caller) async throws -> CaseDecision {
        let record = try await load(number)
        let workflow = try self.workflow(of: record)
        guard let rule = workflow.decision else {
            throw CaseworkError(code: "workflow.no_decision_rule", reason: "\(record.type.label) cases take no decision in workflow version \(workflow.version)", category: .conflict)
        }
        var v = Validation()
        let outcomeID = v.text(input.outcome, at: "outcome", required: true, maxLength: 64)
        let grounds = v.text(input.grounds, at: "grounds", maxLength: 20_000)
        let legalBasis = v.text(input.legalBasis, at: "legalBasis", maxLength: 500)
        let outcome = outcomeID.flatMap { id in rule.outcomes.first { $0.id == id } }
        if let outcomeID, outcome == nil {
            v.fail("casework.invalid_outcome", "outcome: '\(outcomeID.prefix(40))' is not one of \(rule.outcomes.map(\.id).joined(separator: ", "))", at: "outcome")
        }
        if outcome?.groundsRequired == true, grounds == nil {
            v.fail("casework.grounds_required", "a decision “\(outcome!.label)” must state its grounds", at: "grounds")
        }
        try v.finish()
        try await authorize(caller, rule.proposePermission, [resource(record)], .create, "case_decision", record.id.rawValue)
        guard record.isOpen else {
            throw CaseworkError(code: "casework.case_closed", reason: "case \(record.number.text) is closed", category: .conflict)
        }
        guard expectsDecision(record) else {
            throw CaseworkError(code: "workflow.decision_not_expected",
                                reason: "no decision is taken while the case is \(workflow.label(of: record.state).lowercased())", category: .conflict)
        }
        if let latest = try await decisions.latest(of: record.id), latest.state != .returned {
            throw CaseworkError(code: "casework.decision_exists", reason: latest.state == .approved
                ? "the case has an approved decision already" : "a proposed decision waits for review; it must be approved or returned first", category: .conflict)
        }
        let now = self.now
        var decision = CaseDecision(
            id: .init(ids.next()), caseID: record.id, caseNumber: record.number, workflowVersion: record.workflowVersion,
            outcome: outcome!.id, grounds: grounds, legalBasis: legalBasis, proposedBy: caller.user, proposedAt: now
        )
        try await decisions.insert(decision, history: self.record(.decisionProposed, "Decision proposed: \(outcome!.label)" + (rule.fourEyes ? " — awaits approval by a second officer" : ""), by: caller.user, at: now))
        try await audit.record(caller.event(.create, "case_decision", decision.id.rawValue))
        if !rule.fourEyes {
            decision = try await settle(decision, approvedBy: caller.user, record: record, rule: rule)
        } else {
            try await handleEvent("decision.proposed", on: record.id)
        }
        return decision
    }

    /// A second officer approves (the node signs the record and both officers' IDs) or returns it.
    public func reviewDecision(_ number: CaseNumber, _ input: DecisionReviewInput, by caller: Caller) async throws -> CaseDecision {
        var v = Validation()
        let id = v.parsed(input.decision, at: "decision", required: true, code: "casework.invalid_id", expected: "a decision ID", CaseDecision.ID.init)
        let verdict = v.enumeration(input.verdict, DecisionReviewInput.Verdict.self, at: "verdict", required: true, code: "casework.invalid_verdict")
        let reason = v.text(input.reason, at: "reason", maxLength: 2000)
        if verdict == .return, reason == nil { v.fail("casework.reason_required", "say why the decision is returned", at: "reason") }
        try v.finish()
        let record = try await load(number)
        let workflow = try self.workflow(of: record)
        guard let rule = workflow.decision else {
            throw CaseworkError(code: "workflow.no_decision_rule", reason: "\(record.type.label) cases take no decision", category: .conflict)
        }
        try await authorize(caller, rule.permission, [resource(record)], .update, "case_decision", record.id.rawValue)
        guard var decision = try await decisions.decision(id!), decision.caseID == record.id else {
            throw CaseworkError(code: "casework.decision_not_found", reason: "case \(number.text) has no decision \(id!.rawValue.prefix(64))", category: .notFound)
        }
        guard decision.state == .proposed else {
            throw CaseworkError(code: "casework.decision_settled", reason: "the decision is \(decision.state.rawValue) already", category: .conflict)
        }
        guard decision.proposedBy != caller.user else {
            try await audit.record(caller.event(.update, "case_decision", decision.id.rawValue, outcome: .denied))
            throw CaseworkError(code: "workflow.four_eyes_same_officer", reason: "you proposed this decision; a second officer must approve or return it", category: .forbidden)
        }
        if verdict == .return {
            decision.state = .returned
            decision.returnReason = reason
            let now = self.now
            try await decisions.settle(decision, history: self.record(.decisionReturned, "Decision returned to \(decision.proposedBy): \(reason!)", by: caller.user, at: now))
            try await audit.record(caller.event(.update, "case_decision", decision.id.rawValue))
            try await handleEvent("decision.returned", on: record.id)
            return decision
        }
        return try await settle(decision, approvedBy: caller.user, record: record, rule: rule)
    }

    private func settle(_ proposed: CaseDecision, approvedBy: UserID, record: Case, rule: Workflow.DecisionRule) async throws -> CaseDecision {
        var decision = proposed
        decision.state = .approved
        decision.approvedBy = approvedBy
        decision.approvedAt = now
        let (signature, keyID) = try signer.sign(decision.signedBytes)
        decision.signature = Data(signature).base64EncodedString()
        decision.signingKey = keyID
        let label = rule.outcomes.first { $0.id == decision.outcome }?.label ?? decision.outcome
        let by = decision.proposedBy == approvedBy ? "" : " (proposed by \(decision.proposedBy), approved by \(approvedBy))"
        try await decisions.settle(decision, history: self.record(.decisionApproved, "Decision approved and signed: \(label)\(by)", by: approvedBy, at: decision.approvedAt!))
        try await audit.record(Caller(user: approvedBy).event(.update, "case_decision", decision.id.rawValue))
        try await handleEvent("decision.approved", on: record.id)
        return decision
    }

    /// The case's decisions, latest last (grounds are personal data: the read is audited).
    public func decisions(_ number: CaseNumber, by caller: Caller) async throws -> [CaseDecision] {
        try await readAudited(number, "case_decisions", by: caller) { try await decisions.all(of: $0) }
    }

    /// Whether an approved decision's signature verifies over its record.
    public func verify(_ decision: CaseDecision) -> Bool {
        guard decision.state == .approved, let signature = decision.signature.flatMap({ Data(base64Encoded: $0) }), let key = decision.signingKey else { return false }
        return signer.verify(Array(signature), over: decision.signedBytes, keyID: key)
    }
}
