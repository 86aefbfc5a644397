import AccordServer
import AccordTesting
import Foundation
import Logging
import Testing

/// The federation part of `accord demo`: a hub and two nodes over mutual TLS, started twice over
/// the same directory (the second start reuses the PKI and the databases), every message
/// delivered with a verified receipt, the hub's log intact, and stopping returns promptly.
@Suite struct FederationDemoTests {
    @Test func startsExchangesStopsAndRestarts() async throws {
        let directory = try ExternalTool.temporaryDirectory().appendingPathComponent("federation")
        let demo = FederationDemo(directory: directory)
        var logger = Logger(label: "test.demo")
        logger.logLevel = .error
        for round in 1...2 {
            let running = try await demo.start(logger: logger)
            let summary = try await FederationDemo.exchange(running, count: 3, timeout: .seconds(30))
            let stopping = ContinuousClock.now
            await running.stop()
            #expect(stopping.duration(to: .now) < .seconds(10), "stopping must not wait for a long-poll to end")
            #expect(summary.sent == 6)
            #expect(summary.delivered == 6)
            #expect(summary.hubLogIntact)
            // Each message is logged twice on the hub: accepted, then delivered.
            #expect(summary.hubLogEntries == 12 * round)
        }
    }
}
