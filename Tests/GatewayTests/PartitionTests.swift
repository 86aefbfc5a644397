import AccordTesting
import Exchange
import Federation
import Foundation
import Gateway
import Testing

/// A TCP proxy (socat) that a test can cut and restore, standing for the network link.
final class LinkProxy: @unchecked Sendable {
    let listenPort: Int
    let targetPort: Int
    private var process: Process?

    init(listenPort: Int, targetPort: Int) {
        self.listenPort = listenPort
        self.targetPort = targetPort
    }

    func connect() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ExternalTool.find("socat") ?? "/usr/bin/socat")
        process.arguments = ["TCP-LISTEN:\(listenPort),bind=127.0.0.1,reuseaddr,fork", "TCP:127.0.0.1:\(targetPort)"]
        try process.run()
        self.process = process
        // Wait until it listens.
        for _ in 0..<100 {
            if Self.listening(listenPort) { return }
            usleep(20_000)
        }
    }

    /// Cuts the link: the proxy and every connection through it end.
    func cut() {
        guard let process else { return }
        kill(-process.processIdentifier, SIGKILL)
        process.terminate()
        process.waitUntilExit()
        self.process = nil
    }

    static func listening(_ port: Int) -> Bool { LoopbackPorts.isListening(port) }

    deinit { cut() }
}

/// The link between the hub and each node is cut and restored while messages flow; delivery
/// resumes and nothing is lost or applied twice.
@Suite(.enabled(if: ExternalTool.available("socat"))) struct PartitionTests {
    @Test(arguments: TestDatabase.all)
    func deliveryResumesAfterTheLinkIsRestored(_ database: TestDatabase) async throws {
        let moroccoPort = try freePort()
        let toMorocco = LinkProxy(listenPort: try freePort(), targetPort: moroccoPort)
        let belgiumHubPort = try freePort()
        let toHub = LockedProxyHolder()
        try await FederationHarness.run(database, moroccoPort: moroccoPort, moroccoAdvertisedPort: toMorocco.listenPort, belgiumHubPort: { hubPort in
            toHub.proxy = LinkProxy(listenPort: belgiumHubPort, targetPort: hubPort)
            return belgiumHubPort
        }) { h in
            let belgiumLink = try #require(toHub.proxy)
            try toMorocco.connect()
            try belgiumLink.connect()
            // Belgium submits through its link; the push link to Morocco is then cut.
            var sent: [[UInt8]] = []
            for _ in 0..<10 {
                let message = try h.federation.message(.readmissionApplication, from: LiveFederation.belgium, to: LiveFederation.morocco)
                _ = try await h.belgium.submit(message)
                sent.append(message)
            }
            toMorocco.cut()
            try await h.worker.runOnce()
            #expect(try await h.moroccoInbox.count() == 0)
            let failed = try await h.hubOutbox.item(h.key(sent[0]))
            #expect(failed?.state == .queued)
            #expect((failed?.attempts ?? 0) >= 1)
            #expect(failed?.lastError != nil)

            // Morocco's decisions queue for pull-only Belgium, whose link is cut too.
            var decisions: [[UInt8]] = []
            for _ in 0..<5 {
                let decision = try h.federation.message(.decision, from: LiveFederation.morocco, to: LiveFederation.belgium)
                _ = try await h.morocco.submit(decision)
                decisions.append(decision)
            }
            belgiumLink.cut()
            await #expect(throws: GatewayError.self) { _ = try await h.belgium.pull() }

            // Restore both links: everything arrives, once.
            try toMorocco.connect()
            try belgiumLink.connect()
            let deadline = Date().addingTimeInterval(30)
            while try await h.moroccoInbox.count() < sent.count, Date() < deadline {
                try await h.worker.runOnce()
                try await Task.sleep(for: .milliseconds(50))
            }
            while try await h.belgium.pull() > 0 {}
            #expect(try await h.moroccoInbox.count() == sent.count)
            #expect(try await h.belgiumInbox.count() == decisions.count)
            for message in sent { #expect(try await h.belgium.status(of: message) == .delivered) }
            for decision in decisions { #expect(try await h.morocco.status(of: decision) == .delivered) }
            let counts = try await h.hubOutbox.counts()
            #expect(counts[.failed] == 0)
            #expect(counts[.queued] == 0)
            toMorocco.cut()
            belgiumLink.cut()
        }
    }
}

final class LockedProxyHolder: @unchecked Sendable {
    var proxy: LinkProxy?
}
