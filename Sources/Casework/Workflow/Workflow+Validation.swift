public import AccordCore

extension Workflow {
    /// Every problem of the workflow, each at the line of the element it is about: unknown
    /// states, unreachable states, dead ends, guards naming unknown fields, timers naming unknown
    /// transitions, tasks for unknown teams. `roles` are the access policy's role names.
    public func problems(roles: Set<String>) -> [Diagnostic] {
        var found: [Diagnostic] = []
        func fail(_ code: String, _ message: String, _ at: String, _ severity: Diagnostic.Severity = .error) {
            found.append(Diagnostic(severity, code: code, message: message, path: at, line: line(of: at)))
        }
        let stateIDs = states.map(\.id)
        for (index, id) in stateIDs.enumerated() where stateIDs[..<index].contains(id) {
            fail("workflow.duplicate_state", "state \(id) is defined twice", "states.\(id)")
        }
        let transitionIDs = transitions.map(\.id)
        for (index, id) in transitionIDs.enumerated() where transitionIDs[..<index].contains(id) {
            fail("workflow.duplicate_transition", "transition \(id) is defined twice", "transitions.\(id)")
        }
        let known = Set(stateIDs)
        if !known.contains(initial) { fail("workflow.unknown_state", "the initial state \(initial) is not among the states", "initial") }
        if !states.contains(where: \.final) { fail("workflow.no_final_state", "no state is final: no case could ever close", "states") }
        for reaction in reactions {
            for task in reaction.effects.tasks {
                if let role = task.role, !roles.contains(role) {
                    fail("workflow.unknown_role", "a task of reaction \(reaction.event) goes to team \(role), which is not a role of the access policy", "reactions.\(reaction.event)")
                }
            }
        }
        let fieldIDs = Set(fields.map(\.id))
        let fieldNames = fieldIDs.union(Self.builtInFields)
        for field in fields where field.kind == .choice && field.options.isEmpty {
            fail("workflow.choice_without_options", "field \(field.id) is a choice with no options", "fields.\(field.id)")
        }
        for transition in transitions {
            let at = "transitions.\(transition.id)"
            for state in transition.from + [transition.to] where !known.contains(state) {
                fail("workflow.unknown_state", "transition \(transition.id) names state \(state), which is not defined", at)
            }
            for state in transition.from where self.state(state)?.final == true {
                fail("workflow.leaves_final_state", "transition \(transition.id) leaves \(state), which is final", at)
            }
            for field in transition.guards.fields where !fieldNames.contains(field) {
                fail("workflow.unknown_field", "transition \(transition.id) requires field \(field), which the workflow does not define (fields: \(fieldNames.sorted().joined(separator: ", ")))", at)
            }
            for field in transition.sets where !fieldIDs.contains(field) {
                fail("workflow.unknown_field", "transition \(transition.id) sets field \(field), which the workflow does not define", at)
            }
            if transition.guards.decision != nil, decision == nil {
                fail("workflow.no_decision_rule", "transition \(transition.id) requires a decision, but the workflow has no decision section", at)
            }
            for task in transition.effects.tasks {
                if let role = task.role, !roles.contains(role) {
                    fail("workflow.unknown_role", "a task of transition \(transition.id) goes to team \(role), which is not a role of the access policy", at)
                }
            }
            if transition.permission == nil, transition.on.isEmpty, !states.contains(where: { $0.deadline?.onExpiry == transition.id }) {
                fail("workflow.untakeable_transition", "transition \(transition.id) has no permission, no triggering event and no timer: nobody can take it", at, .warning)
            }
            if transition.fourEyes, transition.permission == nil {
                fail("workflow.four_eyes_without_permission", "transition \(transition.id) asks for four eyes but names no permission", at)
            }
        }
        for state in states {
            let at = "states.\(state.id)"
            if let deadline = state.deadline {
                if !(1...3650).contains(deadline.limit.days) {
                    fail("workflow.invalid_deadline", "the deadline of \(state.id) must be 1 to 3650 days", at)
                }
                for days in deadline.remindBefore where days < 1 || days >= deadline.limit.days {
                    fail("workflow.invalid_reminder", "a reminder of \(state.id) \(days) days before its \(deadline.limit.days)-day deadline can never be sent", at)
                }
                if let expiry = deadline.onExpiry {
                    if let transition = self.transition(expiry) {
                        if !transition.from.contains(state.id) {
                            fail("workflow.expiry_not_from_state", "on expiry of \(state.id) the workflow takes \(expiry), which does not leave \(state.id)", at)
                        }
                    } else {
                        fail("workflow.unknown_transition", "on expiry of \(state.id) the workflow takes \(expiry), which is not defined", at)
                    }
                }
                if state.final { fail("workflow.deadline_on_final_state", "final state \(state.id) has a deadline", at) }
            }
            if !state.final, outgoing(from: state.id).isEmpty {
                fail("workflow.dead_end", "state \(state.id) is not final and no transition leaves it: cases would be stuck there", at)
            }
        }
        // Reachability from the initial state, and whether a final state can still be reached.
        if known.contains(initial) {
            var reached: Set<String> = [initial]
            var frontier = [initial]
            while let state = frontier.popLast() {
                for transition in outgoing(from: state) where known.contains(transition.to) && reached.insert(transition.to).inserted {
                    frontier.append(transition.to)
                }
            }
            for state in states where !reached.contains(state.id) {
                fail("workflow.unreachable_state", "state \(state.id) cannot be reached from \(initial)", "states.\(state.id)")
            }
            var closing = Set(states.filter(\.final).map(\.id))
            var changed = true
            while changed {
                changed = false
                for transition in transitions where closing.contains(transition.to) {
                    for state in transition.from where closing.insert(state).inserted { changed = true }
                }
            }
            for state in states where reached.contains(state.id) && !closing.contains(state.id) && !outgoing(from: state.id).isEmpty {
                fail("workflow.dead_end", "from state \(state.id) no final state can be reached", "states.\(state.id)")
            }
        }
        if let decision {
            let ids = decision.outcomes.map(\.id)
            if ids.isEmpty { fail("workflow.no_outcomes", "the decision lists no outcomes", "decision") }
            for (index, id) in ids.enumerated() where ids[..<index].contains(id) {
                fail("workflow.duplicate_outcome", "outcome \(id) is listed twice", "decision")
            }
        }
        return found
    }

    /// The line of `path`, or of its closest enclosing element.
    func line(of path: String) -> Int? {
        var key = path
        while true {
            if let line = lines[key] { return line }
            guard let dot = key.lastIndex(of: ".") else { return lines[""] }
            key = String(key[..<dot])
        }
    }
}
