public import Foundation
import Exchange
import Federation
import Gateway
public import Logging
public import Storage

/// `accord bench relay`: signed messages through hub to node over mutual TLS, each durable at
/// the hub (log + outbox) and at the recipient (inbox + signed receipt) and its receipt back at
/// the hub — beside the raw rate of single-row durable inserts into the same database.
public struct RelayBenchmark: Sendable {
    public var messages = 1_000
    public var concurrency = 16
    public var directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    public struct Result: Sendable {
        public let messages: Int
        public let seconds: Double
        public let perSecond: Double
        public let p50Milliseconds: Double
        public let p99Milliseconds: Double
        public let rawInsertsPerSecond: Double
        public var ratio: Double { perSecond / rawInsertsPerSecond }
    }

    /// Runs the relay on databases from `database` (hub, node-bel, node-mar) and the raw insert
    /// rate on the hub's database.
    public func run(database: @escaping (String) -> DatabaseLocation, logger: Logger) async throws -> Result {
        let running = try await FederationDemo(directory: directory).start(logger: logger, database: database, retry: RetryPolicy(initialDelay: 0.05, maximumDelay: 1, maximumAttempts: 1_000))
        do {
            let result = try await measure(running, hubDatabase: database("hub"))
            await running.stop()
            return result
        } catch {
            await running.stop()
            throw error
        }
    }

    func measure(_ running: FederationDemo.Running, hubDatabase: DatabaseLocation) async throws -> Result {
        var signed: [[UInt8]] = []
        for _ in 0..<messages {
            signed.append(try FederationDemo.sample(.readmissionApplication, from: running.belgium.service.issuer.signer, to: FederationDemo.morocco))
        }
        let all = signed
        let lanes = concurrency
        let started = Date()
        let submittedAt = try await withThrowingTaskGroup(of: [(String, Date)].self) { group in
            for lane in 0..<lanes {
                group.addTask {
                    var times: [(String, Date)] = []
                    for index in stride(from: lane, to: all.count, by: lanes) {
                        let at = Date()
                        let acceptance = try await running.belgium.service.submit(all[index])
                        times.append((acceptance.messageID, at))
                    }
                    return times
                }
            }
            var all: [String: Date] = [:]
            for try await times in group { for (id, at) in times { all[id] = at } }
            return all
        }
        let store = try await SQLStore.open(hubDatabase, configuration: StoreConfiguration(postgresConnectionsPerEventLoop: 1))
        defer { Task { await store.shutdown() } }
        let outbox = SQLExchangeStore(store: store)
        while try await (outbox.counts()[.delivered] ?? 0) < messages {
            try await Task.sleep(for: .milliseconds(20))
        }
        let rows = try await store.database.raw("SELECT message_id, settled_at FROM exchange_outbox WHERE state = 'delivered'").all()
        var latencies: [Double] = []
        var last = started
        for row in rows {
            let id = try row.decode(column: "message_id", as: String.self)
            let settled = Date(timeIntervalSince1970: Double(try row.decode(column: "settled_at", as: Int64.self)) / 1000)
            last = max(last, settled)
            if let at = submittedAt[id] { latencies.append(settled.timeIntervalSince(at) * 1000) }
        }
        latencies.sort()
        let seconds = max(last.timeIntervalSince(started), 0.001)
        let raw = try await Self.rawInsertRate(store, rows: messages, concurrency: concurrency, payloadBytes: all.first?.count ?? 1_000)
        func percentile(_ p: Double) -> Double { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        return Result(messages: messages, seconds: seconds, perSecond: Double(messages) / seconds, p50Milliseconds: percentile(0.5), p99Milliseconds: percentile(0.99), rawInsertsPerSecond: raw)
    }

    /// Single-row INSERT transactions of a payload like the message's, `concurrency` at a time,
    /// into a scratch table: what the database alone sustains durably.
    static func rawInsertRate(_ store: SQLStore, rows: Int, concurrency: Int, payloadBytes: Int) async throws -> Double {
        try await store.database.raw("DROP TABLE IF EXISTS bench_raw_insert").run()
        try await store.database.raw("CREATE TABLE bench_raw_insert (id TEXT PRIMARY KEY, payload TEXT NOT NULL, at BIGINT NOT NULL)").run()
        let payload = String(repeating: "x", count: payloadBytes)
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in 0..<concurrency {
                group.addTask {
                    for index in stride(from: lane, to: rows, by: concurrency) {
                        try await store.transaction { database in
                            try await database.raw("INSERT INTO bench_raw_insert (id, payload, at) VALUES (\(bind: "\(index)"), \(bind: payload), \(bind: index))").run()
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = started.duration(to: .now)
        try await store.database.raw("DROP TABLE bench_raw_insert").run()
        return Double(rows) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}
