import AccordTesting
import Foundation
import Gateway
import Testing

/// A newcomer's first commands, run as the built `accord` binary from a directory that is not
/// the repository: the shipped profiles are found, read-only commands on a wrong directory
/// create nothing, and a second demo on busy ports changes nothing.
@Suite(.serialized) struct FirstRunTests {
    struct Run {
        let status: Int32
        let output: String
    }

    /// The built binary in `directory`, without the environment that would point it elsewhere.
    func accord(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> Run {
        var env: [String: String?] = ["ACCORD_PROFILES": nil, "ACCORD_DATA_DIR": nil, "ACCORD_DATABASE_URL": nil]
        for (key, value) in environment { env[key] = value }
        let run = try AccordProcess.run(arguments, in: directory, environment: env)
        return Run(status: run.status, output: run.output)
    }

    @Test func theShippedProfilesAreFoundOutsideTheRepository() throws {
        let directory = try ExternalTool.temporaryDirectory()
        let validated = try accord(["profiles", "validate"], in: directory)
        #expect(validated.status == 0, "\(validated.output)")
        #expect(validated.output.contains("eu-mar-2026.yaml") || validated.output.contains("3 "), "\(validated.output)")
        let missing = try accord(["profiles", "validate"], in: directory, environment: ["ACCORD_PROFILES": directory.appendingPathComponent("mine").path])
        #expect(missing.status != 0 && missing.output.contains("profiles.") && missing.output.contains("mine/agreements"), "\(missing.output)")
        let seeded = try accord(["demo", "--seed-only", "--cases", "3", "--port", "0", "--partner-port", "0", "--quick-win-port", "0"], in: directory)
        #expect(seeded.status == 0, "\(seeded.output)")
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("data/demo/accord.sqlite").path))
    }

    @Test func readOnlyCommandsOnAWrongDirectoryCreateNothing() throws {
        let directory = try ExternalTool.temporaryDirectory()
        let wrong = directory.appendingPathComponent("not-a-node").path
        for command in [["users", "list"], ["audit", "verify"], ["log", "verify", "--participant", "EUE-HUB"]] {
            let run = try accord(command + ["--data-dir", wrong], in: directory)
            #expect(run.status != 0, "\(command): \(run.output)")
            #expect(run.output.contains("storage.not_found") && run.output.contains("not-a-node"), "\(command): \(run.output)")
            #expect(!run.output.contains("intact"), "\(command)")
            #expect(!FileManager.default.fileExists(atPath: wrong), "\(command) created \(wrong)")
        }
    }

    @Test func aSecondDemoOnBusyPortsChangesNothing() throws {
        let directory = try ExternalTool.temporaryDirectory()
        let listener = try TestListener()
        defer { listener.close() }
        let data = directory.appendingPathComponent("demo-data")
        let run = try accord(["demo", "--port", "\(listener.port)", "--partner-port", "0", "--quick-win-port", "0", "--data-dir", data.path, "--reset"], in: directory)
        #expect(run.status != 0)
        #expect(run.output.contains("demo.port_busy") && run.output.contains("\(listener.port)") && run.output.contains("--port"), "\(run.output)")
        #expect(!FileManager.default.fileExists(atPath: data.path))
    }
}

/// A socket listening on a free loopback port, like a running demo's console.
final class TestListener: @unchecked Sendable {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, listen(fd, 4) == 0 else { throw GatewayError(code: "test.listen_failed", reason: "cannot listen") }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Glibc.close(fd) }
}
