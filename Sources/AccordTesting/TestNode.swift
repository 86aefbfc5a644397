public import AccordServer
import AccordCore
import Casework
import Identity
public import Foundation
import Logging
import Prometheus
public import Storage

extension TestDatabase {
    /// Runs `body` with a node (router, services) over a fresh database of this kind.
    public func withNode<T>(
        configuration: NodeConfiguration = NodeConfiguration(nodeName: "Test node"), start: Date = Fixtures.referenceDate,
        _ body: (AccordNode) async throws -> T
    ) async throws -> T {
        try await withStore { store, directory in
            var configuration = configuration
            configuration.dataDirectory = directory.path
            if configuration.accessPolicyFile == nil {
                // The standard roles plus `tester`, who may do everything everywhere.
                var policy = AccessPolicy.standard
                policy.roles["tester"] = AccessPolicy.Role(description: "Test user", permissions: Permission.allCases, scope: .all)
                let file = directory.appendingPathComponent("roles.yaml")
                try AccessPolicyFile.yaml(policy).write(to: file, atomically: true, encoding: .utf8)
                configuration.accessPolicyFile = file.path
            }
            let cipher = try await TestDatabase.cipher(for: store)
            let metrics = PrometheusCollectorRegistry()
            let adapters = try AccordNode.loadAdapters(configuration, store: store, metrics: metrics)
            let service = try AccordNode.makeService(store: store, cipher: cipher, configuration: configuration, clock: ManualWallClock(start), adapters: adapters)
            try await Fixtures.createOfficers(in: SQLUserRepository(store: store, cipher: cipher))
            var logger = Logger(label: "accord.test.node")
            logger.logLevel = .warning
            return try await body(AccordNode(configuration: configuration, store: store, cipher: cipher, service: service, adapters: adapters, metrics: metrics, logger: logger))
        }
    }
}
