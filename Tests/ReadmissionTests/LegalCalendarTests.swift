import AccordCore
import Foundation
import Readmission
import Testing

/// Date arithmetic of the legal clocks at fixed dates: weekdays, working days across holidays,
/// the start and end of a day in a zone (including the day DST begins).
@Suite struct LegalCalendarTests {
    static func date(_ text: String) -> CalendarDate { CalendarDate(text)! }
    static func instant(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    static let morocco = LegalCalendar(timeZone: TimeZone(identifier: "Africa/Casablanca")!, holidays: ["2026-03-20", "2026-03-21", "2026-05-01"].map(date))
    static let belgium = LegalCalendar(timeZone: TimeZone(identifier: "Europe/Brussels")!, holidays: ["2026-04-06", "2026-05-01"].map(date))

    @Test func weekdaysAndEpochDays() {
        #expect(Self.date("1970-01-01").isoWeekday == 4)
        #expect(Self.date("2026-11-22").isoWeekday == 7)
        #expect(Self.date("2026-04-21").isoWeekday == 2)
        #expect(Self.date("2024-02-29").adding(days: 1) == Self.date("2024-03-01"))
        #expect(Self.date("2026-12-31").adding(days: 1) == Self.date("2027-01-01"))
        #expect(Self.date("2026-03-01").adding(days: -1) == Self.date("2026-02-28"))
        for days in stride(from: -700_000, through: 2_000_000, by: 12_347) {
            #expect(CalendarDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
    }

    @Test func workingDaysSkipWeekendsAndHolidays() {
        // Wednesday 18 March; Eid on Friday 20 and Saturday 21: the 2nd working day is Monday 23.
        #expect(Self.morocco.add(.init(days: 2, count: .working), after: Self.date("2026-03-18")) == Self.date("2026-03-23"))
        // Calendar days ignore holidays, but a limit ending on one moves to the next working day.
        #expect(Self.morocco.add(.init(days: 2, count: .calendar), after: Self.date("2026-03-18")) == Self.date("2026-03-23"))
        #expect(Self.morocco.add(.init(days: 2, count: .calendar), after: Self.date("2026-03-18"), rollForward: false) == Self.date("2026-03-20"))
        // Belgium: Easter Monday 6 April 2026.
        #expect(Self.belgium.add(.init(days: 3, count: .working), after: Self.date("2026-04-02")) == Self.date("2026-04-08"))
        #expect(Self.belgium.workingDays(3, before: Self.date("2026-04-08")) == Self.date("2026-04-02"))
        #expect(Self.belgium.workingDays(from: Self.date("2026-04-02"), to: Self.date("2026-04-08")) == 3)
        #expect(Self.belgium.workingDays(from: Self.date("2026-04-08"), to: Self.date("2026-04-02")) == -3)
    }

    @Test func daysBeginInTheirZoneAcrossDST() {
        // Brussels moves to summer time on Sunday 29 March 2026: that day has 23 hours.
        #expect(Self.belgium.start(of: Self.date("2026-03-29")) == Self.instant("2026-03-28T23:00:00Z"))
        #expect(Self.belgium.end(of: Self.date("2026-03-29")) == Self.instant("2026-03-29T22:00:00Z"))
        // 23:30 UTC on 31 March is already 1 April in Brussels, still 31 March in UTC.
        #expect(Self.belgium.date(of: Self.instant("2026-03-31T23:30:00Z")) == Self.date("2026-04-01"))
        let tbilisi = LegalCalendar(timeZone: TimeZone(identifier: "Asia/Tbilisi")!)
        #expect(tbilisi.date(of: Self.instant("2026-04-08T21:30:00Z")) == Self.date("2026-04-09"))
    }

    @Test func suspendedDaysDoNotCount() {
        let suspended = Self.date("2026-05-11")...Self.date("2026-05-15")
        let due = Self.morocco.add(.init(days: 30, count: .calendar), after: Self.date("2026-05-04")) { suspended.contains($0) }
        #expect(due == Self.date("2026-06-08"))
    }
}
