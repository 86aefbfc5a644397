import AccordCore
import Foundation
import Yams

/// Walks a profile's YAML tree (agreements, workflows, calendars), remembering the line of every
/// path it reads, and collects every problem as a diagnostic instead of stopping at the first.
struct ProfileReader {
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
        if lines[path] == nil { lines[path] = node.mark?.line }
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

    mutating func limit(_ node: Node?, _ path: String) -> DayLimit? {
        guard let node, let members = members(node, path, required: ["days", "count"], optional: []) else { return nil }
        guard let days = int(members["days"], "\(path).days"), let countText = string(members["count"], "\(path).count") else { return nil }
        guard let count = DayLimit.Count(rawValue: countText) else {
            error("invalid_value", "\(path).count must be calendar or working, not \(countText)", members["count"], "\(path).count")
            return nil
        }
        return DayLimit(days: days, count: count)
    }

    /// The YAML tree of `text`, or the syntax error at its line.
    static func compose(_ text: String) -> (Node?, [Diagnostic]) {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                return (nil, [Diagnostic(code: "profiles.empty", message: "the file is empty", line: 1)])
            }
            return (node, [])
        } catch let error as YamlError {
            return (nil, [Diagnostic(code: "profiles.yaml_syntax", message: "not valid YAML: \(error.problem)", line: error.line)])
        } catch {
            return (nil, [Diagnostic(code: "profiles.yaml_syntax", message: "not valid YAML", line: 1)])
        }
    }

    /// A working calendar from the `timeZone`, `weekend` and `holidays` members of a mapping.
    mutating func calendar(_ members: [String: Node], _ path: String) -> LegalCalendar? {
        let prefix = path.isEmpty ? "" : "\(path)."
        let zoneText = string(members["timeZone"], "\(prefix)timeZone")
        let zone = zoneText.flatMap { TimeZone(identifier: $0) }
        if let zoneText, zone == nil {
            error("invalid_value", "\(prefix)timeZone: \(zoneText) is not an IANA time zone like Africa/Casablanca", members["timeZone"], "\(prefix)timeZone")
        }
        var weekend: Set<Int> = [6, 7]
        if members["weekend"] != nil {
            weekend = []
            for (index, item) in list(members["weekend"], "\(prefix)weekend").enumerated() {
                guard let day = int(item, "\(prefix)weekend[\(index)]") else { continue }
                if (1...7).contains(day) { weekend.insert(day) } else { error("invalid_value", "weekend days are 1 (Monday) to 7 (Sunday), not \(day)", item, "\(prefix)weekend[\(index)]") }
            }
        }
        let holidays = list(members["holidays"], "\(prefix)holidays").enumerated().compactMap { date($0.element, "\(prefix)holidays[\($0.offset)]") }
        guard let zone else { return nil }
        return LegalCalendar(timeZone: zone, weekend: weekend, holidays: holidays)
    }

    /// Text values of a list.
    mutating func strings(_ node: Node?, _ path: String) -> [String] {
        list(node, path).enumerated().compactMap { string($0.element, "\(path)[\($0.offset)]") }
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
