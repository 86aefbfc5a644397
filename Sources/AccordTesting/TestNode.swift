public import AccordServer
import AccordCore
import Casework
public import Foundation
import Logging
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
            let cipher = try await TestDatabase.cipher(for: store)
            let service = AccordNode.makeService(store: store, cipher: cipher, configuration: configuration, clock: ManualWallClock(start))
            var logger = Logger(label: "accord.test.node")
            logger.logLevel = .warning
            return try await body(AccordNode(configuration: configuration, store: store, cipher: cipher, service: service, logger: logger))
        }
    }
}
