public import AccordCore
public import Exchange
public import Foundation
public import Readmission

/// Two readmission desks joined without a hub: what one submits is verified and recorded at the other at
/// once, with a real signed receipt, at the shared manual clock's time.
public actor Loopback {
    let clock: ManualWallClock
    var stores: [ParticipantID: InMemoryReadmissionStore] = [:]
    var desks: [ParticipantID: ReadmissionDesk] = [:]
    var identities: [ParticipantID: TestIdentity] = [:]
    var receipts: [Message.ID: ([UInt8], Date)] = [:]
    /// While false, submissions fail as if the hub were unreachable.
    var reachable = true

    public init(clock: ManualWallClock) {
        self.clock = clock
    }

    public func join(_ identity: TestIdentity, store: InMemoryReadmissionStore) {
        identities[identity.participant] = identity
        stores[identity.participant] = store
    }

    /// The desk that takes what `participant` receives into its cases.
    public func attach(_ desk: ReadmissionDesk) {
        desks[desk.participant] = desk
    }

    public func setReachable(_ value: Bool) { reachable = value }

    var trust: InMemoryTrustStore { InMemoryTrustStore(identities.values.map(\.trusted)) }

    public func deliver(_ signed: [UInt8]) async throws -> SubmissionResult {
        guard reachable else { throw ReadmissionError(code: "test.unreachable", reason: "the hub is down") }
        let inbound = try MessageCodec.open(signed, trust: trust, now: nil)
        let envelope = inbound.message.envelope
        guard let recipient = identities[envelope.recipient], let desk = desks[envelope.recipient] else { return .refused(code: "federation.unknown_participant", message: "") }
        let now = clock.now.truncatedToMilliseconds
        let receipt = try await ReceiptIssuer(signer: recipient.signer, store: InMemoryReceiptStore(), clock: clock).receipt(for: inbound, at: now)
        try await desk.receive(Arrival(message: inbound.message, bytes: signed, digest: inbound.digest, receipt: receipt, receivedAt: now))
        receipts[envelope.messageID] = (receipt, now)
        return .accepted
    }

    public func track(_ signed: [UInt8]) throws -> TrackingResult {
        let message = try MessageCodec.open(signed, trust: trust, now: nil).message
        guard let (receipt, at) = receipts[message.envelope.messageID] else { return TrackingResult(delivery: .queued) }
        _ = try ReceiptIssuer.check(receipt, for: signed, message: message, trust: trust)
        return TrackingResult(delivery: .delivered, receipt: receipt, receivedAt: at)
    }
}

public struct LoopbackTransport: ReadmissionTransport {
    public let loopback: Loopback

    public init(loopback: Loopback) {
        self.loopback = loopback
    }

    public func submit(_ signed: [UInt8]) async throws -> SubmissionResult { try await loopback.deliver(signed) }
    public func track(_ signed: [UInt8]) async throws -> TrackingResult { try await loopback.track(signed) }
    public func reaches(_ participant: ParticipantID) async -> Bool { await loopback.identities[participant] != nil }
    /// Delivery is immediate: nothing waits in an inbox.
    public func arrivals(limit: Int) async throws -> [Arrival] { [] }
    public func taken(_ arrival: Arrival, problem: String?) async throws {}
    public func waitForArrivals(timeout: Duration) async { try? await Task.sleep(for: timeout) }
}

public enum ReadmissionFixtures {
    public static let belgium = ParticipantID("BEL-DOFI")!
    public static let georgia = ParticipantID("GEO-MIA")!
    public static let morocco = ParticipantID("MAR-INTERIOR")!

    public static func instant(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }
    public static func date(_ text: String) -> CalendarDate { CalendarDate(text)! }

    public static func party(_ id: ParticipantID, _ country: String, _ zone: String, _ holidays: [String]) -> AgreementProfile.Party {
        .init(participant: id, name: id.rawValue, country: CountryCode(country)!, calendar: LegalCalendar(timeZone: TimeZone(identifier: zone)!, holidays: holidays.map(date)))
    }

    public static let belgianHolidays = ["2026-04-06", "2026-05-01", "2026-05-14", "2026-05-25"]

    /// Twelve calendar days, silence counts as acceptance (the EU–Georgia model).
    public static let georgiaAgreement = AgreementProfile(
        id: "EU-GEO-2026", title: "EU–Georgia", version: "1", effectiveFrom: date("2026-01-01"),
        parties: [party(belgium, "BEL", "Europe/Brussels", belgianHolidays), party(georgia, "GEO", "Asia/Tbilisi", ["2026-04-09", "2026-04-10", "2026-04-13", "2026-05-09"])],
        replyLimit: .init(days: 12, count: .calendar), acceleratedReplyLimit: .init(days: 2, count: .working), silenceMeansAcceptance: true,
        transferWindow: .init(days: 90, count: .calendar), transferNotice: .init(days: 2, count: .working), reminderWorkingDays: [3, 1], escalationWorkingDays: 1,
        proofEvidence: ["passport"], primaFacieEvidence: ["birth_certificate"], languages: [LanguageCode("en")!]
    )

    /// Thirty calendar days, information requests stop the clock, no acceptance by silence.
    public static let moroccoAgreement = AgreementProfile(
        id: "EU-MAR-2026", title: "EU–Morocco", version: "1", effectiveFrom: date("2026-01-01"),
        parties: [party(belgium, "BEL", "Europe/Brussels", belgianHolidays), party(morocco, "MAR", "Africa/Casablanca", ["2026-05-01", "2026-05-27", "2026-05-28", "2026-06-17"])],
        replyLimit: .init(days: 30, count: .calendar), extensionLimit: .init(days: 30, count: .calendar), informationRequestSuspendsClock: true,
        transferWindow: .init(days: 90, count: .calendar), transferNotice: .init(days: 3, count: .working), reminderWorkingDays: [5, 2],
        proofEvidence: ["passport", "national_id_card"], primaFacieEvidence: ["expired_passport"], languages: [LanguageCode("fr")!]
    )

    public static func application(agreement: String, nationality: String, protection: String? = nil) -> ReadmissionApplication {
        ReadmissionApplication(
            agreement: agreement, procedure: "normal",
            person: PersonRecord(names: [.init(given: "Youssef", family: "El Amrani")], dateOfBirth: "1987-04-12", placeOfBirth: "Tangier", sex: "M",
                                 nationality: nationality, protectionStatus: protection,
                                 documents: [.init(kind: "passport", number: "VX4412873", issuingCountry: nationality)]),
            evidence: [Evidence(strength: "proof", kind: "passport", description: "copy of the passport page")],
            apprehension: .init(date: "2026-03-30", place: "Brussels-South station"), escort: "required"
        )
    }

    /// Two desks on a loopback, both on `clock`.
    public static func pair(_ requested: ParticipantID, clock: ManualWallClock, fourEyes: Bool = true) async throws -> (requesting: ReadmissionDesk, requested: ReadmissionDesk, loopback: Loopback) {
        let (requesting, requestedDesk, loopback, _) = try await pairWithCaseFiles(requested, clock: clock, fourEyes: fourEyes)
        return (requesting, requestedDesk, loopback)
    }

    /// Two desks on a loopback, with the case files they record into.
    public static func pairWithCaseFiles(_ requested: ParticipantID, clock: ManualWallClock, fourEyes: Bool = true) async throws
        -> (requesting: ReadmissionDesk, requested: ReadmissionDesk, loopback: Loopback, caseFiles: [RecordingCaseFile]) {
        let pki = try TestPKI(now: clock.now.addingTimeInterval(-86_400))
        let loopback = Loopback(clock: clock)
        var desks: [ReadmissionDesk] = []
        var caseFiles: [RecordingCaseFile] = []
        for participant in [belgium, requested] {
            let identity = try pki.identity(participant.rawValue)
            let store = InMemoryReadmissionStore()
            await loopback.join(identity, store: store)
            let caseFile = RecordingCaseFile()
            let desk = ReadmissionDesk(signer: identity.signer, store: store, transport: LoopbackTransport(loopback: loopback),
                                       profiles: AgreementProfiles([georgiaAgreement, moroccoAgreement]), caseFile: caseFile, clock: clock,
                                       configuration: ReadmissionConfiguration(fourEyes: fourEyes))
            await loopback.attach(desk)
            desks.append(desk)
            caseFiles.append(caseFile)
        }
        return (desks[0], desks[1], loopback, caseFiles)
    }
}

/// A case file in memory for the desk's domain tests: records what the desk opened, the
/// workflow events it sent and the reads it reported.
public actor RecordingCaseFile: ReadmissionCaseFile {
    public private(set) var opened: [(conversation: ReadmissionCaseID, record: PersonRecord, person: String?)] = []
    public private(set) var events: [(event: String, caseID: String, fields: [String: String])] = []
    public private(set) var reads: [(caseIDs: [String], list: Bool, actor: String)] = []

    public init() {}

    public func open(_ conversation: ReadmissionCaseID, record: PersonRecord, person: String?, title: String, by actor: String) -> CaseFileLink {
        opened.append((conversation, record, person))
        let number = opened.count
        return CaseFileLink(caseID: "case-\(number)", caseNumber: "RA-\(number)", personID: person ?? "person-\(number)")
    }

    public func record(_ event: String, on link: CaseFileLink, fields: [String: String], by actor: String) {
        events.append((event, link.caseID, fields))
    }

    public func recordRead(_ links: [CaseFileLink], list: Bool, by actor: String, purpose: String?) {
        reads.append((links.map(\.caseID), list, actor))
    }

    public func eventNames(of caseID: String) -> [String] {
        events.filter { $0.caseID == caseID }.map(\.event)
    }
}
