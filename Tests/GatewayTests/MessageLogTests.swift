import AccordTesting
import Crypto
import Exchange
import Federation
import Foundation
import Gateway
import Ledger
import Storage
import Testing

/// The message logs of hub and node after real traffic: signed checkpoints, inclusion proofs a
/// participant checks offline (with the log owner's key and the digest of its own message), and
/// every kind of tampering refused or detected.
@Suite struct MessageLogTests {
    @Test(arguments: TestDatabase.all)
    func checkpointsAndInclusionProofs(_ database: TestDatabase) async throws {
        try await FederationHarness.run(database) { h in
            var sent: [[UInt8]] = []
            for _ in 0..<5 {
                let message = try h.federation.message(.readmissionApplication, from: LiveFederation.belgium, to: LiveFederation.morocco)
                _ = try await h.belgium.submit(message)
                sent.append(message)
            }
            try await h.worker.runOnce()
            let hubKey = P256.Signing.PrivateKey(), moroccoKey = P256.Signing.PrivateKey()

            // Hub: each message accepted and delivered → 10 entries, one checkpoint over them.
            let checkpoint = try #require(try await h.hubOutbox.checkpoint(origin: "accord-exchange-log/EUE-HUB", key: hubKey, at: Date()))
            #expect(checkpoint.size == 10)
            #expect(try await h.hubOutbox.checkpoint(origin: "accord-exchange-log/EUE-HUB", key: hubKey, at: Date()) == checkpoint, "no new checkpoint without new entries")
            let target = sent[2]
            let digest = SHA256.hash(data: target).map { String(format: "%02x", $0) }.joined()
            let proofs = try await h.hubOutbox.inclusionProofs(for: try h.key(target))
            #expect(proofs.count == 2)
            for proof in proofs {
                #expect(proof.problems(key: hubKey.publicKey).isEmpty)
                #expect(proof.entry.contains(digest))
                // Offline, through JSON, as `accord log prove` writes it.
                let decoded = try JSONDecoder().decode(LogInclusionProof.self, from: JSONEncoder().encode(proof))
                #expect(decoded.problems(key: hubKey.publicKey).isEmpty)
                // Another key, another entry text, another index: refused.
                #expect(!proof.problems(key: moroccoKey.publicKey).isEmpty)
                let edited = try JSONDecoder().decode(LogInclusionProof.self, from: Data(
                    String(decoding: try JSONEncoder().encode(proof), as: UTF8.self).replacingOccurrences(of: "readmission_application", with: "decision").utf8
                ))
                #expect(!edited.problems(key: hubKey.publicKey).isEmpty)
            }
            await #expect(throws: StorageError.self) {
                _ = try await h.hubOutbox.inclusionProofs(for: MessageKey(sender: LiveFederation.belgium, messageID: Message.ID()))
            }

            // Morocco's own log: one entry per received message.
            try await h.moroccoInbox.checkpoint(origin: "accord-exchange-log/MAR-INTERIOR", key: moroccoKey, at: Date())
            let moroccoProofs = try await h.moroccoInbox.inclusionProofs(for: try h.key(target))
            #expect(moroccoProofs.count == 1)
            #expect(moroccoProofs[0].problems(key: moroccoKey.publicKey).isEmpty)

            // Verification: intact; with another key every checkpoint is reported.
            let intact = try await h.hubOutbox.verifyLogAndCheckpoints(key: hubKey.publicKey)
            #expect(intact.problems.isEmpty && intact.entries == 10 && intact.checkpoints == 1)
            let foreign = try await h.hubOutbox.verifyLogAndCheckpoints(key: moroccoKey.publicKey)
            #expect(foreign.problems.map(\.code) == ["exchange.checkpoint_signature"])

            // The checkpoints are append-only in the database itself.
            #expect(await databaseRefusal {
                try await h.hubOutbox.store.database.raw("UPDATE exchange_checkpoints SET root = '00'").run()
            }?.contains("exchange_checkpoints is append-only") == true)
            #expect(await databaseRefusal {
                try await h.hubOutbox.store.database.raw("DELETE FROM exchange_checkpoints").run()
            }?.contains("exchange_checkpoints is append-only") == true)
        }
    }
}
