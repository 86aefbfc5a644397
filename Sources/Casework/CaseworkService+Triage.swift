public import AccordCore
import Foundation
public import Identity

/// Differentiated processing: the case type's triage rules put a case on a track after the
/// transitions they name; the rule that fired is recorded with its reasons; a supervisor may
/// override the track, with a reason; similar profiles' recognition rate is shown beside it.
extension CaseworkService {
    public func triageRules(for type: CaseType) -> TriageRules? {
        engine.triage[type]
    }

    /// What the rules look at: the principal's nationality, sex and age (from the date of birth,
    /// the youngest the person can be when it is partial), the claim's fields and how many earlier
    /// cases of the same type the person has.
    func triageFacts(_ record: Case) async throws -> TriageFacts {
        var facts = TriageFacts(claimType: record.fields["claimType"], specificNeeds: record.fields["specificNeeds"])
        guard let principal = record.principal, let person = try await persons.persons([principal])[principal] else { return facts }
        facts.nationality = person.details.nationality?.rawValue
        facts.sex = person.details.sex.rawValue
        if let born = person.details.dateOfBirth { facts.age = Self.age(born: born, on: today) }
        facts.previousApplications = try await cases.list(CaseFilter(personID: principal, limit: CaseFilter.maximumLimit)).cases
            .filter { $0.type == record.type && $0.id != record.id && $0.openedAt < record.openedAt }.count
        return facts
    }

    /// Whole years; for a partial date the latest birthday it may stand for (benefit of the doubt for minors).
    public static func age(born: PartialDate, on day: CalendarDate) -> Int {
        let month = born.month ?? 12
        let birthday = born.day ?? CalendarDate.daysIn(month: month, year: born.year)
        var years = day.year - born.year
        if (day.month, day.day) < (month, birthday) { years -= 1 }
        return max(0, years)
    }

    /// The history entry and event of running the rules, applied to `next` (unless overridden).
    func runTriage(on next: inout Case, rules: TriageRules, by actor: UserID, at now: Date) async throws -> (HistoryRecord, CaseEvent)? {
        guard next.triage?.overriddenBy == nil else { return nil }
        let result = rules.evaluate(try await triageFacts(next))
        next.triage = CaseTriage(track: result.track, rule: result.rule)
        next.fields[rules.field] = result.track
        var summary = "Triage (rules version \(rules.version)): \(result.label) → \(result.track) track"
        if !result.reasons.isEmpty { summary += ". Because " + result.reasons.joined(separator: "; ") }
        return (record(.triaged, summary, by: actor, at: now),
                CaseEvent(id: .init(ids.next()), caseID: next.id, name: "triage.\(result.track)", at: now, actor: actor, source: "triage:\(result.rule ?? "default")"))
    }

    /// A supervisor puts the case on another track, saying why; the rules no longer move it.
    public func overrideTriage(_ number: CaseNumber, track: String?, reason: String?, expectedVersion: Int?, by caller: Caller) async throws -> Case {
        let record = try await load(number)
        guard let rules = engine.triage[record.type] else {
            throw CaseworkError(code: "triage.not_applicable", reason: "\(record.type.label) cases have no triage rules", category: .conflict)
        }
        try await authorize(caller, .reassign, [resource(record)], .update, "case", record.id.rawValue)
        var v = Validation()
        let options = try workflow(of: record).field(rules.field)?.options ?? []
        let track = v.text(track, at: "track", required: true, maxLength: 40)
        if let track, !options.contains(track) { v.fail("triage.unknown_track", "the track is one of \(options.joined(separator: ", "))", at: "track") }
        let reason = v.text(reason, at: "reason", maxLength: 1000)
        if reason == nil { v.fail("triage.reason_required", "say why the track is overridden", at: "reason") }
        if expectedVersion == nil { v.fail("casework.missing_field", "expectedVersion is required", at: "expectedVersion") }
        try v.finish()
        guard record.version == expectedVersion! else { throw CaseworkError.versionConflict(expected: expectedVersion!, actual: record.version) }
        let now = self.now
        var next = record
        let previous = record.triage?.track ?? "none"
        next.triage = CaseTriage(track: track!, rule: record.triage?.rule, overriddenBy: caller.user)
        next.fields[rules.field] = track!
        next.updatedAt = now
        let history = self.record(.triaged, "Track overridden: \(previous) → \(track!). Reason: \(reason!)", by: caller.user, at: now)
        let event = CaseEvent(id: .init(ids.next()), caseID: record.id, name: "triage.overridden", at: now, actor: caller.user, source: "override")
        let updated = try await cases.update(next, expectedVersion: record.version, change: CaseChange(history: [history], events: [event], nextTimer: try engine.nextTimer(of: record)))
        try await audit.record(caller.event(.update, "case", updated.id.rawValue))
        return updated
    }

    /// How the cases the same rule put on their track were decided (no rate under five).
    public func triageInsight(_ record: Case) async throws -> TriageInsight? {
        guard let rules = engine.triage[record.type], let rule = record.triage?.rule else { return nil }
        let outcomes = try await cases.decisionOutcomes(triageRule: rule, caseType: record.type)
        return TriageInsight(decided: outcomes.values.reduce(0, +), recognised: rules.recognition.reduce(0) { $0 + (outcomes[$1] ?? 0) })
    }
}
