public import Casework
import Crypto
import Foundation
import Identity
import SQLKit

/// Decisions in SQL; grounds are sealed under the case principal's key (erased with them).
public struct SQLDecisionRepository: DecisionRepository {
    let store: SQLStore
    let cipher: FieldCipher

    public init(store: SQLStore, cipher: FieldCipher) {
        self.store = store
        self.cipher = cipher
    }

    static func context(_ id: CaseDecision.ID) -> String { "decision-grounds:\(id)" }

    public func latest(of caseID: Case.ID) async throws -> CaseDecision? {
        try await all(of: caseID).last
    }

    public func all(of caseID: Case.ID) async throws -> [CaseDecision] {
        let rows = try await store.database.raw("SELECT * FROM case_decisions WHERE case_id = \(bind: caseID.rawValue) ORDER BY proposed_at, id").all()
        guard !rows.isEmpty else { return [] }
        let key = try await SQLCaseRepository.principalKey(of: caseID, cipher: cipher, in: store.database)
        return try rows.map { try Self.decision($0, key: key) }
    }

    public func decision(_ id: CaseDecision.ID) async throws -> CaseDecision? {
        guard let row = try await store.database.raw("SELECT * FROM case_decisions WHERE id = \(bind: id.rawValue)").first() else { return nil }
        let key = try await SQLCaseRepository.principalKey(of: try row.parsed("case_id", Case.ID.init), cipher: cipher, in: store.database)
        return try Self.decision(row, key: key)
    }

    public func insert(_ decision: CaseDecision, history: HistoryRecord) async throws {
        let cipher = self.cipher
        try await store.transaction { db in
            guard let key = try await SQLCaseRepository.principalKey(of: decision.caseID, cipher: cipher, in: db) else {
                throw CaseworkError.personErased("principal of case \(decision.caseID)")
            }
            try await CaseHistoryWriter.append([history], to: decision.caseID, key: key, in: db)
            let grounds = try FieldCipher.seal(decision.grounds, key: key, context: Self.context(decision.id))
            try await db.raw("""
                INSERT INTO case_decisions (id, case_id, case_number, workflow_version, outcome, grounds, legal_basis, proposed_by,
                                            proposed_at, state, approved_by, approved_at, return_reason, signature, signing_key)
                VALUES (\(bind: decision.id.rawValue), \(bind: decision.caseID.rawValue), \(bind: decision.caseNumber.text),
                        \(bind: decision.workflowVersion), \(bind: decision.outcome), \(bind: grounds), \(bind: decision.legalBasis),
                        \(bind: decision.proposedBy.rawValue), \(bind: decision.proposedAt.millisecondsSince1970), \(bind: decision.state.rawValue),
                        NULL, NULL, NULL, NULL, NULL)
                """).run()
        }
    }

    public func settle(_ decision: CaseDecision, history: HistoryRecord) async throws {
        let cipher = self.cipher
        try await store.transaction { db in
            let reason = try await SQLCaseRepository.principalKey(of: decision.caseID, cipher: cipher, in: db).map {
                try FieldCipher.seal(decision.returnReason, key: $0, context: Self.context(decision.id) + ":return")
            } ?? nil
            let rows = try await db.raw("""
                UPDATE case_decisions SET state = \(bind: decision.state.rawValue), approved_by = \(bind: decision.approvedBy?.rawValue),
                       approved_at = \(bind: decision.approvedAt?.millisecondsSince1970), return_reason = \(bind: reason),
                       signature = \(bind: decision.signature), signing_key = \(bind: decision.signingKey)
                WHERE id = \(bind: decision.id.rawValue) AND state = 'proposed'
                RETURNING id
                """).all()
            guard !rows.isEmpty else {
                throw CaseworkError(code: "casework.decision_settled", reason: "the decision was approved or returned meanwhile", category: .conflict)
            }
            let key = try await SQLCaseRepository.principalKey(of: decision.caseID, cipher: cipher, in: db)
            try await CaseHistoryWriter.append([history], to: decision.caseID, key: key, in: db)
        }
    }

    static func decision(_ row: any SQLRow, key: SymmetricKey?) throws -> CaseDecision {
        let id = try row.parsed("id", CaseDecision.ID.init)
        return CaseDecision(
            id: id, caseID: try row.parsed("case_id", Case.ID.init), caseNumber: try row.parsed("case_number") { try? CaseNumber(parsing: $0) },
            workflowVersion: try row.integer("workflow_version"), outcome: try row.text("outcome"),
            grounds: try FieldCipher.openText(row.optionalText("grounds"), key: key, context: context(id)),
            legalBasis: try row.optionalText("legal_basis"), proposedBy: try row.parsed("proposed_by", UserID.init),
            proposedAt: try row.date("proposed_at"), state: try row.parsed("state", CaseDecision.State.init(rawValue:)),
            approvedBy: try row.optionalParsed("approved_by", UserID.init), approvedAt: try row.optionalDate("approved_at"),
            returnReason: try FieldCipher.openText(row.optionalText("return_reason"), key: key, context: context(id) + ":return"),
            signature: try row.optionalText("signature"), signingKey: try row.optionalText("signing_key")
        )
    }
}
