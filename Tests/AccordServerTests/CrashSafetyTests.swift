import AccordServer
import AccordTesting
import Exchange
import Federation
import Foundation
import Gateway
import Logging
import Storage
import Testing

/// Crash safety with real processes: the hub (then Morocco's receiving node) is SIGKILLed at
/// several points while thousands of signed messages flow from Belgium, restarted, and drained.
/// Every message sent is applied exactly once at the recipient, every one has a receipt that
/// verifies against the bytes Belgium signed, and none is lost.
@Suite(.serialized) struct CrashSafetyTests {
    static let messages = 2_000

    @Test(arguments: TestDatabase.all)
    func theHubIsKilledWhileMessagesFlow(_ database: TestDatabase) async throws {
        try await run(database) { federation, progress in
            // Kill points by how many messages the hub has acknowledged: early, middle, late.
            for fraction in [0.2, 0.5, 0.8] {
                await progress.wait(until: { $0.accepted >= Int(Double(Self.messages) * fraction) })
                federation.hub.kill9()
                try await Task.sleep(for: .milliseconds(200))
                try await federation.hub.start()
            }
            #expect(federation.hub.starts == 4)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theReceivingNodeIsKilledWhileMessagesFlow(_ database: TestDatabase) async throws {
        try await run(database) { federation, progress in
            let hubStore = try await federation.open(federation.hubDatabase)
            defer { Task { await hubStore.shutdown() } }
            let outbox = SQLExchangeStore(store: hubStore)
            for fraction in [0.15, 0.45, 0.75] {
                let target = Int(Double(Self.messages) * fraction)
                while try await (outbox.counts()[.delivered] ?? 0) < target { try await Task.sleep(for: .milliseconds(20)) }
                federation.morocco.kill9()
                try await Task.sleep(for: .milliseconds(300))
                try await federation.morocco.start()
            }
            #expect(federation.morocco.starts == 4)
        }
    }

    /// Starts hub and Morocco as processes, Belgium in this process; sends `messages` with 16
    /// concurrent senders that retry until the hub acknowledges; runs `chaos` alongside; drains
    /// and checks everything.
    func run(_ database: TestDatabase, chaos: @escaping @Sendable (ProcessFederation, Progress) async throws -> Void) async throws {
        let federation = try ProcessFederation.make(database)
        do {
            try await federation.hub.start()
            try await federation.morocco.start()
            let belgiumStore = try await SQLStore.open(.sqlite(path: federation.directory.appendingPathComponent("bel.sqlite").path))
            _ = try await Migrator(store: belgiumStore).migrate()
            var quiet = Logger(label: "test.belgium")
            quiet.logLevel = .critical
            let belgium = try await NodeExchangeRuntime.start(
                store: belgiumStore, materials: try FederationMaterials.load(pki: federation.pki, participant: ProcessFederation.belgium, tlsRole: .node),
                hub: federation.hubEndpoint, listen: nil, logger: quiet
            )
            var signed: [[UInt8]] = []
            for _ in 0..<Self.messages {
                signed.append(try FederationDemo.sample(.readmissionApplication, from: belgium.service.issuer.signer, to: ProcessFederation.morocco))
            }
            let progress = Progress()
            let all = signed
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<16 {
                    group.addTask {
                        for index in stride(from: lane, to: all.count, by: 16) {
                            try await Self.submitUntilAccepted(all[index], by: belgium.service)
                            await progress.recordAcceptance()
                        }
                    }
                }
                group.addTask { try await chaos(federation, progress) }
                try await group.waitForAll()
            }

            // Drain: everything delivered, nothing failed.
            let hubStore = try await federation.open(federation.hubDatabase)
            let outbox = SQLExchangeStore(store: hubStore)
            let deadline = ContinuousClock.now + .seconds(240)
            var counts = try await outbox.counts()
            while (counts[.delivered] ?? 0) < Self.messages, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                counts = try await outbox.counts()
            }
            #expect(counts[.delivered] == Self.messages, "hub outbox: \(counts); hub log:\n\(federation.hub.tail(10))\nmorocco log:\n\(federation.morocco.tail(10))")
            #expect((counts[.queued] ?? 0) + (counts[.failed] ?? 0) == 0)

            // Every receipt verifies against the bytes Belgium signed.
            var verified = 0
            for bytes in signed {
                let original = try MessageCodec.open(bytes, trust: belgium.service.state.signers, now: nil)
                let key = MessageKey(sender: ProcessFederation.belgium, messageID: original.message.envelope.messageID)
                guard let receipt = try await outbox.item(key)?.receipt else { continue }
                _ = try ReceiptIssuer.check(receipt, for: bytes, message: original.message, trust: belgium.service.state.signers, now: nil)
                verified += 1
            }
            #expect(verified == Self.messages)
            // …and Belgium sees them delivered through the hub's API (a sample, over mTLS).
            for bytes in signed.prefix(20) {
                #expect(try await belgium.service.status(of: bytes) == .delivered)
            }
            let hubLog = try await outbox.verifyLog()
            #expect(hubLog.problems.isEmpty)
            await hubStore.shutdown()

            // The operator's and the participant's tools: verify the hub's log, prove one
            // message's entries and check the proof offline against the sent bytes.
            let hubArguments = ["--participant", "EUE-HUB", "--pki", federation.pki.url.path, "--database-url", ProcessFederation.url(federation.hubDatabase)]
            let verify = try AccordProcess.run(["log", "verify"] + hubArguments)
            #expect(verify.status == 0 && verify.output.contains("intact"), "\(verify.output)")
            let sample = signed[Self.messages / 2]
            let sampleID = try MessageCodec.open(sample, trust: belgium.service.state.signers, now: nil).message.envelope.messageID
            let prove = try AccordProcess.run(["log", "prove", "BEL-DOFI/\(sampleID)"] + hubArguments)
            #expect(prove.status == 0, "\(prove.output)")
            let proofFile = federation.directory.appendingPathComponent("proof.json"), messageFile = federation.directory.appendingPathComponent("sent.bin")
            try Data(prove.output.utf8).write(to: proofFile)
            try Data(sample).write(to: messageFile)
            let check = try AccordProcess.run([
                "log", "check-proof", proofFile.path, "--certificate", federation.pki.certificateURL(ProcessFederation.hubID, .signer).path, "--message", messageFile.path,
            ])
            #expect(check.status == 0 && check.output.components(separatedBy: "ok: ").count == 3, "\(check.output)")
            let wrongMessage = try AccordProcess.run([
                "log", "check-proof", proofFile.path, "--certificate", federation.pki.certificateURL(ProcessFederation.hubID, .signer).path,
                "--message", federation.pki.crlURL.path,
            ])
            #expect(wrongMessage.status == 1)

            // At Morocco: each message exactly once, one log entry each, nothing else.
            federation.morocco.stop()
            let moroccoStore = try await federation.open(federation.moroccoDatabase)
            let inbox = SQLExchangeStore(store: moroccoStore)
            let rows = try await moroccoStore.database.raw("SELECT sender, message_id FROM exchange_inbox").all()
            let received = Set(try rows.map { try $0.decode(column: "message_id", as: String.self) })
            let sent = Set(try signed.map { try MessageCodec.open($0, trust: belgium.service.state.signers, now: nil).message.envelope.messageID.description })
            #expect(rows.count == Self.messages)
            #expect(received == sent)
            let moroccoLog = try await inbox.verifyLog()
            #expect(moroccoLog.entries == Self.messages)
            #expect(moroccoLog.problems.isEmpty)
            await moroccoStore.shutdown()
            await belgium.stop()
            await belgiumStore.shutdown()
        } catch {
            Issue.record("hub log:\n\(federation.hub.tail())\nmorocco log:\n\(federation.morocco.tail())")
            await federation.cleanUp()
            throw error
        }
        await federation.cleanUp()
    }

    /// Submits until the hub acknowledges; transport failures (the hub is down) are retried with
    /// the same bytes, which the hub deduplicates.
    static func submitUntilAccepted(_ bytes: [UInt8], by node: NodeService) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while true {
            do {
                _ = try await node.submit(bytes)
                return
            } catch let error as GatewayError where ContinuousClock.now < deadline {
                _ = error
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }
}

/// How many messages the hub has acknowledged so far.
actor Progress {
    private(set) var accepted = 0
    private var waiters: [(condition: @Sendable (Progress.Snapshot) -> Bool, continuation: CheckedContinuation<Void, Never>)] = []

    struct Snapshot { let accepted: Int }

    func recordAcceptance() {
        accepted += 1
        let snapshot = Snapshot(accepted: accepted)
        let ready = waiters.filter { $0.condition(snapshot) }
        waiters.removeAll { $0.condition(snapshot) }
        for waiter in ready { waiter.continuation.resume() }
    }

    func wait(until condition: @escaping @Sendable (Snapshot) -> Bool) async {
        if condition(Snapshot(accepted: accepted)) { return }
        await withCheckedContinuation { waiters.append((condition, $0)) }
    }
}
