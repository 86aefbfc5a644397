public import AccordCore

extension PersonDetails {
    /// How each name token sounds across scripts and transliterations (`TextFolding.skeleton`),
    /// family and given names apart.
    public var familySkeletons: Set<String> {
        Set(([name.family] + nativeNames.map(\.family)).flatMap(TextFolding.tokens).flatMap(TextFolding.skeletons))
    }

    public var givenSkeletons: Set<String> {
        Set(([name.given] + nativeNames.map(\.given)).flatMap(TextFolding.tokens).flatMap(TextFolding.skeletons))
    }
}

/// A person already registered who may be the one being registered, with the score and the
/// reasons an officer reads ("same document number", "family name sounds alike").
public struct DuplicateCandidate: Sendable, Equatable {
    public let person: Person
    public let score: Int
    public let reasons: [String]
}

/// Explainable likelihood that two records are the same person, 0–100: documents, names (as
/// written, then as they sound across scripts), date of birth at whatever precision both give,
/// nationality and sex. Weights are data-free on purpose: every point has a reason shown.
public enum DuplicateScoring {
    /// From this score up a record is shown as a likely duplicate.
    public static let threshold = 50

    public static func score(_ candidate: PersonDetails, against input: PersonDetails) -> (score: Int, reasons: [String]) {
        var score = 0
        var reasons: [String] = []
        let numbers = input.documentNumbers.intersection(candidate.documentNumbers)
        if let number = numbers.sorted().first {
            score += 60
            reasons.append("same document number \(number)")
        }
        score += names(candidate, input, &reasons)
        score += birth(candidate.dateOfBirth, input.dateOfBirth, &reasons)
        if let a = candidate.nationality, let b = input.nationality {
            if a == b { score += 5; reasons.append("same nationality \(a.rawValue)") } else { score -= 10; reasons.append("different nationality (\(a.rawValue), \(b.rawValue))") }
        }
        if candidate.sex != .unspecified, input.sex != .unspecified, candidate.sex != input.sex {
            score -= 15
            reasons.append("different sex")
        }
        return (min(100, max(0, score)), reasons)
    }

    static func names(_ candidate: PersonDetails, _ input: PersonDetails, _ reasons: inout [String]) -> Int {
        func written(_ details: PersonDetails, family: Bool) -> Set<String> {
            Set(([family ? details.name.family : details.name.given] + details.nativeNames.map { family ? $0.family : $0.given }).flatMap(TextFolding.tokens))
        }
        var score = 0
        if !written(candidate, family: true).isDisjoint(with: written(input, family: true)) {
            score += 25
            reasons.append("same family name")
        } else if !candidate.familySkeletons.isDisjoint(with: input.familySkeletons) {
            score += 20
            reasons.append("family name sounds alike (\(candidate.familySkeletons.intersection(input.familySkeletons).sorted().joined(separator: ", ")))")
        } else if !candidate.familySkeletons.isDisjoint(with: input.givenSkeletons) && !candidate.givenSkeletons.isDisjoint(with: input.familySkeletons) {
            score += 15
            reasons.append("given and family names swapped")
            return score + 10
        }
        if !written(candidate, family: false).isDisjoint(with: written(input, family: false)) {
            score += 15
            reasons.append("same given name")
        } else if !candidate.givenSkeletons.isDisjoint(with: input.givenSkeletons) {
            score += 12
            reasons.append("given name sounds alike")
        }
        return score
    }

    static func birth(_ a: PartialDate?, _ b: PartialDate?, _ reasons: inout [String]) -> Int {
        guard let a, let b else { return 0 }
        if a.year != b.year {
            // One digit off in the year is a typing error as often as a different person.
            if abs(a.year - b.year) == 1, a.month == b.month, a.day == b.day, a.month != nil {
                reasons.append("date of birth one year apart")
                return 5
            }
            reasons.append("different year of birth (\(a.year), \(b.year))")
            return -25
        }
        guard let am = a.month, let bm = b.month else {
            reasons.append("same year of birth \(a.year) (the rest unknown on one side)")
            return 12
        }
        if let ad = a.day, let bd = b.day {
            if am == bm && ad == bd { reasons.append("same date of birth"); return 25 }
            if am == bd && ad == bm { reasons.append("day and month of birth swapped"); return 15 }
            if am == bm { reasons.append("same month and year of birth, different day"); return 5 }
            reasons.append("different date of birth in \(a.year)")
            return -10
        }
        if am == bm { reasons.append("same month and year of birth"); return 18 }
        reasons.append("different month of birth")
        return -10
    }
}
