public import Foundation

/// A number of calendar or working days: a statutory time limit.
public struct DayLimit: Sendable, Equatable, Hashable, CustomStringConvertible {
    public enum Count: String, Sendable, CaseIterable {
        case calendar, working
    }

    public var days: Int
    public var count: Count

    public init(days: Int, count: Count) {
        self.days = days
        self.count = count
    }

    public var description: String { "\(days) \(count.rawValue) days" }
}

/// The calendar a party's time limits run on: its time zone, its weekend and its public
/// holidays. Pure arithmetic on dates; the instant a day starts is taken in the party's zone.
public struct LegalCalendar: Sendable, Equatable {
    public var timeZone: TimeZone
    /// ISO weekdays that are not working days (1 = Monday … 7 = Sunday).
    public var weekend: Set<Int>
    public var holidays: [CalendarDate]

    public init(timeZone: TimeZone, weekend: Set<Int> = [6, 7], holidays: [CalendarDate] = []) {
        self.timeZone = timeZone
        self.weekend = weekend
        self.holidays = holidays
    }

    public func isWorkingDay(_ date: CalendarDate) -> Bool {
        !weekend.contains(date.isoWeekday) && !holidays.contains(date)
    }

    /// The date on which `instant` falls in this calendar's zone.
    public func date(of instant: Date) -> CalendarDate {
        CalendarDate(instant, timeZone: timeZone)
    }

    /// The instant `date` begins in this calendar's zone (DST-aware).
    public func start(of date: CalendarDate) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(year: date.year, month: date.month, day: date.day)
        return calendar.date(from: components) ?? Date(timeIntervalSince1970: 0)
    }

    /// The instant `date` ends: the start of the next day.
    public func end(of date: CalendarDate) -> Date {
        start(of: date.adding(days: 1))
    }

    /// The day on which a limit of `limit` days, counted from the day after `start`, ends.
    /// Days for which `isSuspended` is true do not count. A calendar-day limit that ends on a
    /// non-working day moves to the next working day when `rollForward` is set.
    public func add(_ limit: DayLimit, after start: CalendarDate, rollForward: Bool = true,
                    isSuspended: (CalendarDate) -> Bool = { _ in false }) -> CalendarDate {
        var day = start
        var counted = 0
        while counted < limit.days {
            day = day.adding(days: 1)
            if isSuspended(day) { continue }
            if limit.count == .working && !isWorkingDay(day) { continue }
            counted += 1
        }
        if rollForward { while !isWorkingDay(day) { day = day.adding(days: 1) } }
        return day
    }

    /// The working day `days` working days before `date`.
    public func workingDays(_ days: Int, before date: CalendarDate) -> CalendarDate {
        var day = date
        var counted = 0
        while counted < days {
            day = day.adding(days: -1)
            if isWorkingDay(day) { counted += 1 }
        }
        return day
    }

    /// Working days from the day after `from` up to and including `to` (negative when `to` is before `from`).
    public func workingDays(from: CalendarDate, to: CalendarDate) -> Int {
        if to < from { return -workingDays(from: to, to: from) }
        var day = from
        var count = 0
        while day < to {
            day = day.adding(days: 1)
            if isWorkingDay(day) { count += 1 }
        }
        return count
    }
}

extension CalendarDate {
    /// Days since 1970-01-01 (proleptic Gregorian).
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public init(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let d = dayOfYear - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yearOfEra + era * 400 + (m <= 2 ? 1 : 0)
        self = CalendarDate(year: y, month: m, day: d)!
    }

    public func adding(days: Int) -> CalendarDate {
        CalendarDate(daysSinceEpoch: daysSinceEpoch + days)
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var isoWeekday: Int {
        // 1970-01-01 was a Thursday (4).
        ((daysSinceEpoch % 7 + 7) % 7 + 3) % 7 + 1
    }
}
