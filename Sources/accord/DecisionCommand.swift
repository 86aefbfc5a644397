import AccordServer
import ArgumentParser
import Casework
import Crypto
import Exchange
import Foundation

struct DecisionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decision",
        abstract: "Check signed decisions offline.",
        subcommands: [Verify.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify decisions as the API returns them against the node's decision key.",
            discussion: """
                FILE is one decision (GET …/decisions returns {"decisions": [...]}; either shape is read). The key is \
                the PEM from GET /api/v1/decision-key, or <data-dir>/keys/decision-key.pem. With --record, the \
                canonical record that was signed is written out, for `openssl dgst -sha256 -verify KEY \
                -signature SIG.der RECORD` (Docs/Operations.md). Exits 1 unless every approved decision verifies.
                """
        )

        @Argument(help: "A decision, or a decision list, as JSON.")
        var file: String

        @Option(help: "The decision key (public or private PEM).")
        var key: String

        @Option(help: "Write the signed record of the (last) decision here.")
        var record: String?

        @Option(help: "Write the (last) decision's DER signature here.")
        var signature: String?

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = Timestamp.decodingStrategy
            struct List: Decodable { let decisions: [CaseDecision] }
            let decisions: [CaseDecision]
            if let list = try? decoder.decode(List.self, from: data) {
                decisions = list.decisions
            } else {
                do { decisions = [try decoder.decode(CaseDecision.self, from: data)] } catch {
                    throw ValidationError("\(file) is not a decision as the API returns it: \(error)")
                }
            }
            guard let pem = FileManager.default.contents(atPath: key).map({ String(decoding: $0, as: UTF8.self) }) else { throw ValidationError("cannot read \(key)") }
            let publicKey: P256.Signing.PublicKey
            if let parsed = try? P256.Signing.PublicKey(pemRepresentation: pem) { publicKey = parsed } else if let privateKey = try? P256.Signing.PrivateKey(pemRepresentation: pem) {
                publicKey = privateKey.publicKey
            } else {
                throw ValidationError("\(key) is not a P-256 key in PEM")
            }
            let keyID = NodeDecisionSigner.keyID(of: publicKey)
            var failures = 0
            for decision in decisions {
                guard decision.state == .approved, let encoded = decision.signature, let der = Data(base64Encoded: encoded) else {
                    print("\(decision.caseNumber.text) \(decision.id): \(decision.state.rawValue), not signed")
                    continue
                }
                let valid = decision.signingKey == keyID
                    && (try? P256.Signing.ECDSASignature(derRepresentation: der)).map { publicKey.isValidSignature($0, for: decision.signedBytes) } == true
                print("\(decision.caseNumber.text) \(decision.id): \(decision.outcome), proposed by \(decision.proposedBy), approved by \(decision.approvedBy?.rawValue ?? "-"): "
                      + (valid ? "signature verifies (key \(keyID.prefix(16))…)" : "SIGNATURE DOES NOT VERIFY"))
                if !valid { failures += 1 }
                if let record { try Data(decision.signedBytes).write(to: URL(fileURLWithPath: record)) }
                if let signature { try der.write(to: URL(fileURLWithPath: signature)) }
            }
            if failures > 0 { throw ExitCode(1) }
        }
    }
}
