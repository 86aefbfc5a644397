import Foundation
import Hummingbird

/// The console's words in each language it speaks (Strings/<lang>.json, the same keys in every
/// file — a test checks). The readmission screens use them; adding a language is adding a file.
struct ConsoleStrings: Sendable {
    static let languages = ["en", "fr"]
    static let cookie = "accord_lang"

    let tables: [String: [String: String]]

    static func load() throws -> ConsoleStrings {
        var tables: [String: [String: String]] = [:]
        for language in languages {
            guard let url = Bundle.module.url(forResource: language, withExtension: "json", subdirectory: "Strings")
                ?? Bundle.module.url(forResource: "Strings/\(language)", withExtension: "json") else {
                throw ConsoleError(code: "console.resources_missing", reason: "the console's \(language) strings are not installed")
            }
            tables[language] = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: url))
        }
        return ConsoleStrings(tables: tables)
    }

    /// `?lang=` first, then the cookie, then the browser's Accept-Language, then English.
    func language(for request: Request) -> String {
        if let asked = request.uri.queryParameters["lang"].map(String.init), Self.languages.contains(asked) { return asked }
        if let chosen = request.cookies[Self.cookie]?.value, Self.languages.contains(chosen) { return chosen }
        let accepted = (request.headers[.acceptLanguage] ?? "").split(separator: ",").map { $0.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).prefix(2).lowercased() }
        return accepted.first { Self.languages.contains($0) } ?? "en"
    }

    func table(_ language: String) -> [String: String] {
        tables[language] ?? tables["en"] ?? [:]
    }
}
