import Foundation

/// Normalisation used for name search: case-, accent- and width-insensitive tokens, so that
/// "MÜLLER", "Muller" and "müller" meet. Non-Latin scripts keep their letters (folded for case
/// and marks only); the Latin transliteration stored with every name makes them findable in Latin.
public enum TextFolding {
    /// Splits a name into folded search tokens (letters and digits only).
    public static func tokens(_ text: String) -> [String] {
        fold(text)
            .split(whereSeparator: { !($0.isLetter || $0.isNumber) })
            .map(String.init)
            .filter { !$0.isEmpty }
    }

    /// Folds case, diacritics and width, and a few letters that do not decompose.
    public static func fold(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var result = ""
        result.reserveCapacity(folded.count)
        for scalar in folded.unicodeScalars {
            switch scalar {
            case "ß": result += "ss"
            case "æ": result += "ae"
            case "ø": result += "o"
            case "œ": result += "oe"
            case "ł": result += "l"
            case "đ", "ð": result += "d"
            case "þ": result += "th"
            case "ı": result += "i"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Normalises a document or reference number: uppercase ASCII letters and digits only.
    public static func documentNumber(_ text: String) -> String {
        String(text.unicodeScalars.filter { ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) }.map(Character.init)).uppercased()
    }

    /// Particles that do not tell people apart ("El Amrani" and "Amrani" are the same family name).
    static let particles: Set<String> = ["al", "el", "ul", "ad", "ar", "as", "at", "an", "az", "bin", "ben", "ibn", "bint", "abu", "abou", "de", "van", "von", "der", "da", "di"]

    /// A name token written in any script, reduced to how it sounds across transliterations:
    /// transliterated to Latin (ICU), folded to a–z, spelling variants merged (kh → h, ou → u,
    /// dj → j, ch/sh → s, q/c → k, x → ks, ph → f, w → v…), vowels (and y, and j or w not at the
    /// start) dropped, repeats collapsed. "Mohammed", "Muhammad" and "محمد" all give "mhmd";
    /// "Youssef", "Yusuf" and "يوسف" give "sf". Empty for particles and for tokens without letters.
    public static func skeleton(_ token: String) -> String {
        let latin = (token.applyingTransform(.toLatin, reverse: false) ?? token)
        var text = String(fold(latin).unicodeScalars.filter { ("a"..."z").contains($0) }.map(Character.init))
        guard !text.isEmpty, !particles.contains(text) else { return "" }
        // A glued Arabic article: "alʿmrany" → "mrany" (only before a consonant, on a long token).
        for article in ["al", "el"] where text.count >= 6 && text.hasPrefix(article) {
            let rest = text.dropFirst(2)
            if let next = rest.first, !"aeiouy".contains(next), next != "l" { text = String(rest) }
        }
        // Final -ff is the French and German spelling of Russian -ov; xh is the Albanian dj.
        if text.hasSuffix("ff") { text = String(text.dropLast(2)) + "v" }
        for (from, to) in [("tsch", "s"), ("tch", "s"), ("sch", "s"), ("dzh", "j"), ("xh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "h"), ("gh", "g"), ("ph", "f"), ("sh", "s"),
                           ("ch", "s"), ("th", "t"), ("dh", "d"), ("ck", "k"), ("ou", "u"), ("q", "k"), ("c", "k"), ("x", "ks"), ("w", "v")] {
            text = text.replacingOccurrences(of: from, with: to)
        }
        var result = ""
        for (index, character) in text.enumerated() {
            if "aeiouy".contains(character) { continue }
            if index > 0 && (character == "j" || character == "v") { continue }
            if result.last == character { continue }
            result.append(character)
        }
        // A final h after a vowel is not heard (Mensah, Fatimah).
        if result.count > 2, result.hasSuffix("h"), let last = text.dropLast().last, "aeiouy".contains(last) { result.removeLast() }
        return result.isEmpty ? String(text.prefix(1)) : result
    }

    /// The skeleton and the variants a particle glued to the name gives ("Elamrani" and "Amrani",
    /// "Benali" and "Ali"): all are indexed, so either spelling meets the other.
    public static func skeletons(_ token: String) -> [String] {
        let main = skeleton(token)
        guard !main.isEmpty else { return [] }
        var result = [main]
        if main.count >= 4, main.hasPrefix("l") { result.append(String(main.dropFirst())) }
        if main.count >= 3, main.hasPrefix("bn") { result.append(String(main.dropFirst(2))) }
        return result
    }
}
