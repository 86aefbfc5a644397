public import AccordCore
public import Foundation

/// The legal clock of a case under its agreement: when the reply is due, when reminders and
/// escalation fall, and by when an accepted person must be transferred. Computed, never stored:
/// from the signed receipt time of the application, the requested party's calendar and the
/// suspensions the agreement allows.
public struct ReadmissionClock: Sendable, Equatable {
    public enum State: String, Sendable {
        /// Waiting for the partner's receipt: nothing runs yet.
        case notStarted = "not_started"
        case running
        /// An information request stops the clock (where the agreement says so).
        case suspended
        /// A reply came in time.
        case met
        /// No reply by the limit.
        case overdue
        /// No reply by the limit, which the agreement treats as acceptance.
        case deemedAccepted = "deemed_accepted"
        case stopped
    }

    public let state: State
    public let startedAt: Date?
    /// The last day of the reply limit, in the requested party's calendar.
    public let dueDate: CalendarDate?
    /// The instant the limit ends (the end of `dueDate` in the requested party's zone).
    public let dueAt: Date?
    /// Working days left until the limit (0 on the last day, negative when past).
    public let workingDaysLeft: Int?
    public let reminderDates: [CalendarDate]
    public let escalationDate: CalendarDate?
    /// The last day of the transfer window, once the person is accepted.
    public let transferDeadline: CalendarDate?
    public let limit: AgreementProfile.TimeLimit
    /// The requested party's calendar, which all the dates above are in.
    public let calendar: LegalCalendar

    /// The clock of `readmission` under `profile` at `now`.
    public init(of readmission: ReadmissionCase, profile: AgreementProfile, now: Date) {
        let calendar = profile.replyCalendar(of: readmission)
        self.calendar = calendar
        var limit = profile.replyLimit(procedure: readmission.procedure)
        if readmission.extensionClaimed != nil, let extensionLimit = profile.extensionLimit, extensionLimit.count == limit.count {
            limit.days += extensionLimit.days
        }
        self.limit = limit
        self.startedAt = readmission.clockStartedAt
        guard let started = readmission.clockStartedAt else {
            (state, dueDate, dueAt, workingDaysLeft, reminderDates, escalationDate, transferDeadline) = (.notStarted, nil, nil, nil, [], nil, nil)
            return
        }
        let suspended: [ClosedRange<CalendarDate>] = profile.informationRequestSuspendsClock ? readmission.suspensions.map { period in
            // The day the request arrives still counts; the clock resumes the day after the answer arrives.
            let from = calendar.date(of: period.from).adding(days: 1)
            // An open request: the due date shown is the one if it were answered today.
            let to = calendar.date(of: period.to ?? now)
            return from...max(from, to)
        } : []
        let due = calendar.add(limit, after: calendar.date(of: started), rollForward: profile.rollForwardToWorkingDay) { day in
            suspended.contains { $0.contains(day) }
        }
        let dueAt = calendar.end(of: due)
        self.dueDate = due
        self.dueAt = dueAt
        self.workingDaysLeft = calendar.workingDays(from: calendar.date(of: now), to: due)
        self.reminderDates = profile.reminderWorkingDays.sorted(by: >).map { calendar.workingDays($0, before: due) }
        self.escalationDate = calendar.workingDays(profile.escalationWorkingDays, before: due)
        if let accepted = readmission.acceptedAt {
            let window = calendar.add(profile.transferWindow, after: calendar.date(of: accepted), rollForward: false)
            self.transferDeadline = window
        } else {
            self.transferDeadline = nil
        }
        let status = readmission.status
        if status == .deemedAccepted {
            state = .deemedAccepted
        } else if let decided = readmission.decisionAt, status.isAccepted || status == .rejected {
            state = decided < dueAt ? .met : .overdue
        } else if status == .withdrawn {
            state = .stopped
        } else if now >= dueAt {
            state = profile.silenceMeansAcceptance ? .deemedAccepted : .overdue
        } else if readmission.suspensions.last.map({ $0.to == nil }) == true && profile.informationRequestSuspendsClock {
            state = .suspended
        } else {
            state = .running
        }
    }
}
