import AccordCore
import AccordServer
import ArgumentParser
import Crypto
import Foundation
import Ledger
import Storage

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the node's tamper-evident audit trail.",
        subcommands: [Verify.self, CheckpointNow.self, Proof.self, CheckProof.self]
    )

    /// Opens the node's database and its audit key.
    static func open(_ options: NodeOptions, existing: Bool = true) async throws -> (AccordNode, NodeKeys) {
        let configuration = try await NodeConfiguration.load(flags: options.flags, configFile: options.config)
        let node = try await AccordNode.open(configuration, existing: existing)
        do {
            return (node, existing ? try NodeKeys.load(in: configuration.dataDirectory) : try NodeKeys.loadOrCreate(in: configuration.dataDirectory))
        } catch {
            await node.close()
            throw error
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute every hash of the audit trail and check every signed checkpoint.",
            discussion: "Exits 0 when intact; otherwise prints each problem with its code and exits 1."
        )

        @OptionGroup var options: NodeOptions

        func run() async throws {
            try await reportingErrors {
                let (node, keys) = try await AuditCommand.open(options)
                let result = try await node.auditLog.verify(key: keys.auditLogKey.publicKey)
                await node.close()
                try reportVerification(of: "audit trail", entries: result.entries, checkpoints: result.checkpoints, covered: result.coveredByCheckpoint, problems: result.problems)
            }
        }
    }

    struct CheckpointNow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "checkpoint", abstract: "Sign a checkpoint over all entries now.")

        @OptionGroup var options: NodeOptions

        func run() async throws {
            try await reportingErrors {
                let (node, keys) = try await AuditCommand.open(options)
                let checkpoint = try await node.auditLog.checkpoint(key: keys.auditLogKey)
                await node.close()
                print(checkpoint.map { "checkpoint at \($0.size) entries, root \(Data($0.root).base64EncodedString())" } ?? "no entries yet")
            }
        }
    }

    /// What a participant or auditor checks offline.
    struct ProofDocument: Codable {
        let sequence: Int
        let entry: String
        let checkpoint: String
        let checkpointSignature: String
        let checkpointSize: Int
        let proof: [String]
        let publicKey: String
    }

    struct Proof: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print an inclusion proof of one entry in the latest checkpoint, as JSON for offline checking.")

        @OptionGroup var options: NodeOptions

        @Option(help: "The entry's sequence number.")
        var sequence: Int

        func run() async throws {
            try await reportingErrors {
                let (node, keys) = try await AuditCommand.open(options)
                let log = node.auditLog
                guard let checkpoint = try await log.checkpoints().last, sequence <= checkpoint.size, sequence >= 1 else {
                    await node.close()
                    throw ValidationError("entry \(sequence) is not covered by a checkpoint yet (run `accord audit checkpoint`)")
                }
                let entry = try await log.entries(from: sequence, limit: 1)[0]
                let proof = try await log.inclusionProof(sequence: sequence, checkpointSize: checkpoint.size)
                await node.close()
                let document = ProofDocument(
                    sequence: sequence, entry: String(decoding: entry.canonicalBytes, as: UTF8.self), checkpoint: checkpoint.body,
                    checkpointSignature: Data(checkpoint.signature).base64EncodedString(), checkpointSize: checkpoint.size,
                    proof: proof.map { Data($0).base64EncodedString() }, publicKey: keys.auditLogKey.publicKey.pemRepresentation
                )
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(document), as: UTF8.self))
            }
        }
    }

    struct CheckProof: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check-proof",
            abstract: "Check an inclusion proof offline: the checkpoint's signature and the entry's path to its root."
        )

        @Argument(help: "A file printed by `accord audit proof`.")
        var file: String

        @Option(help: "PEM public key of the node's audit log (default: the one in the file — only meaningful if you trust the file's source).")
        var publicKey: String?

        func run() async throws {
            let document = try JSONDecoder().decode(ProofDocument.self, from: Data(try readBytes(file)))
            let keyPEM = try publicKey.map(readText) ?? document.publicKey
            let key = try P256.Signing.PublicKey(pemRepresentation: keyPEM)
            let lines = document.checkpoint.split(separator: "\n", omittingEmptySubsequences: false)
            guard lines.count >= 5, let size = Int(lines[2]), size == document.checkpointSize,
                  let root = Data(base64Encoded: String(lines[3])),
                  let time = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(String(lines[4])) else {
                throw ValidationError("the checkpoint text is malformed")
            }
            let checkpoint = Checkpoint(origin: String(lines[1]), size: size, root: Array(root), time: time,
                                        signature: Array(Data(base64Encoded: document.checkpointSignature) ?? Data()))
            guard checkpoint.verify(with: key) else {
                print("error: audit.checkpoint_signature_invalid: the checkpoint is not signed by this key")
                throw ExitCode(1)
            }
            let included = MerkleTree.verifyInclusion(
                leaf: MerkleTree.leafHash(Array(document.entry.utf8)), index: document.sequence - 1, size: size,
                proof: document.proof.compactMap { Data(base64Encoded: $0).map(Array.init) }, root: Array(root)
            )
            guard included else {
                print("error: audit.proof_invalid: the entry is not in the checkpointed log")
                throw ExitCode(1)
            }
            print("entry \(document.sequence) is in the log of \(size) entries signed at \(lines[4])")
        }
    }
}
