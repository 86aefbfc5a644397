import Exchange
import Foundation
import Readmission
import Testing

/// Every language has every string, and every `{{t.key}}` a template uses exists.
@Suite struct ConsoleStringsTests {
    static let console = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/Console")

    @Test func languagesHaveTheSameKeysAndTemplatesUseOnlyKnownOnes() throws {
        func table(_ language: String) throws -> [String: String] {
            try JSONDecoder().decode([String: String].self, from: Data(contentsOf: Self.console.appendingPathComponent("Strings/\(language).json")))
        }
        let english = try table("en")
        let french = try table("fr")
        #expect(Set(english.keys) == Set(french.keys), "only in en: \(Set(english.keys).subtracting(french.keys)); only in fr: \(Set(french.keys).subtracting(english.keys))")
        #expect(french.filter { $0.value.isEmpty }.isEmpty)
        let templates = Self.console.appendingPathComponent("Templates")
        var used: Set<String> = []
        for file in try FileManager.default.contentsOfDirectory(atPath: templates.path) where file.hasSuffix(".mustache") {
            let text = try String(contentsOf: templates.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: /\{\{t\.([a-z0-9_]+)\}\}/) { used.insert(String(match.1)) }
        }
        #expect(!used.isEmpty)
        #expect(used.subtracting(english.keys).isEmpty, "templates use unknown strings: \(used.subtracting(english.keys).sorted())")
        // Every status, clock state and event kind the pages name.
        let kinds = MessageType.allCases.filter { $0 != .receipt && $0 != .error }.map(\.rawValue) + ReadmissionEvent.LocalKind.allCases.map(\.rawValue)
        let needed = kinds.map { "kind_\($0)" } + ReadmissionCase.Status.allCases.map { "status_\($0.rawValue)" }
            + ["not_started", "running", "suspended", "met", "overdue", "deemed_accepted", "stopped"].map { "clock_\($0)" }
        #expect(Set(needed).subtracting(english.keys).isEmpty, "missing: \(Set(needed).subtracting(english.keys).sorted())")
    }
}
