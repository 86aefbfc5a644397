public import AccordCore
public import Casework
public import Foundation
import Yams

/// Triage rules as YAML (Profiles/triage/<case-type>.yaml), checked against the workflow of
/// their case type; every problem comes back `file:line`.
public enum TriageProfileFile {
    /// Every rules file of `directory` (none is fine: no case type is triaged).
    public static func loadDirectory(_ directory: URL, workflows: WorkflowCatalog) -> (rules: [CaseType: TriageRules], problems: [AgreementProfileFile.Problem]) {
        let files = ((try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? [])
            .filter { ["yaml", "yml"].contains($0.pathExtension) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        var result: [CaseType: TriageRules] = [:]
        var problems: [AgreementProfileFile.Problem] = []
        for file in files {
            let text = FileManager.default.contents(atPath: file.path).flatMap { String(data: $0, encoding: .utf8) }
            guard let text else {
                problems.append(.init(file: file.path, diagnostic: Diagnostic(code: "profiles.unreadable", message: "cannot read the file as UTF-8 text")))
                continue
            }
            let (rules, diagnostics) = parse(text, workflows: workflows)
            problems += diagnostics.map { .init(file: file.path, diagnostic: $0) }
            guard let rules else { continue }
            if result[rules.caseType] != nil {
                problems.append(.init(file: file.path, diagnostic: Diagnostic(code: "triage.duplicate", message: "a second rules file for \(rules.caseType.rawValue) cases", line: 1)))
                continue
            }
            result[rules.caseType] = rules
        }
        return (result, problems)
    }

    /// Parses and checks one file; nil when there is any error.
    public static func parse(_ text: String, workflows: WorkflowCatalog) -> (TriageRules?, [Diagnostic]) {
        let (node, syntax) = ProfileReader.compose(text)
        guard let root = node else { return (nil, syntax) }
        var reader = ProfileReader()
        guard let members = reader.members(root, "", required: ["caseType", "version", "field", "default", "after", "rules"], optional: ["recognition"]) else {
            return (nil, reader.diagnostics)
        }
        let typeText = reader.string(members["caseType"], "caseType")
        let type = typeText.flatMap(CaseType.init(rawValue:))
        if let typeText, type == nil {
            reader.error("invalid_value", "caseType \(typeText) is not one of \(CaseType.allCases.map(\.rawValue).joined(separator: ", "))", members["caseType"], "caseType")
        }
        let version = reader.int(members["version"], "version")
        let field = reader.string(members["field"], "field")
        let fallback = reader.string(members["default"], "default")
        let after = reader.list(members["after"], "after").enumerated().compactMap { reader.string($0.element, "after[\($0.offset)]") }
        let recognition = reader.list(members["recognition"], "recognition").enumerated().compactMap { reader.string($0.element, "recognition[\($0.offset)]") }
        var rules: [TriageRules.Rule] = []
        for (index, item) in reader.list(members["rules"], "rules").enumerated() {
            if let rule = reader.triageRule(item, "rules[\(index)]") { rules.append(rule) }
        }
        guard let type, let version, let field, let fallback else { return (nil, reader.diagnostics) }
        var result = TriageRules(caseType: type, version: version, field: field, defaultTrack: fallback, recognition: recognition, after: after, rules: rules)
        result.lines = reader.lines
        var diagnostics = reader.diagnostics
        if let workflow = workflows.current(type) {
            diagnostics += result.problems(workflow: workflow)
        } else {
            diagnostics.append(Diagnostic(code: "triage.no_workflow", message: "there is no \(type.rawValue) workflow for these rules", path: "caseType", line: reader.line(for: "caseType")))
        }
        diagnostics.sort { ($0.line ?? 0, $0.code) < ($1.line ?? 0, $1.code) }
        return (diagnostics.hasErrors ? nil : result, diagnostics)
    }
}

extension ProfileReader {
    mutating func triageRule(_ node: Node, _ path: String) -> TriageRules.Rule? {
        guard let members = members(node, path, required: ["id", "label", "track", "when"], optional: []) else { return nil }
        let id = string(members["id"], "\(path).id")
        let label = string(members["label"], "\(path).label")
        let track = string(members["track"], "\(path).track")
        var conditions: [TriageRules.Condition] = []
        let subjects = TriageRules.Condition.Subject.allCases.map(\.rawValue)
        if let when = members["when"], let clauses = self.members(when, "\(path).when", required: [], optional: subjects) {
            for subject in TriageRules.Condition.Subject.allCases {
                guard let value = clauses[subject.rawValue] else { continue }
                let at = "\(path).when.\(subject.rawValue)"
                switch subject {
                case .age, .previousApplications:
                    guard let bounds = self.members(value, at, required: [], optional: ["below", "atLeast"]) else { continue }
                    let below = int(bounds["below"], "\(at).below"), atLeast = int(bounds["atLeast"], "\(at).atLeast")
                    if below == nil && atLeast == nil { error("missing_field", "\(at) needs below or atLeast", value, at) }
                    conditions.append(.init(subject: subject, below: below, atLeast: atLeast))
                case .nationality, .sex, .claimType, .specificNeeds:
                    let values = list(value, at).enumerated().compactMap { string($0.element, "\(at)[\($0.offset)]") }
                    if values.isEmpty { error("missing_field", "\(at) lists no values", value, at) }
                    if subject == .nationality {
                        for (index, code) in values.enumerated() where CountryCode(code) == nil {
                            error("invalid_value", "\(code) is not an ISO 3166-1 alpha-3 country code", nil, "\(at)[\(index)]")
                        }
                    }
                    if subject == .sex {
                        for (index, code) in values.enumerated() where !["F", "M", "X"].contains(code) { error("invalid_value", "sex is F, M or X, not \(code)", nil, "\(at)[\(index)]") }
                    }
                    conditions.append(.init(subject: subject, values: values))
                }
            }
        }
        if let id, id.range(of: "^[a-z][a-z0-9_]{0,39}$", options: .regularExpression) == nil {
            error("invalid_identifier", "\(path).id: identifiers are 1–40 of a–z, 0–9 and _ and start with a letter", members["id"], "\(path).id")
        }
        guard let id, let label, let track else { return nil }
        return TriageRules.Rule(id: id, label: label, track: track, conditions: conditions)
    }
}
