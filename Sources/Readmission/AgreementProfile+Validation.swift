public import AccordCore

extension AgreementProfile {
    /// Every problem with the profile, each with the path of the field it concerns (the loader
    /// turns paths into file lines).
    public func problems() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        func problem(_ code: String, _ message: String, _ path: String, _ severity: Diagnostic.Severity = .error) {
            problems.append(Diagnostic(severity, code: "profiles.\(code)", message: message, path: path))
        }
        if id.isEmpty || id.count > 64 || !id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
            problem("invalid_id", "the agreement id must be 1–64 of A–Z, 0–9, - and _", "id")
        }
        if parties.count != 2 {
            problem("parties", "an agreement has exactly two parties, not \(parties.count)", "parties")
        } else if parties[0].participant == parties[1].participant {
            problem("parties", "the two parties are the same participant \(parties[0].participant)", "parties[1].participant")
        }
        for (index, party) in parties.enumerated() {
            for (offset, holiday) in party.calendar.holidays.enumerated() where holiday < effectiveFrom.adding(days: -366) {
                problem("holiday_out_of_range", "holiday \(holiday) is more than a year before the agreement takes effect", "parties[\(index)].holidays[\(offset)]", .warning)
            }
            if Set(party.calendar.holidays).count != party.calendar.holidays.count {
                problem("holiday_duplicate", "a holiday of \(party.participant) is listed twice", "parties[\(index)].holidays", .warning)
            }
            if party.calendar.weekend.count >= 7 { problem("weekend", "a week needs at least one working day", "parties[\(index)].weekend") }
        }
        func check(_ limit: TimeLimit?, _ path: String, _ range: ClosedRange<Int>) {
            guard let limit else { return }
            if !range.contains(limit.days) { problem("limit_out_of_range", "\(path) must be \(range.lowerBound)–\(range.upperBound) days, not \(limit.days)", "\(path).days") }
        }
        check(replyLimit, "replyLimit", 1...365)
        check(acceleratedReplyLimit, "acceleratedReplyLimit", 1...60)
        check(extensionLimit, "extension", 1...180)
        check(transferWindow, "transferWindow", 1...730)
        check(transferNotice, "transferNotice", 0...60)
        if let accelerated = acceleratedReplyLimit, accelerated.count == replyLimit.count, accelerated.days >= replyLimit.days {
            problem("accelerated_not_shorter", "the accelerated limit (\(accelerated)) must be shorter than the normal one (\(replyLimit))", "acceleratedReplyLimit.days")
        }
        for (offset, days) in reminderWorkingDays.enumerated() where days < 1 || days > 60 {
            problem("reminder_out_of_range", "a reminder must be 1–60 working days before the limit, not \(days)", "reminders[\(offset)]")
        }
        if !(0...30).contains(escalationWorkingDays) {
            problem("limit_out_of_range", "escalation must be 0–30 working days before the limit", "escalationWorkingDays")
        }
        if proofEvidence.isEmpty { problem("evidence_missing", "the agreement lists no evidence that counts as proof of nationality", "evidence.proof") }
        for kind in Set(proofEvidence).intersection(primaFacieEvidence).sorted() {
            problem("evidence_conflict", "\(kind) is listed both as proof and as prima facie evidence", "evidence.primaFacie")
        }
        if languages.isEmpty { problem("languages_missing", "the agreement names no language of exchange", "languages") }
        return problems
    }
}
