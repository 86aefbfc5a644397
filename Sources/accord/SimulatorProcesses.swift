import AccordServer
import Foundation
import Gateway

/// The demo's simulators as child processes of this `accord` binary (`accord simulate …`); they
/// exit with it.
final class SimulatorProcesses: @unchecked Sendable {
    let processes: [Process]

    init(processes: [Process]) {
        self.processes = processes
    }

    static var executable: URL {
        Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
    }

    /// Starts one process per agency and waits until each listens.
    static func start(_ agencies: [SimulatedAgencies.Agency], logs: URL) async throws -> SimulatorProcesses {
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        var processes: [Process] = []
        do {
            for agency in agencies {
                let logFile = logs.appendingPathComponent("\(agency.system).log")
                FileManager.default.createFile(atPath: logFile.path, contents: nil)
                let log = try FileHandle(forWritingTo: logFile)
                let process = Process()
                process.executableURL = executable
                process.arguments = agency.arguments + ["--exit-with-parent"]
                process.standardOutput = log
                process.standardError = log
                try process.run()
                processes.append(process)
            }
            for (agency, process) in zip(agencies, processes) {
                var ready = false
                for _ in 0..<200 where !ready {
                    ready = LoopbackPorts.isListening(agency.port)
                    if !ready {
                        guard process.isRunning else { break }
                        try await Task.sleep(for: .milliseconds(50))
                    }
                }
                guard ready else {
                    let log = (try? String(contentsOf: logs.appendingPathComponent("\(agency.system).log"), encoding: .utf8)) ?? ""
                    throw ServerError(code: "demo.simulator_failed", reason: "the \(agency.system) simulator did not start on port \(agency.port): \(log.suffix(400))")
                }
            }
        } catch {
            SimulatorProcesses(processes: processes).stop()
            throw error
        }
        return SimulatorProcesses(processes: processes)
    }

    func stop() {
        for process in processes where process.isRunning { process.terminate() }
        for process in processes { process.waitUntilExit() }
    }
}
