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
        let (node, problems) = ProfileReader.compose(text)
        guard let root = node else { return (nil, problems) }
        var reader = ProfileReader()
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
}

extension ProfileReader {
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
        let calendar = self.calendar(members, path)
        guard let participant, let name, let country, let calendar else { return nil }
        return AgreementProfile.Party(participant: participant, name: name, country: country, calendar: calendar)
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
