public import AccordCore
public import Exchange

/// A readmission agreement as data (Profiles/agreements/*.yaml): who the parties are, their
/// calendars, the time limits and what counts as evidence. Each agreement's numbers differ, so
/// none of them live in code. The `id` is the agreement the federation configuration routes by.
public struct AgreementProfile: Sendable, Equatable {
    public var id: String
    public var title: String
    public var version: String
    public var effectiveFrom: CalendarDate
    /// Exactly two parties; either may request readmission from the other.
    public var parties: [Party]
    /// How long the requested party has to reply, from the signed receipt of the application.
    public var replyLimit: TimeLimit
    /// The limit in the accelerated procedure (e.g. persons apprehended in the border region).
    public var acceleratedReplyLimit: TimeLimit?
    /// An extension the requested party may claim once, with a justification.
    public var extensionLimit: TimeLimit?
    /// Whether an open information request stops the reply clock until it is answered.
    public var informationRequestSuspendsClock: Bool
    /// Whether silence past the reply limit counts as acceptance.
    public var silenceMeansAcceptance: Bool
    /// Whether a limit ending on a non-working day moves to the next working day.
    public var rollForwardToWorkingDay: Bool
    /// The transfer must take place within this period after approval.
    public var transferWindow: TimeLimit
    /// The requesting party notifies a transfer at least this long before departure.
    public var transferNotice: TimeLimit
    /// Reminders to the requested party, in working days before the reply is due.
    public var reminderWorkingDays: [Int]
    /// The case goes to a supervisor this many working days before the reply is due.
    public var escalationWorkingDays: Int
    /// Evidence of nationality, by strength (the agreement's annexes).
    public var proofEvidence: [String]
    public var primaFacieEvidence: [String]
    /// Languages the parties exchange in.
    public var languages: [LanguageCode]

    public init(
        id: String, title: String, version: String, effectiveFrom: CalendarDate, parties: [Party], replyLimit: TimeLimit,
        acceleratedReplyLimit: TimeLimit? = nil, extensionLimit: TimeLimit? = nil, informationRequestSuspendsClock: Bool = false,
        silenceMeansAcceptance: Bool = false, rollForwardToWorkingDay: Bool = true, transferWindow: TimeLimit, transferNotice: TimeLimit,
        reminderWorkingDays: [Int] = [], escalationWorkingDays: Int = 1, proofEvidence: [String] = [], primaFacieEvidence: [String] = [],
        languages: [LanguageCode] = []
    ) {
        self.id = id
        self.title = title
        self.version = version
        self.effectiveFrom = effectiveFrom
        self.parties = parties
        self.replyLimit = replyLimit
        self.acceleratedReplyLimit = acceleratedReplyLimit
        self.extensionLimit = extensionLimit
        self.informationRequestSuspendsClock = informationRequestSuspendsClock
        self.silenceMeansAcceptance = silenceMeansAcceptance
        self.rollForwardToWorkingDay = rollForwardToWorkingDay
        self.transferWindow = transferWindow
        self.transferNotice = transferNotice
        self.reminderWorkingDays = reminderWorkingDays
        self.escalationWorkingDays = escalationWorkingDays
        self.proofEvidence = proofEvidence
        self.primaFacieEvidence = primaFacieEvidence
        self.languages = languages
    }

    /// A party: the federation participant acting for it, and the calendar its limits run on.
    public struct Party: Sendable, Equatable {
        public var participant: ParticipantID
        public var name: String
        public var country: CountryCode
        public var calendar: LegalCalendar

        public init(participant: ParticipantID, name: String, country: CountryCode, calendar: LegalCalendar) {
            self.participant = participant
            self.name = name
            self.country = country
            self.calendar = calendar
        }
    }

    /// A number of calendar or working days.
    public typealias TimeLimit = DayLimit

    public func party(_ participant: ParticipantID) -> Party? {
        parties.first { $0.participant == participant }
    }

    /// The other party of the agreement, seen from `participant`.
    public func partner(of participant: ParticipantID) -> Party? {
        guard party(participant) != nil else { return nil }
        return parties.first { $0.participant != participant }
    }

    /// The party that must reply in `readmission`: the partner when this side requested, this side otherwise.
    public func requestedParty(of readmission: ReadmissionCase) -> Party? {
        readmission.role == .requesting ? party(readmission.partner) : partner(of: readmission.partner)
    }

    /// The calendar the reply limit of `readmission` runs on.
    public func replyCalendar(of readmission: ReadmissionCase) -> LegalCalendar {
        requestedParty(of: readmission)?.calendar ?? LegalCalendar(timeZone: .gmt)
    }

    /// The reply limit for `procedure` (`normal` or `accelerated`).
    public func replyLimit(procedure: String) -> TimeLimit {
        procedure == "accelerated" ? (acceleratedReplyLimit ?? replyLimit) : replyLimit
    }

    /// `proof`, `prima_facie`, or nil when the agreement does not list the evidence kind.
    public func strength(ofEvidence kind: String) -> String? {
        if proofEvidence.contains(kind) { return "proof" }
        if primaFacieEvidence.contains(kind) { return "prima_facie" }
        return nil
    }
}
