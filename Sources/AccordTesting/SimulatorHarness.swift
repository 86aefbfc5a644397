public import AccordServer
import AdapterKit
public import AdapterSimulators
public import Foundation
import Gateway
import Hummingbird
import Logging

/// Simulated national systems for tests: the demo's manifests written into temporary folders and
/// the simulators served in this process (real HTTP servers on free ports, with the manifests'
/// authentication). Tests that need separate processes start `accord simulate` with the
/// agencies' `arguments` instead.
public final class SimulatorHarness: Sendable {
    public let agencies: [SimulatedAgencies.Agency]
    let tasks: [Task<Void, any Error>]

    init(agencies: [SimulatedAgencies.Agency], tasks: [Task<Void, any Error>]) {
        self.agencies = agencies
        self.tasks = tasks
    }

    /// Morocco's national ID and civil registry under `morocco`, Belgium's border and police under `belgium`.
    public static func start(
        morocco: URL?, belgium: URL?, latency: Duration = .zero, failRate: Double = 0, quota: Int? = nil, population: Population? = nil
    ) async throws -> SimulatorHarness {
        let agencies = try SimulatedAgencies.prepare(morocco: morocco, belgium: belgium)
        let population = try population ?? Population.bundled()
        var tasks: [Task<Void, any Error>] = []
        var logger = Logger(label: "accord.test.simulator")
        logger.logLevel = .critical
        for agency in agencies {
            let application = try Simulators.application(
                SimulatedSystem(rawValue: agency.system)!, population: population, options: try options(agency, latency: latency, failRate: failRate, quota: quota), logger: logger)
            tasks.append(Task { try await application.runService() })
        }
        let harness = SimulatorHarness(agencies: agencies, tasks: tasks)
        for agency in agencies {
            var ready = false
            for _ in 0..<200 where !ready {
                ready = LoopbackPorts.isListening(agency.port)
                if !ready { try await Task.sleep(for: .milliseconds(20)) }
            }
            if !ready {
                await harness.stop()
                throw ServerError(code: "test.simulator_not_ready", reason: "\(agency.system) did not listen on \(agency.port)")
            }
        }
        return harness
    }

    /// The options `accord simulate` would derive from the agency's manifest.
    public static func options(_ agency: SimulatedAgencies.Agency, latency: Duration = .zero, failRate: Double = 0, quota: Int? = nil) throws -> SimulatorOptions {
        let (manifest, problems) = AdapterManifestFile.load(agency.manifestFile)
        guard let manifest else { throw ServerError(code: "test.bad_manifest", reason: problems.map(\.message).joined(separator: "; ")) }
        let tls = agency.manifestFile.deletingLastPathComponent().appendingPathComponent("tls")
        let authentication = try SimulatorAuthentication.expected(
            by: manifest, certificate: tls.appendingPathComponent("server.pem").path, key: tls.appendingPathComponent("server.key").path,
            clientCA: tls.appendingPathComponent("agency-ca.pem").path)
        return SimulatorOptions(port: agency.port, latency: latency, failRate: failRate, dailyQuota: quota, authentication: authentication)
    }

    public func agency(_ system: String) -> SimulatedAgencies.Agency? {
        agencies.first { $0.system == system }
    }

    public func stop() async {
        for task in tasks { task.cancel() }
        for task in tasks { _ = try? await task.value }
    }
}
