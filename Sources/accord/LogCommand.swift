import AccordCore
import AccordServer
import ArgumentParser
import Crypto
import Exchange
import Federation
import Foundation
import Ledger
import Storage
import X509

struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Check the federation message log of a hub or node (RFC 6962 Merkle tree, signed checkpoints).",
        discussion: """
            Checkpoints are signed with the installation's federation signer key, so a participant \
            checks a proof with the signer certificate the federation configuration lists.
            """,
        subcommands: [Verify.self, CheckpointNow.self, Prove.self, CheckProof.self]
    )

    struct Installation: ParsableArguments {
        @OptionGroup var options: NodeOptions
        @OptionGroup var pki: PKIOption

        @Option(help: "The installation's participant ID (its signer certificate and key are in --pki).")
        var participant: String

        var id: ParticipantID {
            get throws {
                guard let id = ParticipantID(participant) else { throw ValidationError("'\(participant)' is not a participant ID such as BEL-DOFI") }
                return id
            }
        }

        /// The message log's store; opened without the casework keys.
        func open() async throws -> (SQLStore, SQLExchangeStore) {
            let configuration = try await NodeConfiguration.load(flags: options.flags, configFile: options.config)
            let location = try configuration.databaseLocation()
            try AccordNode.requireDatabase(at: location)
            let store = try await SQLStore.open(location)
            do {
                if try await Migrator(store: store).applied().isEmpty { throw StorageError.notFound(location.description) }
                _ = try await Migrator(store: store).migrate()
            } catch {
                await store.shutdown()
                throw error
            }
            return (store, SQLExchangeStore(store: store))
        }

        func publicKey() throws -> P256.Signing.PublicKey {
            try signerKey(pki.directory.certificateURL(try id, .signer))
        }

        func privateKey() throws -> P256.Signing.PrivateKey {
            try P256.Signing.PrivateKey(pemRepresentation: String(contentsOf: pki.directory.keyURL(try id, .signer), encoding: .utf8))
        }

        var origin: String { "accord-exchange-log/\(participant)" }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the message log's hash chain and check every signed checkpoint.",
            discussion: "Exits 0 when intact; otherwise prints each problem with its code and exits 1."
        )

        @OptionGroup var installation: Installation

        func run() async throws {
            try await reportingErrors {
                let (store, log) = try await installation.open()
                let key: P256.Signing.PublicKey
                do { key = try installation.publicKey() } catch {
                    await store.shutdown()
                    throw error
                }
                let result = try await log.verifyLogAndCheckpoints(key: key)
                let covered = try await log.checkpoints().last?.size ?? 0
                await store.shutdown()
                try reportVerification(of: "message log", entries: result.entries, checkpoints: result.checkpoints, covered: covered, problems: result.problems)
            }
        }
    }

    struct CheckpointNow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "checkpoint", abstract: "Sign a checkpoint over all entries now.")

        @OptionGroup var installation: Installation

        func run() async throws {
            try await reportingErrors {
                let key = try installation.privateKey()
                let (store, log) = try await installation.open()
                let checkpoint = try await log.checkpoint(origin: installation.origin, key: key, at: Date())
                await store.shutdown()
                print(checkpoint.map { "checkpoint at \($0.size) entries, root \(Data($0.root).base64EncodedString())" } ?? "no entries yet")
            }
        }
    }

    struct Prove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write inclusion proofs of every log entry about one message (JSON), signing a fresh checkpoint first if the log grew."
        )

        @OptionGroup var installation: Installation

        @Argument(help: "The message as SENDER/MESSAGE-ID, e.g. BEL-DOFI/0b7c….")
        var message: String

        func run() async throws {
            try await reportingErrors {
                let parts = message.split(separator: "/", maxSplits: 1).map(String.init)
                guard parts.count == 2, let sender = ParticipantID(parts[0]), let id = Message.ID(parts[1]) else {
                    throw ValidationError("give the message as SENDER/MESSAGE-ID")
                }
                let key = try installation.privateKey()
                let (store, log) = try await installation.open()
                do {
                    try await log.checkpoint(origin: installation.origin, key: key, at: Date())
                    let proofs = try await log.inclusionProofs(for: MessageKey(sender: sender, messageID: id))
                    await store.shutdown()
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                    print(String(decoding: try encoder.encode(proofs), as: UTF8.self))
                } catch {
                    await store.shutdown()
                    throw error
                }
            }
        }
    }

    struct CheckProof: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check-proof",
            abstract: "Check inclusion proofs offline against the log owner's signer certificate; optionally that they are about a given message file."
        )

        @Argument(help: "A file written by `accord log prove`.")
        var file: String

        @Option(help: "The log owner's signer certificate (PEM), e.g. from the federation configuration.")
        var certificate: String

        @Option(help: "The signed message (as sent) whose SHA-256 digest the entries must carry.")
        var message: String?

        func run() async throws {
            try await reportingErrors {
                let decoder = JSONDecoder()
                let proofs = try decoder.decode([LogInclusionProof].self, from: Data(contentsOf: URL(fileURLWithPath: file)))
                let key = try signerKey(URL(fileURLWithPath: certificate))
                let digest = try message.map { SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: $0))).map { String(format: "%02x", $0) }.joined() }
                var failed = false
                for proof in proofs {
                    var problems = proof.problems(key: key)
                    if let digest, !proof.entry.split(separator: "\n").contains(Substring(digest)) {
                        problems.append("the entry does not carry the message's digest \(digest)")
                    }
                    let summary = proof.entry.split(separator: "\n").dropFirst().joined(separator: " ")
                    if problems.isEmpty {
                        let fields = proof.checkpointFields
                        print("ok: entry \(proof.index + 1) (\(summary)) is in checkpoint \(fields?.origin ?? "?") of \(fields?.size ?? 0) entries")
                    } else {
                        failed = true
                        for problem in problems { print("error: exchange.proof_invalid: entry \(proof.index + 1): \(problem)") }
                    }
                }
                if proofs.isEmpty || failed { throw ExitCode(1) }
            }
        }
    }
}

/// The P-256 public key of a signer certificate file.
func signerKey(_ file: URL) throws -> P256.Signing.PublicKey {
    guard FileManager.default.fileExists(atPath: file.path) else {
        throw ServerError(code: "pki.not_found", reason: "\(file.path) does not exist: give the federation PKI directory with --pki (nothing was created)")
    }
    let certificate = try Certificate(pemEncoded: String(contentsOf: file, encoding: .utf8))
    guard let key = P256.Signing.PublicKey(certificate.publicKey) else { throw ValidationError("\(file.lastPathComponent) does not hold a P-256 key") }
    return key
}

/// Prints what a log verification found; exits 1 when anything is wrong.
func reportVerification(of name: String, entries: Int, checkpoints: Int, covered: Int, problems: [Diagnostic]) throws {
    print("\(name): \(entries) entries, \(checkpoints) signed checkpoints, \(covered) entries covered by the latest")
    if entries > covered {
        print("note: \(entries - covered) newest entries are protected by the hash chain only until the next checkpoint")
    }
    guard problems.isEmpty else {
        for problem in problems { print("error: \(problem.code): \(problem.message)") }
        throw ExitCode(1)
    }
    print("intact")
}
