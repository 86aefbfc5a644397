import AccordCore
import Exchange
import Foundation
import Readmission

/// Realistic readmission cases for `accord demo`, driven through the real hub between Belgium
/// and Morocco so that every step is a signed message with its receipt: one case carried through
/// to the transfer, and others waiting at each stage for someone to act in the console.
public struct ReadmissionDemo: Sendable {
    public let belgium: ReadmissionDesk
    public let morocco: ReadmissionDesk
    /// Georgia works on the hub's quick-win module.
    public let georgia: ReadmissionDesk?

    public init(belgium: ReadmissionDesk, morocco: ReadmissionDesk, georgia: ReadmissionDesk? = nil) {
        self.belgium = belgium
        self.morocco = morocco
        self.georgia = georgia
    }

    static func person(_ given: String, _ family: String, born: String, at place: String, sex: String, document: (String, String)?, card: String? = nil) -> PersonRecord {
        let documents = (document.map { [$0] } ?? []) + (card.map { [("national_id_card", $0)] } ?? [])
        return PersonRecord(names: [.init(given: given, family: family)], dateOfBirth: born, placeOfBirth: place, sex: sex, nationality: "MAR", protectionStatus: "none",
                            documents: documents.isEmpty ? nil : documents.map { .init(kind: $0.0, number: $0.1, issuingCountry: "MAR") })
    }

    static func application(_ person: PersonRecord, evidence: Evidence, procedure: String = "normal", place: String, needs: String? = nil) -> ReadmissionApplication {
        ReadmissionApplication(agreement: "EU-MAR-2026", procedure: procedure, person: person, evidence: [evidence], biometricReferences: ["BE-AFIS-\(Int.random(in: 100_000...999_999))"],
                               apprehension: .init(date: CalendarDate(Date().addingTimeInterval(-9 * 86_400)).text, place: place, circumstances: "no residence permit"),
                               specialNeeds: needs, escort: "required")
    }

    /// Waits until the case shows `condition` on `desk` (deliveries run in the background).
    func wait(_ desk: ReadmissionDesk, _ id: ReadmissionCaseID, _ condition: (ReadmissionCase.Status) -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let status = try? await desk.status(of: id), condition(status) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ReadmissionError(code: "readmission.demo_timeout", reason: "the demo case \(id) did not reach the expected state at \(desk.participant)", category: .unavailable)
    }

    /// Seeds the cases; returns how many.
    @discardableResult
    public func seed() async throws -> Int {
        let year = CalendarDate(Date()).year
        // 1. Carried through to the notified transfer.
        let done = try await belgium.submitApplication(
            Self.application(Self.person("Youssef", "El Amrani", born: "1987-04-12", at: "Tangier", sex: "M", document: ("passport", "VX4412873"), card: "K0459821"),
                             evidence: Evidence(strength: "proof", kind: "passport", description: "passport seized at apprehension"), place: "Brussels-South station",
                             needs: "diabetic: insulin during the journey"),
            reference: "BEL-RA-\(year)-0101", by: "bel.liaison")
        try await wait(morocco, done) { $0 == .pending }
        try await morocco.verifyIdentity(done, by: "mar.officer")
        try await morocco.decide(done, outcome: "accept", reasons: [], by: "mar.officer")
        try await morocco.approveDecision(done, by: "mar.supervisor")
        try await wait(belgium, done) { $0 == .accepted }
        try await morocco.issueTravelDocument(done, document: TravelDocumentIssued(kind: "laissez_passer", number: "LP-\(year)-00917", issuedOn: CalendarDate(Date()).text,
                                                                                   validUntil: CalendarDate(Date().addingTimeInterval(60 * 86_400)).text,
                                                                                   issuingAuthority: "Consulate General of Morocco, Brussels"), by: "mar.officer")
        try await wait(belgium, done) { $0 == .travelDocumentIssued }
        let calendar = morocco.profiles.profile("EU-MAR-2026")?.party(morocco.participant)?.calendar ?? LegalCalendar(timeZone: .gmt)
        let departure = calendar.start(of: calendar.add(.init(days: 4, count: .working), after: calendar.date(of: Date()))).addingTimeInterval(9 * 3600)
        try await belgium.notifyTransfer(done, notice: TransferNotice(flight: "SN 3585", departure: Timestamp.format(departure), pointOfEntry: "RAK",
                                                                      escorts: [.init(name: "Insp. L. Peeters", role: "escort leader")]), by: "bel.liaison")
        try await wait(morocco, done) { $0 == .transferNotified }
        // Confirmed by the escort after the departure (a transfer is never confirmed before it).

        // 2. Identity confirmed; a decision awaits the second officer (four eyes).
        let fourEyes = try await belgium.submitApplication(
            Self.application(Self.person("Fatima Zahra", "Benali", born: "1992-11-03", at: "Oujda", sex: "F", document: ("national_id_card", "F1183402")),
                             evidence: Evidence(strength: "proof", kind: "national_id_card"), place: "Antwerp port"),
            reference: "BEL-RA-\(year)-0102", by: "bel.liaison")
        try await wait(morocco, fourEyes) { $0 == .pending }
        try await morocco.verifyIdentity(fourEyes, by: "mar.officer")
        try await morocco.decide(fourEyes, outcome: "accept", reasons: [], by: "mar.officer")

        // 3. Morocco asked a question; Belgium has to answer (the clock stands still meanwhile).
        let question = try await belgium.submitApplication(
            Self.application(Self.person("Hassan", "Ouazzani", born: "1979-02-01", at: "Fès", sex: "M", document: nil),
                             evidence: Evidence(strength: "prima_facie", kind: "witness_statement", description: "statement of a cousin in Liège"), place: "Liège"),
            reference: "BEL-RA-\(year)-0103", by: "bel.liaison")
        try await wait(morocco, question) { $0 == .pending }
        try await morocco.verifyIdentity(question, by: "mar.officer")
        try await morocco.requestInformation(question, questions: ["Does he hold any Moroccan document, even expired?", "Name of his father?"], by: "mar.officer")

        // 4. Interview proposed; Belgium picks a time.
        let interview = try await belgium.submitApplication(
            Self.application(Self.person("Karim", "Tazi", born: "2001-07-30", at: "Nador", sex: "M", document: ("expired_passport", "UN3077551")),
                             evidence: Evidence(strength: "prima_facie", kind: "expired_passport"), place: "Zaventem airport"),
            reference: "BEL-RA-\(year)-0104", by: "bel.liaison")
        try await wait(morocco, interview) { $0 == .pending }
        let slot = calendar.start(of: calendar.add(.init(days: 3, count: .working), after: calendar.date(of: Date()))).addingTimeInterval(10 * 3600)
        try await morocco.proposeInterview(interview, mode: "video", slots: [Timestamp.format(slot), Timestamp.format(slot.addingTimeInterval(26 * 3600))], location: nil, by: "mar.officer")

        // 5. Accelerated procedure, just received: two working days.
        _ = try await belgium.submitApplication(
            Self.application(Self.person("Nadia", "Chraibi", born: "1995-06-12", at: "Casablanca", sex: "F", document: ("passport", "VZ0612955")),
                             evidence: Evidence(strength: "proof", kind: "passport"), procedure: "accelerated", place: "Ghent, border region check"),
            reference: "BEL-RA-\(year)-0105", by: "bel.liaison")

        // 6. Rejected with reasons.
        let rejected = try await belgium.submitApplication(
            Self.application(Self.person("Omar", "Haddou", born: "1990-01-15", at: "Agadir", sex: "M", document: nil),
                             evidence: Evidence(strength: "prima_facie", kind: "language_test", description: "Darija spoken"), place: "Brussels-North"),
            reference: "BEL-RA-\(year)-0106", by: "bel.liaison")
        try await wait(morocco, rejected) { $0 == .pending }
        try await morocco.verifyIdentity(rejected, by: "mar.officer")
        try await morocco.decide(rejected, outcome: "reject", reasons: ["no civil registry record of this person", "a language test alone does not establish nationality"], by: "mar.officer")
        try await morocco.approveDecision(rejected, by: "mar.supervisor")
        try await wait(belgium, rejected) { $0 == .rejected }
        guard let georgia else { return 6 }

        // 7. To Georgia, on the quick-win module: twelve calendar days, silence means acceptance.
        var person = Self.person("Giorgi", "Beridze", born: "1994-09-18", at: "Kutaisi", sex: "M", document: ("passport", "15AB04231"))
        person.nationality = "GEO"
        person.documents = [.init(kind: "passport", number: "15AB04231", issuingCountry: "GEO")]
        let toGeorgia = try await belgium.submitApplication(
            ReadmissionApplication(agreement: "EU-GEO-2026", procedure: "normal", person: person,
                                   evidence: [Evidence(strength: "proof", kind: "passport", description: "valid passport")],
                                   apprehension: .init(date: CalendarDate(Date().addingTimeInterval(-3 * 86_400)).text, place: "Charleroi airport"), escort: "not_required"),
            reference: "BEL-RA-\(year)-0107", by: "bel.liaison")
        try await wait(georgia, toGeorgia) { $0 == .pending }
        return 7
    }
}
