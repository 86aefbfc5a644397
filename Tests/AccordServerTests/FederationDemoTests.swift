@testable import AccordServer
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
            // Operations: Prometheus counters and the console's overview.
            let role = FederationRole.hub(running.hub)
            let overview = try #require(role.overview)
            let seen = try await overview()
            #expect(seen.participants.map(\.id).sorted() == ["BEL-DOFI", "EUE-HUB", "GEO-MIA", "MAR-INTERIOR"])
            #expect(seen.queues.map { "\($0.recipient):\($0.delivered)" } == ["BEL-DOFI:\(3 * round)", "MAR-INTERIOR:\(3 * round)"])
            #expect(seen.deadLetters.isEmpty)
            let metrics = running.hub.metrics.emitToString()
            #expect(metrics.contains(#"accord_federation_messages_accepted_total{sender="BEL-DOFI"} 3"#), "\(metrics)")
            #expect(metrics.contains(#"accord_federation_deliveries_total{recipient="MAR-INTERIOR",outcome="delivered"} 3"#))
            #expect(metrics.contains("accord_federation_delivery_latency_seconds_count 6"))
            #expect(FederationRole.node(running.morocco).overview == nil)
            #expect(running.morocco.metrics.emitToString().contains(#"accord_federation_messages_received_total{sender="BEL-DOFI"} 3"#))
            let stopping = ContinuousClock.now
            await running.stop()
            // A long-poll waits up to 30 s; under a loaded CI machine stopping takes several seconds anyway.
            #expect(stopping.duration(to: .now) < .seconds(25), "stopping must not wait for a long-poll to end")
            #expect(summary.sent == 6)
            #expect(summary.delivered == 6)
            #expect(summary.hubLogIntact)
            // Each message is logged twice on the hub: accepted, then delivered.
            #expect(summary.hubLogEntries == 12 * round)
        }
    }
}
