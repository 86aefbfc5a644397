public import AccordCore
public import Casework
public import Foundation
import Identity
import Yams

/// Workflows as YAML files (Profiles/workflows/<case-type>[-v<version>].yaml) and the offices'
/// calendars (Profiles/workflows/calendars.yaml). Every problem comes back with its line, for
/// `accord profiles validate` and for refusing to start on a broken workflow.
public enum WorkflowProfileFile {
    public static let calendarsFileName = "calendars.yaml"

    /// Every workflow of `directory` and its calendars file; problems are `file:line` located.
    public static func loadDirectory(_ directory: URL, roles: Set<String>) -> (workflows: [Workflow], calendars: OfficeCalendars, problems: [AgreementProfileFile.Problem]) {
        let files = ((try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? [])
            .filter { ["yaml", "yml"].contains($0.pathExtension) && $0.lastPathComponent != calendarsFileName }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        var problems: [AgreementProfileFile.Problem] = []
        if files.isEmpty {
            problems.append(.init(file: directory.path, diagnostic: Diagnostic(code: "profiles.none", message: "no workflows (*.yaml) in \(directory.path)")))
        }
        var workflows: [Workflow] = []
        var seen: [String: String] = [:]
        for file in files {
            let (workflow, diagnostics) = load(file, roles: roles)
            problems += diagnostics.map { .init(file: file.path, diagnostic: $0) }
            guard let workflow else { continue }
            let key = "\(workflow.caseType.rawValue)@\(workflow.version)"
            if let other = seen[key] {
                problems.append(.init(file: file.path, diagnostic: Diagnostic(code: "workflow.duplicate_version", message: "\(workflow.caseType.rawValue) version \(workflow.version) is also defined in \(other)", line: 1)))
                continue
            }
            seen[key] = file.lastPathComponent
            workflows.append(workflow)
        }
        for type in CaseType.allCases where !workflows.contains(where: { $0.caseType == type }) && !files.isEmpty {
            problems.append(.init(file: directory.path, diagnostic: Diagnostic(code: "workflow.missing", message: "no workflow for \(type.rawValue) cases: such cases cannot be opened")))
        }
        var calendars = OfficeCalendars()
        let calendarsFile = directory.appendingPathComponent(calendarsFileName)
        if let text = FileManager.default.contents(atPath: calendarsFile.path).map({ String(decoding: $0, as: UTF8.self) }) {
            let (parsed, diagnostics) = parseCalendars(text)
            problems += diagnostics.map { .init(file: calendarsFile.path, diagnostic: $0) }
            if let parsed { calendars = parsed }
        }
        return (workflows, calendars, problems)
    }

    public static func load(_ file: URL, roles: Set<String>) -> (Workflow?, [Diagnostic]) {
        guard let data = FileManager.default.contents(atPath: file.path), let text = String(data: data, encoding: .utf8) else {
            return (nil, [Diagnostic(code: "profiles.unreadable", message: "cannot read the file as UTF-8 text")])
        }
        return parse(text, roles: roles)
    }

    /// Parses one workflow and checks it (`Workflow.problems`); nil when there is any error.
    public static func parse(_ text: String, roles: Set<String>) -> (Workflow?, [Diagnostic]) {
        let (node, syntax) = ProfileReader.compose(text)
        guard let root = node else { return (nil, syntax) }
        var reader = ProfileReader()
        var result = reader.workflow(root)
        var diagnostics = reader.diagnostics
        if result != nil {
            result!.lines = reader.lines
            diagnostics += result!.problems(roles: roles)
        }
        diagnostics.sort { ($0.line ?? 0, $0.code) < ($1.line ?? 0, $1.code) }
        return (diagnostics.hasErrors ? nil : result, diagnostics)
    }

    /// `default:` and `offices: { CODE: {...} }`, each with timeZone, weekend and holidays.
    public static func parseCalendars(_ text: String) -> (OfficeCalendars?, [Diagnostic]) {
        let (node, syntax) = ProfileReader.compose(text)
        guard let root = node else { return (nil, syntax) }
        var reader = ProfileReader()
        guard let members = reader.members(root, "", required: ["default"], optional: ["offices"]) else { return (nil, reader.diagnostics) }
        var result = OfficeCalendars()
        if let node = members["default"], let fields = reader.members(node, "default", required: ["timeZone"], optional: ["weekend", "holidays"]),
           let calendar = reader.calendar(fields, "default") {
            result.fallback = calendar
        }
        if let offices = members["offices"]?.mapping {
            for (key, value) in offices {
                let name = key.string ?? ""
                guard let office = OfficeCode(name) else {
                    reader.error("invalid_value", "\(name) is not an office code (2–24 of A–Z, 0–9, -)", key, "offices.\(name)")
                    continue
                }
                guard let fields = reader.members(value, "offices.\(name)", required: ["timeZone"], optional: ["weekend", "holidays"]),
                      let calendar = reader.calendar(fields, "offices.\(name)") else { continue }
                result.byOffice[office] = calendar
            }
        }
        return (reader.diagnostics.hasErrors ? nil : result, reader.diagnostics)
    }
}

extension ProfileReader {
    /// Entries of a mapping keyed by identifier (`states:`, `transitions:`, `fields:`), in file order.
    mutating func keyed(_ node: Node?, _ path: String, camelCase: Bool = false) -> [(String, Node)] {
        guard let node else { return [] }
        guard let mapping = node.mapping else {
            error("wrong_type", "\(path) must be a mapping of identifiers", node, path)
            return []
        }
        lines[path] = node.mark?.line
        return mapping.compactMap { key, value in
            let name = key.string ?? ""
            lines["\(path).\(name)"] = key.mark?.line
            guard name.range(of: camelCase ? "^[a-z][A-Za-z0-9]{0,39}$" : "^[a-z][a-z0-9_]{0,39}$", options: .regularExpression) != nil else {
                error("invalid_identifier", "\(path).\(name): " + (camelCase ? "field names are 1–40 letters and digits in camelCase" : "identifiers are 1–40 of a–z, 0–9 and _ and start with a letter"), key, "\(path).\(name)")
                return nil
            }
            return (name, value)
        }
    }

    mutating func permission(_ node: Node?, _ path: String) -> Permission? {
        guard let text = string(node, path) else { return nil }
        guard let permission = Permission(rawValue: text) else {
            error("unknown_permission", "\(path): \(text) is not a permission (known: \(Permission.allCases.map(\.rawValue).joined(separator: ", ")))", node, path)
            return nil
        }
        return permission
    }

    mutating func documentKinds(_ node: Node?, _ path: String) -> [CaseDocument.Kind] {
        list(node, path).enumerated().compactMap { index, item in
            guard let text = string(item, "\(path)[\(index)]") else { return nil }
            guard let kind = CaseDocument.Kind(rawValue: text) else {
                error("unknown_document_kind", "\(path)[\(index)]: \(text) is not a document kind (known: \(CaseDocument.Kind.allCases.map(\.rawValue).joined(separator: ", ")))", item, "\(path)[\(index)]")
                return nil
            }
            return kind
        }
    }

    mutating func workflow(_ root: Node) -> Workflow? {
        lines[""] = root.mark?.line ?? 1
        guard let members = members(root, "", required: ["workflow", "version", "title", "initial", "states", "transitions"],
                                    optional: ["fields", "checklist", "decision", "reactions"]) else { return nil }
        let typeText = string(members["workflow"], "workflow")
        let type = typeText.flatMap(CaseType.init(rawValue:))
        if let typeText, type == nil {
            error("invalid_value", "workflow: \(typeText) is not a case type (\(CaseType.allCases.map(\.rawValue).joined(separator: ", ")))", members["workflow"], "workflow")
        }
        let version = int(members["version"], "version")
        if let version, version < 1 { error("invalid_value", "version must be 1 or more", members["version"], "version") }
        let title = string(members["title"], "title")
        let initial = string(members["initial"], "initial")
        let fields = keyed(members["fields"], "fields", camelCase: true).compactMap { field($0.1, id: $0.0) }
        let checklist = documentKinds(members["checklist"], "checklist")
        let states = keyed(members["states"], "states").compactMap { state($0.1, id: $0.0) }
        let transitions = keyed(members["transitions"], "transitions").compactMap { transition($0.1, id: $0.0) }
        let decision = members["decision"].flatMap { decisionRule($0) }
        let reactions = reactions(members["reactions"])
        guard let type, let version, version >= 1, let title, let initial else { return nil }
        return Workflow(caseType: type, version: version, title: title, initial: initial, states: states, transitions: transitions,
                        fields: fields, checklist: checklist, decision: decision, reactions: reactions)
    }

    mutating func field(_ node: Node, id: String) -> Workflow.Field? {
        let path = "fields.\(id)"
        guard let members = members(node, path, required: ["label"], optional: ["kind", "options", "maxLength"]) else { return nil }
        let label = string(members["label"], "\(path).label")
        var kind = Workflow.Field.Kind.text
        if let text = string(members["kind"], "\(path).kind") {
            if let parsed = Workflow.Field.Kind(rawValue: text) { kind = parsed } else {
                error("invalid_value", "\(path).kind must be one of \(Workflow.Field.Kind.allCases.map(\.rawValue).joined(separator: ", "))", members["kind"], "\(path).kind")
            }
        }
        let options = strings(members["options"], "\(path).options")
        let maxLength = members["maxLength"] == nil ? 200 : int(members["maxLength"], "\(path).maxLength")
        guard let label, let maxLength else { return nil }
        return Workflow.Field(id: id, label: label, kind: kind, options: options, maxLength: min(max(maxLength, 1), 2000))
    }

    mutating func state(_ node: Node, id: String) -> Workflow.State? {
        let path = "states.\(id)"
        guard let members = members(node, path, required: ["label"], optional: ["final", "deadline"]) else { return nil }
        let label = string(members["label"], "\(path).label")
        let final = bool(members["final"], "\(path).final", default: false)
        var deadline: Workflow.Deadline?
        if let node = members["deadline"],
           let fields = self.members(node, "\(path).deadline", required: ["days", "count"], optional: ["remindBefore", "escalate", "onExpiry", "rollForward"]) {
            let days = int(fields["days"], "\(path).deadline.days")
            let countText = string(fields["count"], "\(path).deadline.count")
            let count = countText.flatMap(DayLimit.Count.init(rawValue:))
            if let countText, count == nil { error("invalid_value", "\(path).deadline.count must be calendar or working, not \(countText)", fields["count"], "\(path).deadline.count") }
            let reminders = list(fields["remindBefore"], "\(path).deadline.remindBefore").enumerated().compactMap { int($0.element, "\(path).deadline.remindBefore[\($0.offset)]") }
            let escalate = bool(fields["escalate"], "\(path).deadline.escalate", default: false)
            let expiry = string(fields["onExpiry"], "\(path).deadline.onExpiry")
            let roll = bool(fields["rollForward"], "\(path).deadline.rollForward", default: true)
            if let days, let count {
                deadline = Workflow.Deadline(limit: DayLimit(days: days, count: count), remindBefore: reminders, escalate: escalate, onExpiry: expiry, rollForward: roll)
            }
        }
        guard let label else { return nil }
        return Workflow.State(id: id, label: label, final: final, deadline: deadline)
    }

    mutating func transition(_ node: Node, id: String) -> Workflow.Transition? {
        let path = "transitions.\(id)"
        guard let members = members(node, path, required: ["label", "from", "to"],
                                    optional: ["permission", "guards", "fourEyes", "reasonRequired", "sets", "effects", "on"]) else { return nil }
        let label = string(members["label"], "\(path).label")
        let from = members["from"]?.scalar != nil ? [string(members["from"], "\(path).from")].compactMap { $0 } : strings(members["from"], "\(path).from")
        let to = string(members["to"], "\(path).to")
        let permission = permission(members["permission"], "\(path).permission")
        var guards = Workflow.Guards()
        if let node = members["guards"], let fields = self.members(node, "\(path).guards", required: [], optional: ["fields", "documents", "tasksDone", "decision"]) {
            guards.fields = strings(fields["fields"], "\(path).guards.fields")
            guards.documents = documentKinds(fields["documents"], "\(path).guards.documents")
            guards.tasksDone = bool(fields["tasksDone"], "\(path).guards.tasksDone", default: false)
            if let text = string(fields["decision"], "\(path).guards.decision") {
                guards.decision = Workflow.DecisionRequirement(rawValue: text)
                if guards.decision == nil { error("invalid_value", "\(path).guards.decision must be proposed or approved", fields["decision"], "\(path).guards.decision") }
            }
        }
        let effects = members["effects"].map { self.effects($0, "\(path).effects") } ?? Workflow.Effects()
        let fourEyes = bool(members["fourEyes"], "\(path).fourEyes", default: false)
        let reasonRequired = bool(members["reasonRequired"], "\(path).reasonRequired", default: false)
        let sets = strings(members["sets"], "\(path).sets")
        let on = strings(members["on"], "\(path).on")
        guard let label, let to, !from.isEmpty else { return nil }
        if members["permission"] != nil, permission == nil { return nil }
        return Workflow.Transition(id: id, label: label, from: from, to: to, permission: permission, guards: guards, fourEyes: fourEyes,
                                   reasonRequired: reasonRequired, sets: sets, effects: effects, on: on)
    }

    /// Tasks and named events (of a transition or a reaction).
    mutating func effects(_ node: Node, _ path: String) -> Workflow.Effects {
        var effects = Workflow.Effects()
        guard let fields = self.members(node, path, required: [], optional: ["tasks", "events"]) else { return effects }
        effects.events = strings(fields["events"], "\(path).events")
        for (index, item) in list(fields["tasks"], "\(path).tasks").enumerated() {
            let at = "\(path).tasks[\(index)]"
            guard let task = self.members(item, at, required: ["title"], optional: ["due", "team", "priority"]) else { continue }
            let title = string(task["title"], "\(at).title")
            let due = limit(task["due"], "\(at).due")
            let team = string(task["team"], "\(at).team")
            var priority = CaseTask.Priority.normal
            if let text = string(task["priority"], "\(at).priority") {
                if let parsed = CaseTask.Priority(rawValue: text) { priority = parsed } else {
                    error("invalid_value", "\(at).priority must be one of \(CaseTask.Priority.allCases.map(\.rawValue).joined(separator: ", "))", task["priority"], "\(at).priority")
                }
            }
            if let title { effects.tasks.append(Workflow.TaskTemplate(title: title, due: due, role: team, priority: priority)) }
        }
        return effects
    }

    /// `reactions: { <event>: { label, effects } }`: events such as `adapter.police.hit`.
    mutating func reactions(_ node: Node?) -> [Workflow.Reaction] {
        guard let node else { return [] }
        guard let mapping = node.mapping else {
            error("wrong_type", "reactions must be a mapping of event names", node, "reactions")
            return []
        }
        lines["reactions"] = node.mark?.line
        return mapping.compactMap { key, value in
            let event = key.string ?? ""
            let path = "reactions.\(event)"
            lines[path] = key.mark?.line
            guard event.range(of: "^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$", options: .regularExpression) != nil else {
                error("invalid_identifier", "\(path): event names are dotted lower-case words (adapter.police.hit)", key, path)
                return nil
            }
            guard let fields = members(value, path, required: ["label", "effects"], optional: []), let label = string(fields["label"], "\(path).label"),
                  let effectsNode = fields["effects"] else { return nil }
            return Workflow.Reaction(event: event, label: label, effects: effects(effectsNode, "\(path).effects"))
        }
    }

    mutating func decisionRule(_ node: Node) -> Workflow.DecisionRule? {
        guard let members = members(node, "decision", required: ["outcomes"], optional: ["fourEyes", "permission", "proposePermission"]) else { return nil }
        let fourEyes = bool(members["fourEyes"], "decision.fourEyes", default: true)
        let permission = members["permission"] == nil ? .decide : self.permission(members["permission"], "decision.permission")
        let propose = members["proposePermission"] == nil ? nil : self.permission(members["proposePermission"], "decision.proposePermission")
        if members["proposePermission"] != nil, propose == nil { return nil }
        let outcomes = keyed(members["outcomes"], "decision.outcomes").compactMap { id, node -> Workflow.DecisionRule.Outcome? in
            guard let fields = self.members(node, "decision.outcomes.\(id)", required: ["label"], optional: ["groundsRequired"]),
                  let label = string(fields["label"], "decision.outcomes.\(id).label") else { return nil }
            return Workflow.DecisionRule.Outcome(id: id, label: label, groundsRequired: bool(fields["groundsRequired"], "decision.outcomes.\(id).groundsRequired", default: false))
        }
        guard let permission else { return nil }
        return Workflow.DecisionRule(outcomes: outcomes, fourEyes: fourEyes, permission: permission, proposePermission: propose)
    }
}
