import AccordServer
import AccordTesting
import AdapterKit
import Foundation
import NationalIDAdapter
import PoliceAdapter
import Testing

/// What AdapterKit does when a national system misbehaves: down, slow, flaky, over its rate.
@Suite struct AdapterFaultTests {
    static let document = AdapterSubject(documents: [.init(kind: "passport", number: "EP7731245", issuingCountry: "SYR")])

    @Test func theBreakerOpensWhenTheSystemIsDownAndClosesAfterItRecovers() async throws {
        let simulator = try await SimulatedAgency.start("police")
        defer { simulator.stop() }
        let client = try simulator.client {
            $0.breaker = .init(failureThreshold: 3, openFor: .seconds(1))
            $0.cacheFor = .zero
            $0.retries.attempts = 2
            $0.retries.initialBackoff = .milliseconds(10)
            $0.timeouts = .init(connect: .milliseconds(500), request: .seconds(1), total: .seconds(3))
        }
        let police = try PoliceAdapter(client: client)
        #expect(await police.documents(Self.document, context: officer).map(\.outcome) == [.hit])

        simulator.process.stop()
        for _ in 0..<3 {
            let started = ContinuousClock.now
            let checks = await police.documents(Self.document, context: officer)
            // Never longer than the manifest allows (two attempts of 1 s within a total of 3 s); on an
            // idle machine a refused connection fails at once. Slack for a loaded machine.
            #expect(ContinuousClock.now - started < .seconds(4), "a refused connection ends within the manifest's timeouts")
            #expect(checks.map(\.outcome) == [.notVerified] && checks[0].problem == "adapter.unavailable", "\(checks)")
        }
        #expect(client.breaker.state == .open)
        // Open: refused at once, without a connection attempt; the work goes on with "not verified".
        let started = ContinuousClock.now
        let refused = await police.documents(Self.document, context: officer)
        #expect(ContinuousClock.now - started < .milliseconds(50))
        #expect(refused[0].outcome == .notVerified && refused[0].problem == "adapter.circuit_open" && refused[0].detail.contains("bel-police"))

        try await simulator.process.start()
        try await Task.sleep(for: .milliseconds(1_100))
        #expect(client.breaker.state == .halfOpen)
        #expect(await police.documents(Self.document, context: officer).map(\.outcome) == [.hit])
        #expect(client.breaker.state == .closed)

        let metrics = simulator.metrics.emitToString()
        #expect(metrics.contains(#"accord_adapter_calls_total{adapter="bel-police",outcome="circuit_open"} 1"#), "\(metrics)")
        #expect(metrics.contains(#"accord_adapter_calls_total{adapter="bel-police",outcome="unavailable"} 3"#))
        #expect(metrics.contains(#"accord_adapter_calls_total{adapter="bel-police",outcome="answered"} 2"#))
        #expect(metrics.contains(#"accord_adapter_breaker_state{adapter="bel-police"} 0"#))
        #expect(metrics.contains("accord_adapter_call_duration_seconds"))
        let outcomes = await simulator.audit.calls.map(\.outcome)
        #expect(outcomes == ["answered", "unavailable", "unavailable", "unavailable", "circuit_open", "answered"])
    }

    @Test func aSlowSystemEndsAtItsTimeout() async throws {
        let simulator = try await SimulatedAgency.start("national-id", extra: ["--latency", "20000"])
        defer { simulator.stop() }
        let adapter = try NationalIDAdapter(client: try simulator.client {
            $0.timeouts = .init(connect: .milliseconds(300), request: .milliseconds(300), total: .milliseconds(700))
            $0.retries = .init(attempts: 2, initialBackoff: .milliseconds(20), maximumBackoff: .milliseconds(20))
        })
        let started = ContinuousClock.now
        let check = await adapter.authenticate(AdapterContractTests.youssef, consentObtained: true, context: officer)
        let elapsed = ContinuousClock.now - started
        #expect(check.outcome == .notVerified && check.problem == "adapter.timeout" && check.detail.contains("mar-national-id"), "\(check)")
        // Two attempts of 300 ms and a back-off, within the total of 700 ms: never the simulator's 20 s
        // (slack for a loaded machine).
        #expect(elapsed >= .milliseconds(550) && elapsed < .seconds(5), "\(elapsed)")
    }

    @Test func underLoadWithFailuresNoRequestHangsAndEveryFailureIsCounted() async throws {
        let simulator = try await SimulatedAgency.start("police", extra: ["--fail-rate", "0.3", "--latency", "5"])
        defer { simulator.stop() }
        let client = try simulator.client {
            $0.breaker = .init(failureThreshold: 10_000, openFor: .seconds(1))
            $0.rateLimit = .init(perSecond: 10_000, burst: 10_000)
            $0.retries = .init(attempts: 2, initialBackoff: .milliseconds(5), maximumBackoff: .milliseconds(20))
            $0.timeouts = .init(connect: .seconds(5), request: .seconds(10), total: .seconds(20))
        }
        let police = try PoliceAdapter(client: client)
        let started = ContinuousClock.now
        let outcomes = await withTaskGroup(of: AdapterCheck.Outcome.self) { group in
            for index in 0..<200 {
                group.addTask {
                    let subject = AdapterSubject(documents: [.init(kind: "passport", number: "X\(index)", issuingCountry: "MAR")])
                    return await police.documents(subject, context: officer)[0].outcome
                }
            }
            var all: [AdapterCheck.Outcome] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        // Every call ends within its total timeout: none hangs.
        #expect(ContinuousClock.now - started < .seconds(25))
        let failed = outcomes.filter { $0 == .notVerified }.count
        #expect(outcomes.count == 200 && outcomes.allSatisfy { $0 == .noHit || $0 == .notVerified })
        // With one retry, about 9 % fail (0.3²); some must, and most must not.
        #expect(failed > 2 && failed < 60, "\(failed) failed")
        // Every failure is counted: in the audit trail and in the error counters, whatever its code.
        let calls = await simulator.audit.calls
        #expect(calls.count == 200 && calls.filter { $0.outcome != "answered" }.count == failed)
        #expect(calls.filter { $0.outcome == "server_error" }.count > 0)
        let counted = simulator.metrics.emitToString().split(separator: "\n").filter { $0.hasPrefix("accord_adapter_errors_total{adapter=\"bel-police\"") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
        #expect(Int(counted) == failed, "errors counted \(counted), failed \(failed)")
    }

    @Test func theRateLimitAndDataMinimisationHold() async throws {
        let simulator = try await SimulatedAgency.start("police")
        defer { simulator.stop() }
        let limited = try PoliceAdapter(client: try simulator.client {
            $0.rateLimit = .init(perSecond: 0.01, burst: 2)
            $0.timeouts.total = .milliseconds(300)
        })
        var outcomes: [String?] = []
        for index in 0..<3 {
            let subject = AdapterSubject(documents: [.init(kind: "passport", number: "R\(index)")])
            outcomes.append(await limited.documents(subject, context: officer)[0].problem)
        }
        #expect(outcomes == [nil, nil, "adapter.rate_limited"])

        // A manifest that allows documents only: the watchlist check has nothing it may send.
        let documentsOnly = try PoliceAdapter(client: try simulator.client { $0.fields = [.documents] })
        let watch = await documentsOnly.watchlist(AdapterContractTests.youssef, context: officer)
        #expect(watch.outcome == .notVerified && watch.problem == "adapter.nothing_to_check")
        let checks = await documentsOnly.documents(AdapterContractTests.youssef, context: officer)
        #expect(checks.count == 2)
        let last = try #require(await simulator.audit.calls.last)
        #expect(last.fieldsSent == [.documents])

        // A request carrying a field the manifest does not allow is never sent.
        let client = try simulator.client { $0.fields = [.documents] }
        let refused = await client.call("test", context: officer, sent: [.familyName], request: { AdapterRequest(path: "/health") }, decode: { $0.status })
        #expect(refused.failureCode == "adapter.misconfigured")
    }
}

extension Result where Failure == AdapterError {
    var failureCode: String? {
        if case .failure(let error) = self { return error.code }
        return nil
    }
}
