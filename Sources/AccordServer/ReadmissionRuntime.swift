public import AccordCore
public import Casework
import Exchange
import Federation
public import Foundation
import DefaultProfiles
import Gateway
public import Logging
public import Readmission
public import Storage

/// The hub carries a node's readmission messages: submit and follow them through NodeService.
struct HubReadmissionTransport: ReadmissionTransport {
    let node: NodeService

    func submit(_ signed: [UInt8]) async throws -> SubmissionResult {
        do {
            _ = try await node.submit(signed)
            return .accepted
        } catch let error as FederationError {
            return .refused(code: error.code, message: error.reason)
        }
    }

    func reaches(_ participant: ParticipantID) async -> Bool {
        node.state.configuration.participant(participant)?.active ?? false
    }

    func arrivals(limit: Int) async throws -> [Arrival] {
        var arrivals: [Arrival] = []
        for (stored, inbound) in try await node.untaken(limit: limit) {
            guard let inbound else {
                try await node.markTaken(stored.key, problem: "the stored message no longer verifies against the federation's signers")
                continue
            }
            arrivals.append(Arrival(message: inbound.message, bytes: stored.bytes, digest: stored.digest, receipt: stored.receipt, receivedAt: stored.receivedAt))
        }
        return arrivals
    }

    func taken(_ arrival: Arrival, problem: String?) async throws {
        try await node.markTaken(MessageKey(sender: arrival.message.envelope.sender, messageID: arrival.message.envelope.messageID), problem: problem)
    }

    func waitForArrivals(timeout: Duration) async {
        await node.arrivals.wait(timeout: timeout)
    }

    func track(_ signed: [UInt8]) async throws -> TrackingResult {
        let (state, receipt, body) = try await node.track(signed)
        switch state {
        case .queued: return TrackingResult(delivery: .queued)
        case .failed: return TrackingResult(delivery: .failed, detail: "the hub gave up delivering it (dead letter)")
        case .delivered: return TrackingResult(delivery: .delivered, receipt: receipt, receivedAt: body.flatMap { Timestamp.parse($0.receivedAt) })
        }
    }
}

/// A node's readmission desk, running over its exchange: the desk plus its background pass
/// (resubmission, receipts, legal clocks).
public struct ReadmissionRuntime: Sendable {
    public let desk: ReadmissionDesk
    let background: Task<Void, Never>

    /// The desk of `node` over `exchange`; its conversations are cases in `service`'s case file
    /// (default: the node's own service).
    public static func start(
        exchange: NodeExchangeRuntime, node: AccordNode, service: CaseworkService? = nil, profiles: AgreementProfiles, registries: [any IdentityRegistry]? = nil,
        clock: any WallClock = SystemWallClock(), configuration: ReadmissionConfiguration = ReadmissionConfiguration(), interval: Duration = .seconds(3),
        logger: Logger = Logger(label: "accord.readmission")
    ) -> ReadmissionRuntime {
        let desk = ReadmissionDesk(
            signer: exchange.service.issuer.signer, store: SQLReadmissionStore(store: node.store, cipher: node.cipher), transport: HubReadmissionTransport(node: exchange.service),
            profiles: profiles, caseFile: ReadmissionCaseFileAdapter(service: service ?? node.service, office: node.configuration.readmissionOffice),
            registries: registries ?? node.adapters.identityRegistries, clock: clock, configuration: configuration, logger: logger
        )
        return ReadmissionRuntime(desk: desk, background: Task { await desk.run(every: interval) })
    }

    public func stop() async {
        background.cancel()
        await background.value
    }

    /// The agreement profiles to use without `--profiles`: `$ACCORD_PROFILES/agreements` when
    /// set, otherwise the ones shipped with the binary (never the working directory).
    public static func defaultAgreementsDirectory() -> URL {
        if let root = ProcessInfo.processInfo.environment["ACCORD_PROFILES"], !root.isEmpty {
            return URL(fileURLWithPath: root).appendingPathComponent("agreements")
        }
        return DefaultProfiles.agreements ?? URL(fileURLWithPath: "Profiles/agreements")
    }

    /// Loads the agreement profiles; any error is fatal for the caller (an installation never runs on a broken agreement).
    public static func loadProfiles(_ directory: URL) throws -> AgreementProfiles {
        let (profiles, problems) = AgreementProfileFile.loadDirectory(directory)
        if problems.contains(where: { $0.diagnostic.severity == .error }) {
            throw ReadmissionError(code: "profiles.invalid", reason: problems.filter { $0.diagnostic.severity == .error }.map(\.description).joined(separator: "\n"))
        }
        return AgreementProfiles(profiles)
    }
}
