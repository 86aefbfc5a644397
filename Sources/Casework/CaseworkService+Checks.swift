import AccordCore
import Foundation
import Identity

extension CaseworkService {
    // MARK: Checks against national systems

    /// Asks the national systems about the person again (police documents and watchlist, border
    /// history) and keeps the answers; a police hit opens the workflow's reaction on each of
    /// their open cases (a task for a supervisor).
    public func runChecks(_ id: Person.ID, by caller: Caller) async throws -> [PersonCheck] {
        try await authorize(caller, .editPerson, try await resources(ofPerson: id), .update, "person", id.rawValue)
        let person = try await load(id)
        return try await recordChecks(of: person, by: caller)
    }

    /// What the national systems said about the person, newest first (audited as a read of personal data).
    public func checks(of id: Person.ID, by caller: Caller) async throws -> [PersonCheck] {
        try await authorize(caller, .viewPerson, try await resources(ofPerson: id), .read, "person_checks", id.rawValue, personal: true)
        let found = try await personChecks?.checks(of: id, limit: 100) ?? []
        try await audit.record(caller.event(.read, "person_checks", id.rawValue))
        return found
    }

    /// Whether checks can run at all on this node.
    public var reachesNationalSystems: Bool { checker != nil }

    func recordChecks(of person: Person, by caller: Caller) async throws -> [PersonCheck] {
        guard let checker else { return [] }
        let purpose = caller.purpose ?? "registration checks"
        let results = await checker.check(person, requestedBy: caller.user, role: caller.role, purpose: purpose)
        let (checks, _) = try await keep(results, of: person.id, by: caller)
        try await audit.record(caller.event(.create, "person_checks", person.id.rawValue))
        return checks
    }

    /// Keeps `results` as checks of the person, then runs the workflows' reaction to each
    /// alarming one on the person's open cases. Returns the checks and what the reactions did.
    func keep(_ results: [PersonCheckResult], of person: Person.ID, by caller: Caller) async throws -> ([PersonCheck], [AgencyOutcome.Effect]) {
        let checks = results.map {
            PersonCheck(id: .init(ids.next()), personID: person, source: $0.source, kind: $0.kind, check: $0.check, at: $0.at.truncatedToMilliseconds,
                        outcome: $0.outcome, reference: $0.reference, detail: $0.detail, problem: $0.problem, requestedBy: caller.user)
        }
        try await personChecks?.add(checks)
        var effects: [AgencyOutcome.Effect] = []
        for check in checks {
            guard let event = check.workflowEvent else { continue }
            for record in try await cases.list(CaseFilter(open: true, personID: person, limit: CaseFilter.maximumLimit)).cases {
                if try await react(to: event, on: record.id, summary: "\(check.source): \(check.detail)", by: caller) != nil {
                    effects.append(.init(caseNumber: record.number.text, effect: "reaction:\(event)"))
                }
            }
        }
        return (checks, effects)
    }
}
