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
        let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if trimmed.isEmpty {
            if required { fail("casework.missing_field", "\(path) is required", at: path) }
            return nil
        }
        if trimmed.count > maxLength {
            fail("casework.text_too_long", "\(path) is longer than \(maxLength) characters", at: path)
            return nil
        }
        if trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" }) {
            fail("casework.invalid_text", "\(path) contains control characters", at: path)
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
            if required { fail("casework.missing_field", "\(path) is required", at: path) }
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

    mutating func calendarDate(_ value: String?, at path: String) -> CalendarDate? {
        parsed(value, at: path, code: "casework.invalid_date", expected: "a valid date (YYYY-MM-DD)", CalendarDate.init)
    }

    mutating func enumeration<E: RawRepresentable & CaseIterable>(
        _ value: String?, _ type: E.Type, at path: String, required: Bool = false, code: String
    ) -> E? where E.RawValue == String {
        let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
        return parsed(value, at: path, required: required, code: code, expected: "one of \(allowed)") { E(rawValue: $0.lowercased()) ?? E(rawValue: $0) }
    }

    func finish() throws(CaseworkError) {
        if diagnostics.hasErrors { throw CaseworkError.invalid(diagnostics) }
    }
}
