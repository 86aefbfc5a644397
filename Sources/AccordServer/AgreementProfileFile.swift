public import AccordCore
import Exchange
public import Foundation
public import Readmission
import Yams

/// Agreement profiles as YAML files (Profiles/agreements/*.yaml). Loading never stops at the
/// first problem: every problem comes back as a diagnostic with the line it is on, so
/// `accord profiles validate` can list them all.
public enum AgreementProfileFile {
    /// A problem in one file.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public let file: String
        public let diagnostic: Diagnostic

        public init(file: String, diagnostic: Diagnostic) {
            self.file = file
            self.diagnostic = diagnostic
        }

        /// `file:line: severity: message [code]`, as compilers print it.
        public var description: String {
            "\(file):\(diagnostic.line.map(String.init) ?? "1"): \(diagnostic.severity.rawValue): \(diagnostic.message) [\(diagnostic.code)]"
        }
    }

    /// Loads every `*.yaml`/`*.yml` file of `directory` (sorted by name). Profiles with errors
    /// are left out; duplicate agreement ids across files are errors.
    public static func loadDirectory(_ directory: URL) -> (profiles: [AgreementProfile], problems: [Problem]) {
        let files = ((try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? [])
            .filter { ["yaml", "yml"].contains($0.pathExtension) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        if files.isEmpty {
            let exists = FileManager.default.fileExists(atPath: directory.path)
            return ([], [Problem(file: directory.path, diagnostic: Diagnostic(
                code: "profiles.none",
                message: (exists ? "no agreement profiles (*.yaml) in \(directory.path)" : "\(directory.path) does not exist")
                    + "; give the folder with --profiles or ACCORD_PROFILES (its agreements/ subfolder)"))])
        }
        return load(files)
    }

    public static func load(_ files: [URL]) -> (profiles: [AgreementProfile], problems: [Problem]) {
        var profiles: [AgreementProfile] = []
        var problems: [Problem] = []
        var seen: [String: String] = [:]
        for file in files {
            let (profile, diagnostics) = load(file)
            problems += diagnostics.map { Problem(file: file.path, diagnostic: $0) }
            guard let profile else { continue }
            if let other = seen[profile.id] {
                problems.append(Problem(file: file.path, diagnostic: Diagnostic(code: "profiles.duplicate_id", message: "agreement \(profile.id) is also defined in \(other)", path: "id", line: 1)))
                continue
            }
            seen[profile.id] = file.lastPathComponent
            profiles.append(profile)
        }
        return (profiles, problems)
    }

    public static func load(_ file: URL) -> (AgreementProfile?, [Diagnostic]) {
        guard let data = FileManager.default.contents(atPath: file.path), let text = String(data: data, encoding: .utf8) else {
            return (nil, [Diagnostic(code: "profiles.unreadable", message: "cannot read the file as UTF-8 text")])
        }
        return parse(text)
    }

    /// Parses one profile; the profile is nil when there is any error.
    public static func parse(_ text: String) -> (AgreementProfile?, [Diagnostic]) {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                return (nil, [Diagnostic(code: "profiles.empty", message: "the file is empty", line: 1)])
            }
            root = node
        } catch let error as YamlError {
            return (nil, [Diagnostic(code: "profiles.yaml_syntax", message: "not valid YAML: \(error.problem)", line: error.line)])
        } catch {
            return (nil, [Diagnostic(code: "profiles.yaml_syntax", message: "not valid YAML", line: 1)])
        }
        var reader = Reader()
        let profile = reader.profile(root)
        var diagnostics = reader.diagnostics
        if let profile {
            diagnostics += profile.problems().map { problem in
                var located = problem
                located.line = reader.line(for: problem.path ?? "")
                return located
            }
        }
        diagnostics.sort { ($0.line ?? 0, $0.code) < ($1.line ?? 0, $1.code) }
        return (diagnostics.hasErrors ? nil : profile, diagnostics)
    }

    /// Walks the YAML tree, remembering the line of every path it reads.
    struct Reader {
        var diagnostics: [Diagnostic] = []
        var lines: [String: Int] = [:]

        func line(for path: String) -> Int? {
            var path = path
            while !path.isEmpty {
                if let line = lines[path] { return line }
                if let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) { path = String(path[..<cut]) } else { break }
            }
            return lines[""]
        }

        mutating func error(_ code: String, _ message: String, _ node: Node?, _ path: String) {
            diagnostics.append(Diagnostic(code: "profiles.\(code)", message: message, path: path, line: node?.mark?.line ?? line(for: path)))
        }

        /// The mapping's members, reporting unknown and missing keys.
        mutating func members(_ node: Node, _ path: String, required: [String], optional: [String]) -> [String: Node]? {
            guard let mapping = node.mapping else {
                error("wrong_type", "\(path.isEmpty ? "the profile" : path) must be a mapping", node, path)
                return nil
            }
            lines[path] = node.mark?.line
            var result: [String: Node] = [:]
            for (key, value) in mapping {
                let name = key.string ?? ""
                let child = path.isEmpty ? name : "\(path).\(name)"
                lines[child] = key.mark?.line
                if required.contains(name) || optional.contains(name) {
                    result[name] = value
                } else {
                    diagnostics.append(Diagnostic(.error, code: "profiles.unknown_field", message: "unknown field \(name) (known: \((required + optional).joined(separator: ", ")))",
                                                  path: child, line: key.mark?.line))
                }
            }
            for name in required where result[name] == nil {
                error("missing_field", "\(path.isEmpty ? "" : path + ".")\(name) is required", node, path)
            }
            return result
        }

        mutating func string(_ node: Node?, _ path: String) -> String? {
            guard let node else { return nil }
            guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
                error("wrong_type", "\(path) must be a text", node, path)
                return nil
            }
            return scalar.string
        }

        mutating func int(_ node: Node?, _ path: String) -> Int? {
            guard let node else { return nil }
            guard let value = node.scalar.flatMap({ Int($0.string) }) else {
                error("wrong_type", "\(path) must be a whole number", node, path)
                return nil
            }
            return value
        }

        mutating func bool(_ node: Node?, _ path: String, default value: Bool) -> Bool {
            guard let node else { return value }
            switch node.scalar?.string.lowercased() {
            case "true", "yes": return true
            case "false", "no": return false
            default:
                error("wrong_type", "\(path) must be true or false", node, path)
                return value
            }
        }

        mutating func list(_ node: Node?, _ path: String) -> [Node] {
            guard let node else { return [] }
            guard case .sequence(let sequence) = node else {
                error("wrong_type", "\(path) must be a list", node, path)
                return []
            }
            for (index, item) in sequence.enumerated() { lines["\(path)[\(index)]"] = item.mark?.line }
            return Array(sequence)
        }

        mutating func date(_ node: Node?, _ path: String) -> CalendarDate? {
            guard let text = string(node, path) else { return nil }
            guard let date = CalendarDate(text) else {
                error("invalid_date", "\(path): \(text) is not a date like 2026-03-02", node, path)
                return nil
            }
            return date
        }

        mutating func limit(_ node: Node?, _ path: String) -> AgreementProfile.TimeLimit? {
            guard let node, let members = members(node, path, required: ["days", "count"], optional: []) else { return nil }
            guard let days = int(members["days"], "\(path).days"), let countText = string(members["count"], "\(path).count") else { return nil }
            guard let count = AgreementProfile.TimeLimit.Count(rawValue: countText) else {
                error("invalid_value", "\(path).count must be calendar or working, not \(countText)", members["count"], "\(path).count")
                return nil
            }
            return AgreementProfile.TimeLimit(days: days, count: count)
        }

        mutating func party(_ node: Node, _ path: String) -> AgreementProfile.Party? {
            guard let members = members(node, path, required: ["participant", "name", "country", "timeZone"], optional: ["weekend", "holidays"]) else { return nil }
            let participantText = string(members["participant"], "\(path).participant")
            let participant = participantText.flatMap { ParticipantID($0) }
            if let participantText, participant == nil {
                error("invalid_value", "\(path).participant: \(participantText) is not a participant id like BEL-DOFI", members["participant"], "\(path).participant")
            }
            let name = string(members["name"], "\(path).name")
            let countryText = string(members["country"], "\(path).country")
            let country = countryText.flatMap { CountryCode($0) }
            if let countryText, country == nil {
                error("invalid_value", "\(path).country: \(countryText) is not an ISO 3166-1 alpha-3 code", members["country"], "\(path).country")
            }
            let zoneText = string(members["timeZone"], "\(path).timeZone")
            let zone = zoneText.flatMap { TimeZone(identifier: $0) }
            if let zoneText, zone == nil {
                error("invalid_value", "\(path).timeZone: \(zoneText) is not an IANA time zone like Africa/Casablanca", members["timeZone"], "\(path).timeZone")
            }
            var weekend: Set<Int> = [6, 7]
            if members["weekend"] != nil {
                weekend = []
                for (index, item) in list(members["weekend"], "\(path).weekend").enumerated() {
                    guard let day = int(item, "\(path).weekend[\(index)]") else { continue }
                    if (1...7).contains(day) { weekend.insert(day) } else { error("invalid_value", "weekend days are 1 (Monday) to 7 (Sunday), not \(day)", item, "\(path).weekend[\(index)]") }
                }
            }
            let holidays = list(members["holidays"], "\(path).holidays").enumerated().compactMap { date($0.element, "\(path).holidays[\($0.offset)]") }
            guard let participant, let name, let country, let zone else { return nil }
            return AgreementProfile.Party(participant: participant, name: name, country: country, calendar: LegalCalendar(timeZone: zone, weekend: weekend, holidays: holidays))
        }

        mutating func profile(_ root: Node) -> AgreementProfile? {
            lines[""] = root.mark?.line ?? 1
            guard let members = members(root, "", required: ["id", "title", "version", "effectiveFrom", "parties", "replyLimit", "transferWindow", "transferNotice", "evidence", "languages"],
                                        optional: ["acceleratedReplyLimit", "extension", "informationRequestSuspendsClock", "silenceMeansAcceptance",
                                                   "rollForwardToWorkingDay", "reminders", "escalationWorkingDays"]) else { return nil }
            let id = string(members["id"], "id")
            let title = string(members["title"], "title")
            let version = string(members["version"], "version")
            let effectiveFrom = date(members["effectiveFrom"], "effectiveFrom")
            let parties = list(members["parties"], "parties").enumerated().map { party($0.element, "parties[\($0.offset)]") }
            let reply = limit(members["replyLimit"], "replyLimit")
            let accelerated = limit(members["acceleratedReplyLimit"], "acceleratedReplyLimit")
            let extensionLimit = limit(members["extension"], "extension")
            let window = limit(members["transferWindow"], "transferWindow")
            let notice = limit(members["transferNotice"], "transferNotice")
            let reminders = list(members["reminders"], "reminders").enumerated().compactMap { int($0.element, "reminders[\($0.offset)]") }
            let escalation = members["escalationWorkingDays"] == nil ? 1 : int(members["escalationWorkingDays"], "escalationWorkingDays")
            var proof: [String] = []
            var primaFacie: [String] = []
            if let evidenceNode = members["evidence"], let evidence = self.members(evidenceNode, "evidence", required: ["proof"], optional: ["primaFacie"]) {
                proof = list(evidence["proof"], "evidence.proof").enumerated().compactMap { string($0.element, "evidence.proof[\($0.offset)]") }
                primaFacie = list(evidence["primaFacie"], "evidence.primaFacie").enumerated().compactMap { string($0.element, "evidence.primaFacie[\($0.offset)]") }
            }
            var languages: [LanguageCode] = []
            for (index, item) in list(members["languages"], "languages").enumerated() {
                guard let text = string(item, "languages[\(index)]") else { continue }
                if let language = LanguageCode(text) { languages.append(language) } else { error("invalid_value", "\(text) is not an ISO 639 language code", item, "languages[\(index)]") }
            }
            let suspends = bool(members["informationRequestSuspendsClock"], "informationRequestSuspendsClock", default: false)
            let silence = bool(members["silenceMeansAcceptance"], "silenceMeansAcceptance", default: false)
            let roll = bool(members["rollForwardToWorkingDay"], "rollForwardToWorkingDay", default: true)
            guard let id, let title, let version, let effectiveFrom, let reply, let window, let notice, let escalation, parties.allSatisfy({ $0 != nil }) else { return nil }
            return AgreementProfile(
                id: id, title: title, version: version, effectiveFrom: effectiveFrom, parties: parties.compactMap { $0 }, replyLimit: reply,
                acceleratedReplyLimit: accelerated, extensionLimit: extensionLimit, informationRequestSuspendsClock: suspends, silenceMeansAcceptance: silence,
                rollForwardToWorkingDay: roll, transferWindow: window, transferNotice: notice, reminderWorkingDays: reminders, escalationWorkingDays: escalation,
                proofEvidence: proof, primaFacieEvidence: primaFacie, languages: languages
            )
        }
    }
}

extension YamlError {
    var problem: String {
        switch self {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        case .duplicatedKeysInMapping(let duplicates, _): "duplicated keys \(duplicates.joined(separator: ", "))"
        default: "\(self)"
        }
    }

    var line: Int? {
        switch self {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        case .duplicatedKeysInMapping(_, let context): context.mark.line
        default: nil
        }
    }
}
