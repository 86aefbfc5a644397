public import AccordCore

/// Differentiated processing as data (`Profiles/triage/<case-type>.yaml`): ordered rules over
/// the applicant's profile; the first rule whose conditions all hold gives the track, otherwise
/// the default. The rule that fired, and why, is shown to the officer; a supervisor may override
/// it with a reason.
public struct TriageRules: Sendable, Equatable {
    public struct Condition: Sendable, Equatable {
        public enum Subject: String, Sendable, CaseIterable {
            case nationality, sex, claimType, specificNeeds, age, previousApplications
        }

        public let subject: Subject
        /// For nationality, sex, claimType and specificNeeds: any of these.
        public let values: [String]
        /// For age and previousApplications.
        public let below: Int?
        public let atLeast: Int?

        public init(subject: Subject, values: [String] = [], below: Int? = nil, atLeast: Int? = nil) {
            self.subject = subject
            self.values = values
            self.below = below
            self.atLeast = atLeast
        }

        /// Whether it holds, and the explanation either way.
        func check(_ facts: TriageFacts) -> (holds: Bool, reason: String) {
            func among(_ value: String?, _ name: String) -> (Bool, String) {
                guard let value, !value.isEmpty else { return (false, "\(name) unknown") }
                let holds = values.contains(value)
                return (holds, holds ? "\(name) \(value) is one of \(values.joined(separator: ", "))" : "\(name) \(value) is not one of \(values.joined(separator: ", "))")
            }
            func range(_ value: Int?, _ name: String) -> (Bool, String) {
                guard let value else { return (false, "\(name) unknown") }
                var parts: [String] = []
                var holds = true
                if let below { holds = holds && value < below; parts.append("below \(below)") }
                if let atLeast { holds = holds && value >= atLeast; parts.append("at least \(atLeast)") }
                return (holds, "\(name) \(value) \(holds ? "is" : "is not") \(parts.joined(separator: " and "))")
            }
            switch subject {
            case .nationality: return among(facts.nationality, "nationality")
            case .sex: return among(facts.sex, "sex")
            case .claimType: return among(facts.claimType, "claim type")
            case .specificNeeds: return among(facts.specificNeeds ?? "none", "specific needs")
            case .age: return range(facts.age, "age")
            case .previousApplications: return range(facts.previousApplications, "previous applications")
            }
        }
    }

    public struct Rule: Sendable, Equatable {
        public let id: String
        public let label: String
        public let track: String
        public let conditions: [Condition]

        public init(id: String, label: String, track: String, conditions: [Condition]) {
            self.id = id
            self.label = label
            self.track = track
            self.conditions = conditions
        }
    }

    public let caseType: CaseType
    public let version: Int
    /// The workflow field the track is written to (a choice whose options are the tracks).
    public let field: String
    public let defaultTrack: String
    /// Decision outcomes that count as recognition, for the rate of similar profiles.
    public let recognition: [String]
    /// The transitions after which the rules run (the claim's particulars are then known).
    public let after: [String]
    public let rules: [Rule]
    /// Source lines of the rules, for `accord profiles validate`.
    public var lines: [String: Int] = [:]

    public init(caseType: CaseType, version: Int, field: String, defaultTrack: String, recognition: [String], after: [String], rules: [Rule]) {
        self.caseType = caseType
        self.version = version
        self.field = field
        self.defaultTrack = defaultTrack
        self.recognition = recognition
        self.after = after
        self.rules = rules
    }

    /// The first rule that holds, with the reasons it holds; the default track otherwise.
    public func evaluate(_ facts: TriageFacts) -> TriageResult {
        for rule in rules {
            let checks = rule.conditions.map { $0.check(facts) }
            if checks.allSatisfy(\.holds) {
                return TriageResult(track: rule.track, rule: rule.id, label: rule.label, reasons: checks.map(\.reason))
            }
        }
        return TriageResult(track: defaultTrack, rule: nil, label: "No rule applies: \(defaultTrack) track", reasons: [])
    }

    /// Problems against the workflow the rules write into (file:line through `lines`).
    public func problems(workflow: Workflow) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        func fail(_ code: String, _ message: String, _ path: String) {
            problems.append(Diagnostic(code: "triage.\(code)", message: message, path: path, line: lines[path] ?? lines[""]))
        }
        guard let target = workflow.field(field), target.kind == .choice else {
            fail("unknown_field", "the \(workflow.caseType.rawValue) workflow has no choice field \(field) to write the track to", "field")
            return problems
        }
        let tracks = target.options
        if !tracks.contains(defaultTrack) { fail("unknown_track", "\(defaultTrack) is not one of \(field)'s options (\(tracks.joined(separator: ", ")))", "default") }
        let outcomes = Set(workflow.decision?.outcomes.map(\.id) ?? [])
        for outcome in recognition where !outcomes.contains(outcome) { fail("unknown_outcome", "\(outcome) is not a decision outcome of the workflow", "recognition") }
        for transition in after where workflow.transition(transition) == nil { fail("unknown_transition", "the workflow has no transition \(transition)", "after") }
        var seen: Set<String> = []
        for (index, rule) in rules.enumerated() {
            let path = "rules[\(index)]"
            if !seen.insert(rule.id).inserted { fail("duplicate_rule", "rule id \(rule.id) is used twice", path) }
            if !tracks.contains(rule.track) { fail("unknown_track", "\(rule.track) is not one of \(field)'s options (\(tracks.joined(separator: ", ")))", "\(path).track") }
            if rule.conditions.isEmpty { fail("no_conditions", "rule \(rule.id) has no conditions: it would fire for everyone (use default)", path) }
            for condition in rule.conditions {
                let fieldName: String? = condition.subject == .claimType ? "claimType" : condition.subject == .specificNeeds ? "specificNeeds" : nil
                guard let fieldName else { continue }
                guard let definition = workflow.field(fieldName) else {
                    fail("unknown_field", "the workflow has no field \(fieldName) for this condition", "\(path).when.\(condition.subject.rawValue)")
                    continue
                }
                if definition.kind == .choice {
                    let options = definition.options
                    for value in condition.values where !options.contains(value) && !(fieldName == "specificNeeds" && value == "none") {
                        fail("unknown_value", "\(value) is not an option of \(fieldName) (\(options.joined(separator: ", ")))", "\(path).when.\(condition.subject.rawValue)")
                    }
                }
            }
        }
        return problems
    }
}

/// What the rules look at, gathered from the person, the case's fields and the case file.
public struct TriageFacts: Sendable, Equatable {
    public var nationality: String?
    public var sex: String?
    public var claimType: String?
    public var specificNeeds: String?
    public var age: Int?
    public var previousApplications: Int

    public init(nationality: String? = nil, sex: String? = nil, claimType: String? = nil, specificNeeds: String? = nil, age: Int? = nil, previousApplications: Int = 0) {
        self.nationality = nationality
        self.sex = sex
        self.claimType = claimType
        self.specificNeeds = specificNeeds
        self.age = age
        self.previousApplications = previousApplications
    }
}

public struct TriageResult: Sendable, Equatable {
    public let track: String
    /// The rule that fired (nil: the default track).
    public let rule: String?
    public let label: String
    public let reasons: [String]
}

/// The track a case is on, the rule that put it there and who overrode it, if anyone.
public struct CaseTriage: Sendable, Equatable, Codable {
    public var track: String
    public var rule: String?
    public var overriddenBy: UserID?

    public init(track: String, rule: String?, overriddenBy: UserID? = nil) {
        self.track = track
        self.rule = rule
        self.overriddenBy = overriddenBy
    }
}

/// How similar profiles (cases the same rule put on a track) were decided.
public struct TriageInsight: Sendable, Equatable {
    public let decided: Int
    public let recognised: Int
    /// Fewer than this many decided cases: no rate is shown (too few to mean anything, and a
    /// small group could be recognised).
    public static let minimumGroup = 5

    public var rate: Double? { decided >= Self.minimumGroup ? Double(recognised) / Double(decided) : nil }
}
