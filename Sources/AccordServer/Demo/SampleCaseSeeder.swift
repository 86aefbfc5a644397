import AccordCore
public import Casework
public import Foundation
import Identity

/// Fills a node with realistic sample cases for the demo: several nationalities and scripts,
/// every case type, statuses reached through the real workflow (so each case has a history),
/// family members, legal representatives, identity documents, notes and PDF documents.
/// Deterministic for a given seed.
public struct SampleCaseSeeder: Sendable {
    public let service: CaseworkService
    public let clock: ManualWallClock
    private let seed: UInt64

    /// `clock` must be the clock `service` uses; the seeder moves it forward between cases so
    /// that cases are spread over the past months.
    public init(service: CaseworkService, clock: ManualWallClock, seed: UInt64 = 2026) {
        self.service = service
        self.clock = clock
        self.seed = seed
    }

    public static let offices = ["HQ-ASYLUM", "NORTH-1", "SOUTH-2", "AIRPORT", "BORDER-EAST", "APPEALS"]
    public static let officers = ["a.martin", "k.novak", "s.dubois", "j.silva", "m.rossi", "l.nowak"]
    static let noteTexts = [
        "Applicant interviewed with an interpreter; statements consistent with the file.",
        "Requested certified copy of the birth certificate from the applicant's representative.",
        "Identity check against the national register returned no match; awaiting consular reply.",
        "Medical certificate received: special reception needs noted.",
        "Documents verified by the document fraud unit: no anomalies.",
        "Applicant did not attend the appointment; second invitation sent.",
        "File reviewed by supervisor; ready for decision.",
    ]

    /// Creates `count` cases, spread from `start` until the clock's current time at seeding end.
    public func seed(cases count: Int, from start: Date, to end: Date) async throws {
        var random = SeededRandom(seed: seed)
        clock.set(start)
        try await ensureOfficers()
        let latest = end
        let step = count > 0 ? end.timeIntervalSince(start) / Double(count) : 0
        for index in 0..<count {
            try await seedCase(index: index, random: &random, latest: latest)
            clock.set(start.addingTimeInterval(step * Double(index + 1)))
        }
    }

    private func seedCase(index: Int, random: inout SeededRandom, latest: Date) async throws {
        /// Moves the clock on, but never past `latest`: sample data has no future events.
        func advance(_ seconds: Int) {
            clock.set(min(clock.now.addingTimeInterval(Double(seconds)), latest))
        }
        let nationality = random.pick(SampleNationality.all)
        let principal = try await service.registerPerson(person(of: nationality, random: &random), by: .system)
        let type = random.weighted([(CaseType.asylum, 40), (.return, 15), (.residencePermit, 15), (.visa, 12), (.appeal, 8), (.readmission, 10)])
        let officer = random.chance(0.85) ? random.pick(Self.officers) : nil
        var parties: [PartyInput] = []
        if type == .asylum || type == .residencePermit, random.chance(0.35) {
            let spouse = try await service.registerPerson(person(of: nationality, random: &random, sharingFamilyName: principal.details.name.family), by: .system)
            parties.append(PartyInput(personID: spouse.id.rawValue, role: CaseParty.Role.familyMember.rawValue, relationship: "spouse"))
            if random.chance(0.6) {
                let child = try await service.registerPerson(person(of: nationality, random: &random, sharingFamilyName: principal.details.name.family, child: true), by: .system)
                parties.append(PartyInput(personID: child.id.rawValue, role: CaseParty.Role.familyMember.rawValue, relationship: "child"))
            }
        }
        if type == .asylum || type == .appeal, random.chance(0.3) {
            let lawyer = random.pick(SampleNationality.representatives)
            let representative = try await service.registerPerson(
                PersonInput(name: NameInput(given: lawyer.given, family: lawyer.family), sex: "X", nationality: "BEL"), by: .system
            )
            parties.append(PartyInput(personID: representative.id.rawValue, role: CaseParty.Role.legalRepresentative.rawValue))
        }
        let office = type == .appeal ? "APPEALS" : random.pick(Self.offices.filter { $0 != "APPEALS" })
        let opened = try await service.openCase(
            CaseInput(type: type.rawValue, office: office, assignedOfficer: officer, title: title(type, nationality: nationality),
                      principalPersonID: principal.id.rawValue, parties: parties),
            by: .user(UserID("registry.clerk")!)
        )
        // Who works the case: its officer, or (for an unassigned one) the officer who takes it on.
        let actor = Caller.user(UserID(officer ?? Self.officers[index % Self.officers.count])!)
        if random.chance(0.45) {
            let passport = principal.details.identityDocuments.first
            advance(3_600)
            _ = try await service.attachDocument(
                opened.number,
                metadata: DocumentMetadataInput(
                    kind: passport == nil ? CaseDocument.Kind.application.rawValue : CaseDocument.Kind.passport.rawValue,
                    title: passport == nil ? "Application form" : "Passport scan", fileName: passport == nil ? "application.pdf" : "passport.pdf",
                    personID: principal.id.rawValue, issuingCountry: passport?.issuingCountry.rawValue,
                    documentNumber: passport?.number, validUntil: passport?.expiresOn?.text
                ),
                mediaType: "application/pdf", bytes: SamplePDF.make(title: "\(opened.number.text) — \(principal.displayName)"), by: actor
            )
        }
        for _ in 0..<random.int(0...2) {
            advance(random.int(3_600...86_400))
            _ = try await service.addNote(opened.number, NoteInput(text: random.pick(Self.noteTexts)), by: actor)
        }
        // Walk the case along its workflow a random number of steps, as its officers would.
        let steps = random.weighted([(0, 15), (1, 20), (2, 20), (3, 15), (4, 10), (6, 10), (12, 10)])
        let outcome = random.chance(0.6) ? nil : "rejected"
        let walker = WorkflowWalker(service: service, officer: actor, supervisor: .user(UserID("demo.supervisor")!))
        for _ in 0..<steps {
            advance(random.int(86_400...(86_400 * 9)))
            guard try await walker.step(opened.number, outcome: outcome) else { break }
        }
    }

    /// Accounts for the sample officers (case officer at every office), so cases can be
    /// assigned to them; they cannot sign in until the demo gives them a password.
    public func ensureOfficers() async throws {
        guard let users = service.users else { return }
        let grants = Self.offices.map { RoleGrant(role: "case_officer", office: $0) }
        for name in Self.officers {
            guard let id = UserID(name), try await users.user(id) == nil else { continue }
            try await users.insert(UserAccount(id: id, displayName: name, grants: grants, passwordHash: "!", createdAt: clock.now))
        }
    }

    private func title(_ type: CaseType, nationality: SampleNationality) -> String {
        let country = CountryCode(nationality.country)?.name ?? nationality.country
        return switch type {
        case .asylum: "Application for international protection (\(country))"
        case .return: "Return procedure to \(country)"
        case .residencePermit: "Residence permit — family reunification"
        case .visa: "Long-stay visa application"
        case .appeal: "Appeal against a negative decision"
        case .readmission: "Readmission request to \(country)"
        }
    }

    private func person(of nationality: SampleNationality, random: inout SeededRandom, sharingFamilyName family: String? = nil, child: Bool = false) -> PersonInput {
        let given = random.pick(nationality.given)
        let familyName = family.flatMap { name in nationality.family.first { $0.latin == name } } ?? random.pick(nationality.family)
        let today = CalendarDate(clock.now)
        let age = child ? random.int(1...15) : random.int(18...67)
        let year = today.year - age
        let precision = random.int(0...9)
        let dateOfBirth = precision == 0 ? String(year) : precision == 1 ? String(format: "%04d-%02d", year, random.int(1...12))
            : String(format: "%04d-%02d-%02d", year, random.int(1...12), random.int(1...28))
        let female = ["Zahra", "Mariam", "Lina", "Rania", "Fatima", "Noor", "Senait", "Helen", "Olena", "Iryna", "Oksana", "Nino", "Tamar",
                      "Fatema", "Fang", "Jing", "Khadija", "Ngozi", "Aisha", "Ayşe", "Elif", "Thị Hoa", "María", "Valentina", "Drita", "Blerta"]
            .contains(given.latin)
        var documents: [IdentityDocumentInput] = []
        if !child, random.chance(0.7) {
            let issued = CalendarDate(year: today.year - random.int(1...8), month: random.int(1...12), day: random.int(1...28))!
            let expires = CalendarDate(year: issued.year + 10, month: issued.month, day: issued.day)!
            let digits = String(format: "%07d", random.int(0...9_999_999))
            documents.append(IdentityDocumentInput(kind: "passport", number: nationality.documentPrefix + digits,
                                                   issuingCountry: nationality.country, issuedOn: issued.text, expiresOn: expires.text))
        }
        let native: [ScriptedNameInput] = nationality.script.map { script in
            [ScriptedNameInput(script: script, given: given.native, family: familyName.native)]
        } ?? []
        return PersonInput(
            name: NameInput(given: given.latin, family: familyName.latin), nativeNames: native, dateOfBirth: dateOfBirth,
            sex: female ? "F" : "M", nationality: nationality.country, identityDocuments: documents
        )
    }
}

/// SplitMix64: small, fast and deterministic, so the demo data is the same on every machine.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    mutating func chance(_ probability: Double) -> Bool {
        Double(next() % 10_000) / 10_000 < probability
    }

    mutating func pick<T>(_ items: [T]) -> T {
        items[int(0...(items.count - 1))]
    }

    mutating func weighted<T>(_ items: [(T, Int)]) -> T {
        var roll = int(1...items.reduce(0) { $0 + $1.1 })
        for (item, weight) in items {
            roll -= weight
            if roll <= 0 { return item }
        }
        return items[items.count - 1].0
    }
}

/// A minimal, valid one-page PDF with a line of text, for sample documents.
enum SamplePDF {
    static func make(title: String) -> [UInt8] {
        let text = title.unicodeScalars.map { $0.isASCII && $0 != "(" && $0 != ")" && $0 != "\\" ? String($0) : "?" }.joined()
        let stream = "BT /F1 14 Tf 72 760 Td (\(text)) Tj ET"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
        var pdf = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(pdf.utf8.count)
            pdf += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = pdf.utf8.count
        pdf += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { pdf += String(format: "%010d 00000 n \n", offset) }
        pdf += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Array(pdf.utf8)
    }
}
