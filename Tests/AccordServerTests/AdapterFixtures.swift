import AccordServer
import AccordTesting
import AdapterKit
import Foundation
import Prometheus
import Testing

/// A simulated national system as its own `accord simulate` process, and adapters built from
/// the manifest the demo would write for it.
struct SimulatedAgency {
    let agency: SimulatedAgencies.Agency
    let process: AccordProcess
    let audit = RecordingAdapterAudit()
    let metrics = PrometheusCollectorRegistry()

    /// `system`: national-id, civil-registry (Morocco), border or police (Belgium).
    static func start(_ system: String, extra: [String] = []) async throws -> SimulatedAgency {
        let directory = try ExternalTool.temporaryDirectory()
        let morocco = ["national-id", "civil-registry"].contains(system)
        let agencies = try SimulatedAgencies.prepare(morocco: morocco ? directory.appendingPathComponent("morocco") : nil,
                                                     belgium: morocco ? nil : directory.appendingPathComponent("belgium"))
        let agency = try #require(agencies.first { $0.system == system })
        let process = AccordProcess(name: "simulate-\(system)", arguments: agency.arguments + extra, readyPort: agency.port, logDirectory: directory)
        try await process.start()
        return SimulatedAgency(agency: agency, process: process)
    }

    /// The manifest as written, then changed by `adjust`.
    func manifest(_ adjust: (inout AdapterManifest) -> Void = { _ in }) throws -> AdapterManifest {
        let (loaded, problems) = AdapterManifestFile.load(agency.manifestFile)
        var manifest = try #require(loaded, "\(problems)")
        adjust(&manifest)
        return manifest
    }

    func client(_ adjust: (inout AdapterManifest) -> Void = { _ in }) throws -> AdapterClient {
        AdapterClient(manifest: try manifest(adjust), audit: audit, metrics: AdapterMetrics(factory: PrometheusMetricsFactory(registry: metrics)))
    }

    func stop() {
        process.stop()
    }
}

let officer = AdapterCallContext(actor: "officer.test", role: "case_officer", caseRef: "case-1", personRef: "person-1", purpose: "contract test")

