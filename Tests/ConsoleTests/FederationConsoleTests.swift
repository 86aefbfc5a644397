import AccordServer
import AccordTesting
import Foundation
import Identity
import Logging
import Testing

/// The hub's operators' page and /metrics, over the console's HTTP stack, after real traffic
/// through a running hub and two nodes.
@Suite struct FederationConsoleTests {
    @Test func hubOperatorsSeeParticipantsQueuesAndMetrics() async throws {
        let directory = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var logger = Logger(label: "test.federation.console")
        logger.logLevel = .error
        let running = try await FederationDemo(directory: directory).start(logger: logger)
        do {
            let summary = try await FederationDemo.exchange(running, count: 2, timeout: .seconds(30))
            #expect(summary.delivered == 4)
            try await TestDatabase.sqlite.withNode { node in
                try await node.withConsole(as: "hub.admin", grants: [RoleGrant(role: "administrator")], federation: .hub(running.hub)) { browser in
                    let page = try await browser.get("/console/federation")
                    #expect(page.status == .ok)
                    for text in ["EUE-HUB", "BEL-DOFI", "MAR-INTERIOR", "pull", "push", "None."] {
                        #expect(page.html.contains(text), "\(text) missing")
                    }
                    #expect(page.html.contains(#"href="/console/federation""#), "the navigation links the page")
                    let metrics = try await browser.get("/metrics")
                    #expect(metrics.status == .ok)
                    #expect(metrics.html.contains(#"accord_federation_outbox_messages{state="delivered"} 4"#), "\(metrics.html.prefix(600))")
                }
                try await node.withConsole(as: "officer.one", grants: [RoleGrant(role: "case_officer", office: "NORTH-1")], federation: .hub(running.hub)) { browser in
                    let status = try await browser.get("/console/federation").status
                    #expect(status == .forbidden)
                }
                try await node.withConsole(as: "plain.admin", grants: [RoleGrant(role: "administrator")]) { browser in
                    let status = try await browser.get("/console/federation").status
                    #expect(status == .notFound, "a node without a hub has no federation page")
                }
            }
        } catch {
            await running.stop()
            throw error
        }
        await running.stop()
    }
}
