@testable import AccordServer
import AccordTesting
import Foundation
import Readmission
import Testing

/// Agreement profiles as files: the shipped ones are valid, and a broken one yields every
/// problem with its line — through the loader and through `accord profiles validate`.
@Suite struct AgreementProfileFileTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let agreements = repository.appendingPathComponent("Profiles/agreements")

    @Test func theShippedProfilesAreValid() throws {
        let (profiles, problems) = AgreementProfileFile.loadDirectory(Self.agreements)
        #expect(problems.isEmpty, "\(problems)")
        #expect(profiles.map(\.id).sorted() == ["BE-TUN-2026", "EU-GEO-2026", "EU-MAR-2026"])
        let morocco = try #require(profiles.first { $0.id == "EU-MAR-2026" })
        #expect(morocco.replyLimit == .init(days: 30, count: .calendar))
        #expect(morocco.acceleratedReplyLimit == .init(days: 2, count: .working))
        #expect(morocco.party(.init("MAR-INTERIOR")!)?.calendar.timeZone.identifier == "Africa/Casablanca")
        #expect(morocco.strength(ofEvidence: "expired_passport") == "prima_facie")
        #expect(profiles.first { $0.id == "EU-GEO-2026" }?.silenceMeansAcceptance == true)
    }

    static let broken = """
        id: EU-BAD-2026
        title: Broken
        version: "1"
        effectiveFrom: 2026-02-30
        parties:
          - participant: BEL-DOFI
            name: Belgium
            country: BEX
            timeZone: Europe/Brussels
          - participant: MAR-INTERIOR
            name: Morocco
            country: MAR
            timeZone: Mars/Olympus
            weekend: [6, 8]
        replyLimit: {days: 30, count: fortnights}
        acceleratedReplyLimit: {days: 2, count: working}
        transferWindow: {days: 0, count: calendar}
        transferNotice: {days: 3, count: working}
        reminders: [5, 0]
        silenceMeansAcceptance: perhaps
        colour: blue
        evidence:
          proof: []
        languages: [fr, xx]
        """

    @Test func everyProblemIsReportedWithItsLine() {
        let (profile, diagnostics) = AgreementProfileFile.parse(Self.broken)
        #expect(profile == nil)
        let found = diagnostics.map { "\($0.line ?? 0):\($0.code)" }
        for expected in ["4:profiles.invalid_date", "8:profiles.invalid_value", "13:profiles.invalid_value", "14:profiles.invalid_value", "15:profiles.invalid_value",
                         "20:profiles.wrong_type", "21:profiles.unknown_field", "24:profiles.invalid_value"] {
            #expect(found.contains(expected), "missing \(expected) in \(found)")
        }
        // Semantic problems are found once the structure is readable.
        let (_, semantic) = AgreementProfileFile.parse(Self.broken
            .replacingOccurrences(of: "2026-02-30", with: "2026-02-28").replacingOccurrences(of: "BEX", with: "BEL")
            .replacingOccurrences(of: "Mars/Olympus", with: "Africa/Casablanca").replacingOccurrences(of: "[6, 8]", with: "[6, 7]")
            .replacingOccurrences(of: "fortnights", with: "calendar").replacingOccurrences(of: "perhaps", with: "false")
            .replacingOccurrences(of: "colour: blue\n", with: "").replacingOccurrences(of: ", xx", with: ""))
        let semanticFound = semantic.map { "\($0.line ?? 0):\($0.code)" }
        for expected in ["17:profiles.limit_out_of_range", "19:profiles.reminder_out_of_range", "22:profiles.evidence_missing"] {
            #expect(semanticFound.contains(expected), "missing \(expected) in \(semanticFound)")
        }
        let (_, syntax) = AgreementProfileFile.parse("id: [unclosed\ntitle: x\n")
        #expect(syntax.first?.code == "profiles.yaml_syntax")
        #expect(syntax.first?.line != nil)
    }

    @Test func theCommandPrintsFileAndLineAndFails() async throws {
        let directory = try ExternalTool.temporaryDirectory()
        let file = directory.appendingPathComponent("broken.yaml")
        try Self.broken.write(to: file, atomically: true, encoding: .utf8)
        let bad = try AccordProcess.run(["profiles", "validate", file.path])
        #expect(bad.status == 1)
        #expect(bad.output.contains("\(file.path):8: error: parties[0].country: BEX is not an ISO 3166-1 alpha-3 code [profiles.invalid_value]"), "\(bad.output)")
        let good = try AccordProcess.run(["profiles", "validate", Self.agreements.path])
        #expect(good.status == 0, "\(good.output)")
        #expect(good.output.contains("3 valid agreement(s)"))
    }
}
