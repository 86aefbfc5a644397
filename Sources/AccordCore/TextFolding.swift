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
}
