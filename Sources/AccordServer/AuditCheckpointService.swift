import Crypto
import Logging
import ServiceLifecycle
import Storage

/// Signs an audit checkpoint every `interval` and once more on shutdown, so that at most one
/// interval of entries is protected by the hash chain alone.
struct AuditCheckpointService: Service {
    let log: SQLAuditLog
    let key: P256.Signing.PrivateKey
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            // The sleep ends at shutdown too (it used to hold Ctrl-C for a whole interval).
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            await checkpoint()
        }
        await checkpoint()
    }

    func checkpoint() async {
        do {
            if let checkpoint = try await log.checkpoint(key: key) {
                logger.debug("audit checkpoint", metadata: ["size": "\(checkpoint.size)"])
            }
        } catch {
            logger.error("audit checkpoint failed", metadata: ["error": "\(error)"])
        }
    }
}
