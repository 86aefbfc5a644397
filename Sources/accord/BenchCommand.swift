import AccordCore
import AccordServer
import ArgumentParser
import Crypto
import Exchange
import Foundation
import Logging
import Storage
import SwiftASN1
import X509

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Accord's throughput on this machine.",
        subcommands: [SignBench.self, RelayBench.self, CaseworkBench.self]
    )

    struct RelayBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "relay",
            abstract: "Signed messages per second and p50/p99 latency through hub to node with receipts, beside the raw insert rate.",
            discussion: """
                Starts a hub and two nodes in this process over mutual TLS (loopback), sends signed \
                applications Belgium → Morocco (push) and waits until each is delivered and its \
                receipt is back at the hub. Then measures single-row durable inserts into the hub's \
                database with the same concurrency. SQLite always; PostgreSQL with --postgres-url \
                (tables go into fresh schemas bench_<run>_*, which are kept: drop them when done).
                """
        )

        @Option(help: "Messages per database.")
        var messages = 1_000

        @Option(help: "Concurrent senders.")
        var concurrency = 16

        @Option(help: "PostgreSQL URL to measure as well (postgres://user:password@host:port/db). Env: ACCORD_BENCH_POSTGRES_URL.")
        var postgresURL: String?

        func run() async throws {
            try await reportingErrors {
                var logger = Logger(label: "accord.bench")
                logger.logLevel = .critical
                var targets: [(String, (URL) -> (String) -> DatabaseLocation)] = [("SQLite", { directory in { .sqlite(path: directory.appendingPathComponent("\($0).sqlite").path) } })]
                if let url = postgresURL ?? ProcessInfo.processInfo.environment["ACCORD_BENCH_POSTGRES_URL"] {
                    _ = try DatabaseLocation(url: url)
                    let run = UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(8).lowercased()
                    targets.append(("PostgreSQL", { _ in { name in
                        .postgres(url: url + (url.contains("?") ? "&" : "?") + "schema=bench_\(run)_\(name.replacingOccurrences(of: "-", with: "_"))")
                    } }))
                }
                print("accord bench relay — \(messages) signed messages per database, \(concurrency) concurrent senders, \(ProcessInfo.processInfo.activeProcessorCount) cores")
                print("database".padding(toLength: 12, withPad: " ", startingAt: 0) + "msg/s".leftPad(9) + "p50 ms".leftPad(9) + "p99 ms".leftPad(9)
                      + "raw inserts/s".leftPad(15) + "ratio".leftPad(8))
                for (name, locations) in targets {
                    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("accord-bench-\(UUID().uuidString)")
                    defer { try? FileManager.default.removeItem(at: directory) }
                    var benchmark = RelayBenchmark(directory: directory)
                    benchmark.messages = messages
                    benchmark.concurrency = concurrency
                    let result = try await benchmark.run(database: locations(directory), logger: logger)
                    print(name.padding(toLength: 12, withPad: " ", startingAt: 0) + String(format: "%.0f", result.perSecond).leftPad(9)
                          + String(format: "%.0f", result.p50Milliseconds).leftPad(9) + String(format: "%.0f", result.p99Milliseconds).leftPad(9)
                          + String(format: "%.0f", result.rawInsertsPerSecond).leftPad(15) + String(format: "%.3f", result.ratio).leftPad(8))
                }
                print("ratio = relayed messages/s ÷ raw single-row inserts/s on the same database. Each relayed message costs")
                print("2 mTLS requests to the hub and 1 to the node, 3 signature checks, a receipt signature and 3 transactions.")
            }
        }
    }

    struct SignBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sign",
            abstract: "Sign and verify rates of both encodings beside the raw ECDSA P-256 rate of the same process."
        )

        @Option(help: "Seconds to spend on each measurement.")
        var seconds: Double = 1.0

        @Option(help: "Message type to use.")
        var type: String = MessageType.readmissionApplication.rawValue

        func run() async throws {
            guard let type = MessageType(rawValue: type) else { throw ValidationError("unknown message type") }
            let key = P256.Signing.PrivateKey()
            let participant = MessageExamples.message(type).envelope.sender
            let certificate = try selfSignedCertificate(key: key, participant: participant)
            let signer = P256MessageSigner(participant: participant, key: key, certificateDER: certificate)
            let trust = InMemoryTrustStore([try TrustedSigner(participant: participant, certificateDER: certificate)])
            let message = MessageExamples.message(type)
            let input = Array(try MessageCodec.xml(message).utf8)
            let rawSignature = try key.signature(for: input)

            let rawSign = measure { _ = try key.signature(for: input) }
            let rawVerify = measure { _ = key.publicKey.isValidSignature(rawSignature, for: input) }
            print("accord bench sign — \(type.rawValue), \(input.count)-byte XML body, \(String(format: "%.1f", seconds)) s per row, 1 core")
            print("operation".padding(toLength: 18, withPad: " ", startingAt: 0) + "per second".leftPad(12) + "ratio to raw ECDSA".leftPad(22))
            row("raw ECDSA sign", rawSign, rawSign)
            row("raw ECDSA verify", rawVerify, rawVerify)
            for encoding in MessageCodec.Encoding.allCases {
                let signed = try MessageCodec.sign(message, encoding: encoding, with: signer)
                row("\(encoding.rawValue) sign", measure { _ = try MessageCodec.sign(message, encoding: encoding, with: signer) }, rawSign)
                row("\(encoding.rawValue) verify", measure { _ = try MessageCodec.open(signed, trust: trust, now: nil) }, rawVerify)
            }
            hostileXML(trust: trust)
        }

        /// The attribute flood that cost libxml2 2.9.14 12–27 s of CPU: how long its refusal takes now.
        func hostileXML(trust: InMemoryTrustStore) {
            let flood = Array(("<acc:Message xmlns:acc=\"urn:accord:exchange:1\" " + (0..<90_000).map { "a\($0)=\"\"" }.joined(separator: " ") + "/>").utf8)
            var code = ""
            let clock = ContinuousClock()
            var worst = Duration.zero
            let start = clock.now
            for _ in 0..<20 {
                let begin = clock.now
                do { _ = try MessageCodec.open(flood, trust: trust, now: nil) } catch { code = (error as? ExchangeError)?.code ?? "\(error)" }
                worst = max(worst, begin.duration(to: clock.now))
            }
            let mean = start.duration(to: clock.now) / 20
            func ms(_ duration: Duration) -> String { String(format: "%.2f", Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000) }
            print("hostile XML: \(flood.count) bytes, 90,000 attributes on one element → \(code.isEmpty ? "ACCEPTED" : code)")
            print("  refused in \(ms(mean)) ms on average, \(ms(worst)) ms at worst (target: under 100 ms; ratio to target \(String(format: "%.3f", Double(worst.components.attoseconds) / 1e17 + Double(worst.components.seconds) * 10)))")
        }

        func measure(_ body: () throws -> Void) -> Double {
            var count = 0
            let clock = ContinuousClock()
            let start = clock.now
            let deadline = start.advanced(by: .milliseconds(Int(seconds * 1000)))
            while clock.now < deadline {
                for _ in 0..<10 { try? body() }
                count += 10
            }
            let elapsed = start.duration(to: clock.now)
            return Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }

        func row(_ name: String, _ rate: Double, _ reference: Double) {
            print(name.padding(toLength: 18, withPad: " ", startingAt: 0) + String(format: "%.0f", rate).leftPad(12) + String(format: "%.2f", rate / reference).leftPad(22))
        }
    }
}

extension String {
    func leftPad(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}

/// A throwaway self-signed certificate for the benchmark's in-memory key.
func selfSignedCertificate(key: P256.Signing.PrivateKey, participant: ParticipantID) throws -> [UInt8] {
    let name = try DistinguishedName { CommonName(participant.rawValue) }
    let certificate = try Certificate(
        version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey), notValidBefore: Date().addingTimeInterval(-60),
        notValidAfter: Date().addingTimeInterval(3_600), issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
        extensions: try Certificate.Extensions { Critical(KeyUsage(digitalSignature: true)) }, issuerPrivateKey: .init(key)
    )
    var serializer = DER.Serializer()
    try serializer.serialize(certificate)
    return serializer.serializedBytes
}
