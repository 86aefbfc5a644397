import AccordCore
public import Exchange
import Federation
import Foundation
public import Gateway
public import Hummingbird
public import Logging
public import Readmission

/// The hub's quick-win module: a partner too small to run its own node works on the hub. The hub
/// process hosts an installation for it — its own database (its own SQLite file, or its own
/// PostgreSQL schema), its own signing key and users, its own console port — that joins the
/// federation like any node (pull over mutual TLS to the hub's federation port). Nothing of it is
/// visible to the hub's operators or to other partners: the data is held on the hub under that
/// partner's access only, and every message it sends is signed with the partner's key.
public struct QuickWinHost: Sendable {
    public let participant: ParticipantID
    public let node: AccordNode
    public let exchange: NodeExchangeRuntime
    public let readmission: ReadmissionRuntime

    /// The hosted installation's configuration, derived from the hub's: its data directory is
    /// `<hub data>/quick-win/<ID>`; on PostgreSQL it gets the schema `quickwin_<id>`.
    public static func configuration(hub: NodeConfiguration, participant: ParticipantID, port: Int, name: String) -> NodeConfiguration {
        var configuration = hub
        configuration.dataDirectory = (hub.dataDirectory as NSString).appendingPathComponent("quick-win/\(participant.rawValue)")
        configuration.port = port
        configuration.nodeName = name
        if let url = hub.databaseURL, url.hasPrefix("postgres"), var components = URLComponents(string: url) {
            // Its own schema: quickwin_<id>, or <hub schema>_quickwin_<id> when the hub has one.
            let suffix = "quickwin_" + participant.rawValue.lowercased().replacingOccurrences(of: "-", with: "_")
            var items = components.queryItems ?? []
            let hubSchema = items.first { $0.name == "schema" }?.value
            items.removeAll { $0.name == "schema" }
            items.append(URLQueryItem(name: "schema", value: hubSchema.map { "\($0)_\(suffix)" } ?? suffix))
            components.queryItems = items
            configuration.databaseURL = components.string ?? url
        }
        configuration.masterKeyPath = nil
        return configuration
    }

    /// Opens (and migrates) the hosted installation and joins it to the hub at `hub`.
    public static func start(
        configuration: NodeConfiguration, participant: ParticipantID, pki: PKIDirectory, hub: FederationEndpoint, profiles: AgreementProfiles,
        registries: [any IdentityRegistry] = [], logger: Logger
    ) async throws -> QuickWinHost {
        let node = try await AccordNode.open(configuration, logger: logger)
        do {
            let materials = try FederationMaterials.load(pki: pki, participant: participant, tlsRole: .node)
            let exchange = try await NodeExchangeRuntime.start(store: node.store, materials: materials, hub: hub, listen: nil, crlFile: pki.crlURL, logger: logger)
            let readmission = ReadmissionRuntime.start(exchange: exchange, node: node, profiles: profiles, registries: registries, logger: logger)
            return QuickWinHost(participant: participant, node: node, exchange: exchange, readmission: readmission)
        } catch {
            await node.close()
            throw error
        }
    }

    /// The partner's console (readmission screens and sign-in), on the hosted configuration's port.
    public func makeApplication(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws -> some ApplicationProtocol {
        try await node.makeApplication(readmission: readmission.desk, onRunning: onRunning)
    }

    public func stop() async {
        await readmission.stop()
        await exchange.stop()
        await node.close()
    }
}
