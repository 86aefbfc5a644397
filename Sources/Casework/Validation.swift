import Foundation

import AccordCore

/// Collects the problems of one input with their paths, so a client learns all of them at once.
struct Validation {
    private(set) var diagnostics: [Diagnostic] = []

    mutating func fail(_ code: String, _ message: String, at path: String) {
        diagnostics.append(Diagnostic(.error, code: code, message: message, path: path))
    }

    /// Free text: trimmed, no control characters, bounded length. Empty counts as absent.
    mutating func text(_ value: String?, at path: String, required: Bool = false, maxLength: Int = 200) -> String? {
        // Length in Unicode code points of the value as sent, and control characters anywhere in
        // it: the rules a JSON Schema (`maxLength`, a character class) states the same way.
        if let value, value.unicodeScalars.count > maxLength {
            fail("casework.text_too_long", "\(path) is longer than \(maxLength) characters", at: path)
            return nil
        }
        if let value, value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" }) {
            fail("casework.invalid_text", "\(path) contains control characters", at: path)
            return nil
        }
        let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if trimmed.isEmpty {
            if required { fail("casework.missing_field", "\(path) is required", at: path) }
            return nil
        }
        return trimmed
    }

    /// A value parsed from text with `parse`; reports `code` when it does not parse.
    mutating func parsed<T>(
        _ value: String?, at path: String, required: Bool = false, code: String, expected: String,
        _ parse: (String) -> T?
    ) -> T? {
        guard let raw = value?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
            // Absent is absent; present but empty is a value that does not parse (an empty
            // country or date is no country or date), unless the field is simply required.
            if required { fail("casework.missing_field", "\(path) is required", at: path) } else if value != nil { fail(code, "\(path) is empty: leave it out or give \(expected)", at: path) }
            return nil
        }
        guard let result = parse(raw) else {
            fail(code, "\(path): '\(raw.prefix(40))' is not \(expected)", at: path)
            return nil
        }
        return result
    }

    mutating func country(_ value: String?, at path: String, required: Bool = false) -> CountryCode? {
        parsed(value, at: path, required: required, code: "casework.invalid_country_code", expected: "an ISO 3166-1 alpha-3 country code", CountryCode.init)
    }

    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: malformed text is `casework.invalid_date`, a
    /// well-formed month or day outside the calendar `casework.date_not_in_calendar`.
    mutating func partialDate(_ value: String?, at path: String) -> PartialDate? {
        guard let raw = value?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
            if value != nil { fail("casework.invalid_date", "\(path) is empty: leave it out or give a date (YYYY, YYYY-MM or YYYY-MM-DD)", at: path) }
            return nil
        }
        if let date = PartialDate(raw) { return date }
        let parts = raw.split(separator: "-", omittingEmptySubsequences: false)
        let shaped = (1...3).contains(parts.count) && parts[0].count == 4 && parts.dropFirst().allSatisfy { $0.count == 2 }
            && parts.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isNumber } }
        fail(shaped ? "casework.date_not_in_calendar" : "casework.invalid_date", "\(path): '\(raw.prefix(40))' is not \(shaped ? "a date of the calendar" : "a date (YYYY, YYYY-MM or YYYY-MM-DD)")", at: path)
        return nil
    }

    /// A `YYYY-MM-DD` date. Malformed text is `casework.invalid_date`; a well-formed day that is
    /// not in the calendar (30 February) is `casework.date_not_in_calendar`.
    mutating func calendarDate(_ value: String?, at path: String) -> CalendarDate? {
        guard let raw = value?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
            if value != nil { fail("casework.invalid_date", "\(path) is empty: leave it out or give a date (YYYY-MM-DD)", at: path) }
            return nil
        }
        if let date = CalendarDate(raw) { return date }
        let shaped = raw.utf8.count == 10 && raw.enumerated().allSatisfy { index, character in [4, 7].contains(index) ? character == "-" : character.isASCII && character.isNumber }
        fail(shaped ? "casework.date_not_in_calendar" : "casework.invalid_date", "\(path): '\(raw.prefix(40))' is not \(shaped ? "a day of the calendar" : "a valid date (YYYY-MM-DD)")", at: path)
        return nil
    }

    mutating func enumeration<E: RawRepresentable & CaseIterable>(
        _ value: String?, _ type: E.Type, at path: String, required: Bool = false, code: String
    ) -> E? where E.RawValue == String {
        let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
        return parsed(value, at: path, required: required, code: code, expected: "one of \(allowed)") { E(rawValue: $0) }
    }

    func finish() throws(CaseworkError) {
        if diagnostics.hasErrors { throw CaseworkError.invalid(diagnostics) }
    }
}
