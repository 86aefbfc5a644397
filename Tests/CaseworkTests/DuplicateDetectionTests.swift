import AccordCore
import AccordTesting
import Casework
import Foundation
import Identity
import Testing

/// Search before create across scripts and spellings: the sound-alike skeletons, and a labelled
/// set of person pairs (Tests/Vectors/make_duplicate_pairs.py) run end to end — the first record
/// registered, the second looked up through the keyed indexes and scored — with precision and
/// recall printed.
@Suite struct DuplicateDetectionTests {
    @Test func namesSoundAlikeAcrossScriptsAndSpellings() {
        func same(_ names: [String]) -> Bool { Set(names.map(TextFolding.skeleton)).count == 1 }
        #expect(same(["Mohammed", "Muhammad", "Mohamed", "محمد"]))
        #expect(same(["Youssef", "Yusuf", "Yousef", "يوسف"]))
        #expect(same(["Amrani", "El Amrani".split(separator: " ").map(String.init).last!, "العمراني"]))
        #expect(same(["Aleksandr", "Alexander", "Александр"]))
        #expect(same(["Sergei", "Sergey", "Сергей"]))
        #expect(same(["Khaled", "Khalid"]))
        #expect(TextFolding.skeleton("El") == "" && TextFolding.skeleton("ibn") == "", "particles")
        #expect(TextFolding.skeleton("Karimi") != TextFolding.skeleton("Hosseini"))
    }

    struct Vectors: Decodable {
        struct Record: Decodable {
            struct Native: Decodable { let script, given, family: String }
            let given, family, dateOfBirth, nationality, sex: String
            let passport: String?
            let native: Native?

            var input: PersonInput {
                PersonInput(name: NameInput(given: given, family: family),
                            nativeNames: native.map { [ScriptedNameInput(script: $0.script, given: $0.given, family: $0.family)] },
                            dateOfBirth: dateOfBirth, sex: sex, nationality: nationality,
                            identityDocuments: passport.map { [IdentityDocumentInput(kind: "passport", number: $0, issuingCountry: nationality)] })
            }
        }

        struct Pair: Decodable {
            let kind: String
            let same: Bool
            let a, b: Record
        }

        let pairs: [Pair]
    }

    @Test(arguments: TestDatabase.all)
    func aLabelledSetOfPairsIsFoundWithPrecisionAndRecall(_ database: TestDatabase) async throws {
        let url = try #require(Bundle.module.url(forResource: "Resources/duplicate-pairs", withExtension: "json"))
        let vectors = try JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url))
        #expect(vectors.pairs.count >= 200)
        try await database.withService { service, _, _ in
            var counts: [String: (tp: Int, fp: Int, fn: Int, tn: Int)] = [:]
            var misses: [String] = []
            for pair in vectors.pairs {
                let registered = try await service.registerPerson(pair.a.input, by: .system)
                let found = try await service.likelyDuplicates(pair.b.input, limit: 50, by: .system)
                let hit = found.first { $0.person.id == registered.id }
                var entry = counts[pair.kind] ?? (0, 0, 0, 0)
                switch (pair.same, hit != nil) {
                case (true, true): entry.tp += 1
                case (false, true): entry.fp += 1; misses.append("false match \(pair.kind): \(pair.a.given) \(pair.a.family) / \(pair.b.given) \(pair.b.family) — \(hit!.score): \(hit!.reasons)")
                case (true, false): entry.fn += 1; misses.append("missed \(pair.kind): \(pair.a.given) \(pair.a.family) \(pair.a.dateOfBirth) / \(pair.b.given) \(pair.b.family) \(pair.b.dateOfBirth)")
                case (false, false): entry.tn += 1
                }
                counts[pair.kind] = entry
                // Each pair on its own: the registered record does not stay to match later pairs.
                try await service.erasePerson(registered.id, by: .system)
            }
            let tp = counts.values.map(\.tp).reduce(0, +), fp = counts.values.map(\.fp).reduce(0, +)
            let fn = counts.values.map(\.fn).reduce(0, +), tn = counts.values.map(\.tn).reduce(0, +)
            let precision = Double(tp) / Double(max(1, tp + fp)), recall = Double(tp) / Double(max(1, tp + fn))
            print("duplicate detection (\(database)): \(vectors.pairs.count) pairs, precision \(String(format: "%.3f", precision)), recall \(String(format: "%.3f", recall)) (tp \(tp), fp \(fp), fn \(fn), tn \(tn))")
            for (kind, entry) in counts.sorted(by: { $0.key < $1.key }) { print("  \(kind): tp \(entry.tp) fp \(entry.fp) fn \(entry.fn) tn \(entry.tn)") }
            for line in misses { print("  \(line)") }
            #expect(precision >= 0.95, "precision \(precision)")
            #expect(recall >= 0.95, "recall \(recall)")
        }
    }
}
