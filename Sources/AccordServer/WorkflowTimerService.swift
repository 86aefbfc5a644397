import Casework
import Logging
import ServiceLifecycle

/// Fires the workflows' timers while the node serves: reminders, expiries with escalation and
/// automatic transitions, once a minute and once at start (a node that was down catches up).
struct WorkflowTimerService: Service {
    let service: CaseworkService
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await pass()
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            if Task.isShuttingDownGracefully { break }
            await pass()
        }
    }

    func pass() async {
        do {
            // A large backlog is worked through in batches of 500 within one pass.
            while true {
                let report = try await service.runTimers(limit: 500)
                for failure in report.failures { logger.error("workflow timer failed", metadata: ["case": "\(failure)"]) }
                let fired = report.reminders + report.expiries
                if fired > 0 {
                    logger.info("workflow timers", metadata: ["reminders": "\(report.reminders)", "expiries": "\(report.expiries)",
                                                               "escalations": "\(report.escalations)", "automatic": "\(report.automaticTransitions)"])
                }
                if fired < 500 || !report.failures.isEmpty { break }
            }
        } catch {
            logger.error("workflow timers failed", metadata: ["error": "\(error)"])
        }
    }
}
