import AccordCore
import AccordTesting
import Casework
import Foundation
import Identity
import Testing

/// A small workflow that has every feature the engine offers, on a Brussels calendar with Easter
/// Monday 2026 as a holiday.
enum TestWorkflow {
    static let brussels = LegalCalendar(timeZone: TimeZone(identifier: "Europe/Brussels")!, holidays: [CalendarDate("2026-04-06")!])

    static func make(version: Int = 1, withAppeal: Bool = false) -> Workflow {
        var states: [Workflow.State] = [
            .init(id: "open", label: "Open", deadline: .init(limit: DayLimit(days: 3, count: .working), remindBefore: [1], escalate: true, onExpiry: "lapse")),
            .init(id: "review", label: "Review"),
            .init(id: "done", label: "Done", final: true),
            .init(id: "lapsed", label: "Lapsed", final: true),
        ]
        var transitions: [Workflow.Transition] = [
            .init(id: "submit", label: "Submit", from: ["open"], to: "review", permission: .editCase,
                  guards: .init(fields: ["ground"], documents: [.application], tasksDone: true), sets: ["ground"],
                  effects: .init(tasks: [.init(title: "Check the file", due: DayLimit(days: 2, count: .working))], events: ["submitted"])),
            .init(id: "received", label: "Received from the partner", from: ["open"], to: "review", permission: nil, on: ["exchange.received.readmission_application"]),
            .init(id: "approve", label: "Decision approved", from: ["review"], to: "done", permission: nil, guards: .init(decision: .approved), on: ["decision.approved"]),
            .init(id: "close", label: "Close", from: ["review"], to: "done", permission: .editCase, fourEyes: true),
            .init(id: "lapse", label: "Lapse", from: ["open"], to: "lapsed", permission: nil),
        ]
        if withAppeal {
            states.append(.init(id: "appeal", label: "Appeal"))
            transitions.append(.init(id: "appeal", label: "Appeal", from: ["review"], to: "appeal", permission: .editCase))
            transitions.append(.init(id: "end_appeal", label: "End appeal", from: ["appeal"], to: "done", permission: .editCase))
        }
        return Workflow(
            caseType: .asylum, version: version, title: "Test procedure", initial: "open", states: states, transitions: transitions,
            fields: [.init(id: "ground", label: "Ground", kind: .choice, options: ["first", "second"])],
            decision: .init(outcomes: [.init(id: "granted", label: "Granted"), .init(id: "refused", label: "Refused", groundsRequired: true)], fourEyes: true)
        )
    }

    static func engine(_ workflows: [Workflow] = [make()]) throws -> WorkflowEngine {
        WorkflowEngine(catalog: try WorkflowCatalog(workflows), calendars: OfficeCalendars(fallback: brussels))
    }

    /// Noon in Brussels on `day`.
    static func noon(_ day: String) -> Date {
        brussels.start(of: CalendarDate(day)!).addingTimeInterval(12 * 3_600)
    }
}

@Suite struct WorkflowEngineTests {
    let engine = try! TestWorkflow.engine()
    let office = OfficeCode("HQ-ASYLUM")!

    func record(state: String = "open", entered: String = "2026-04-02", version: Int = 1) -> Case {
        let workflow = engine.catalog.workflow(.asylum, version: version)!
        let day = CalendarDate(entered)!
        return Case(
            id: Case.ID(), number: CaseNumber(type: .asylum, year: 2026, sequence: 1)!, state: state, workflowVersion: version,
            stateEnteredAt: TestWorkflow.noon(entered), deadline: workflow.state(state).flatMap { engine.deadline(of: $0, enteredOn: day, at: office) },
            office: office, assignedOfficer: nil, title: nil, parties: [], openedAt: TestWorkflow.noon(entered), updatedAt: TestWorkflow.noon(entered), version: 1
        )
    }

    @Test func workingDayDeadlinesSkipWeekendsAndHolidays() throws {
        // Entered on Thursday 2 April 2026: Friday 3 (1), Easter Monday 6 is a holiday, Tuesday 7 (2), Wednesday 8 (3).
        let open = record()
        #expect(open.deadline == CalendarDate("2026-04-08"))
        let timers = try engine.timers(of: open)
        #expect(timers == [StateTimer(kind: .reminder(daysBefore: 1), on: CalendarDate("2026-04-07")!), StateTimer(kind: .expiry, on: CalendarDate("2026-04-09")!)])
        // A calendar-day limit ending on a Saturday rolls to Monday.
        let calendarLimit = Workflow.State(id: "x", label: "X", deadline: .init(limit: DayLimit(days: 2, count: .calendar)))
        #expect(engine.deadline(of: calendarLimit, enteredOn: CalendarDate("2026-03-05")!, at: office) == CalendarDate("2026-03-09"))
        var fired = open
        fired.timersFired = 1
        #expect(try engine.dueTimers(of: fired, today: CalendarDate("2026-04-07")!).isEmpty)
        #expect(try engine.dueTimers(of: fired, today: CalendarDate("2026-04-20")!).map(\.kind) == [.expiry])
        #expect(try engine.dueTimers(of: open, today: CalendarDate("2026-04-20")!).count == 2)
    }

    @Test func daysAreTakenInTheOfficesZoneAcrossDaylightSavingTime() {
        // 23:30 UTC on 28 March 2026 is 00:30 on the 29th in Brussels (winter time, UTC+1);
        // 22:30 UTC on 24 October is 00:30 on the 25th (summer time, UTC+2).
        #expect(engine.day(of: Date(timeIntervalSince1970: 1_774_740_600), at: office) == CalendarDate("2026-03-29"))
        #expect(engine.day(of: Date(timeIntervalSince1970: 1_792_881_000), at: office) == CalendarDate("2026-10-25"))
        // The day after the clocks go forward starts 23 hours after the one before.
        let calendar = TestWorkflow.brussels
        #expect(calendar.start(of: CalendarDate("2026-03-30")!).timeIntervalSince(calendar.start(of: CalendarDate("2026-03-29")!)) == 23 * 3_600)
        // A deadline entered the evening before the change counts whole days all the same.
        let state = Workflow.State(id: "x", label: "X", deadline: .init(limit: DayLimit(days: 1, count: .calendar), rollForward: false))
        #expect(engine.deadline(of: state, enteredOn: CalendarDate("2026-03-28")!, at: office) == CalendarDate("2026-03-29"))
    }

    @Test func guardsSayWhatIsMissing() throws {
        let workflow = try engine.catalog.workflow(of: record())
        let submit = workflow.transition("submit")!
        let unmet = engine.unmet(submit, in: workflow, facts: CaseFacts(openTasks: 2))
        #expect(unmet.map(\.code) == ["workflow.field_missing", "workflow.document_missing", "workflow.tasks_open"])
        #expect(unmet[0].message == "Ground must be filled in" && unmet[1].subject == "application")
        #expect(engine.unmet(submit, in: workflow, facts: CaseFacts(fields: ["ground": "first"], documentKinds: [.application])).isEmpty)
        let approve = workflow.transition("approve")!
        #expect(engine.unmet(approve, in: workflow, facts: CaseFacts()).map(\.code) == ["workflow.decision_not_approved"])
    }

    @Test func onlyTransitionsTheCallerMayTakeAreOffered() throws {
        let open = record()
        let all = try engine.options(for: open, facts: CaseFacts()) { _ in true }
        // System-only transitions (events, timers) are never offered by hand.
        #expect(all.map(\.id) == ["submit"])
        #expect(try engine.options(for: open, facts: CaseFacts()) { $0 == .viewCase }.isEmpty)
        let review = record(state: "review")
        #expect(try engine.options(for: review, facts: CaseFacts()) { _ in true }.map { "\($0.id):\($0.fourEyes)" } == ["close:true"])
    }

    @Test func eventsTakeTheFirstTransitionWhoseGuardsHold() throws {
        #expect(try engine.transition(triggeredBy: "exchange.received.readmission_application", for: record(), facts: CaseFacts())?.id == "received")
        #expect(try engine.transition(triggeredBy: "exchange.received.withdrawal", for: record(), facts: CaseFacts()) == nil)
        #expect(try engine.transition(triggeredBy: "decision.approved", for: record(state: "review"), facts: CaseFacts()) == nil)
    }

    @Test func validationFindsBrokenWorkflows() {
        var broken = TestWorkflow.make()
        broken.states.append(.init(id: "island", label: "Island"))
        broken.transitions.append(.init(id: "loop", label: "Loop", from: ["review"], to: "nowhere", permission: .editCase))
        broken.transitions[0].guards.fields.append("colour")
        broken.transitions[0].effects.tasks.append(.init(title: "x", role: "wizards"))
        let codes = Set(broken.problems(roles: ["supervisor"]).map(\.code))
        #expect(codes.isSuperset(of: ["workflow.unreachable_state", "workflow.dead_end", "workflow.unknown_state", "workflow.unknown_field", "workflow.unknown_role"]))
        #expect(TestWorkflow.make().problems(roles: ["supervisor"]).filter { $0.severity == .error }.isEmpty)
    }
}
