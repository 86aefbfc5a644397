public import AccordCore
import Crypto
public import Exchange
public import Federation
import Foundation
import Ledger
import SQLKit

/// The federation exchange in SQL, for the hub (log + outbox) and for nodes (log + inbox). Every
/// state change that matters is one transaction: a message is logged and queued together; a
/// received message is logged, stored and answered with its receipt together.
public struct SQLExchangeStore: HubMessageStore, NodeInboxStore {
    public let store: SQLStore

    public init(store: SQLStore) {
        self.store = store
    }

    // MARK: Hub outbox

    public func accept(_ message: AdmittedMessage, at time: Date) async throws -> OutboxItem {
        let envelope = message.envelope
        let key = MessageKey(sender: envelope.sender, messageID: envelope.messageID)
        if let existing = try await item(key) { return existing }
        let at = time.truncatedToMilliseconds
        let payload = Data(message.inbound.bytes).base64EncodedString()
        let digest = message.inbound.digest
        let dialect = store.dialect
        do {
            try await store.transaction { db in
                let index = try await Self.appendLog(db, dialect: dialect, event: "accepted", key: key, recipient: envelope.recipient, type: envelope.messageType, digest: digest, at: at)
                try await db.raw("""
                    INSERT INTO exchange_outbox (sender, message_id, recipient, message_type, digest, payload, accepted_at, log_index, state, attempts, next_attempt_at)
                    VALUES (\(bind: key.sender.rawValue), \(bind: key.messageID.rawValue), \(bind: envelope.recipient.rawValue), \(bind: envelope.messageType.rawValue),
                            \(bind: digest), \(bind: payload), \(bind: at.millisecondsSince1970), \(bind: index), \(bind: DeliveryState.queued.rawValue), \(bind: 0),
                            \(bind: at.millisecondsSince1970))
                    """).run()
            }
        } catch {
            // A concurrent submission of the same message won the race: answer with its item.
            if let existing = try await item(key) { return existing }
            throw error
        }
        guard let stored = try await item(key) else { throw StorageError.corruptRecord("outbox item \(key)") }
        return stored
    }

    public func due(recipients: [ParticipantID], limit: Int, now: Date) async throws -> [OutboxItem] {
        guard !recipients.isEmpty else { return [] }
        return try await store.database.raw("""
            SELECT * FROM exchange_outbox WHERE state = 'queued' AND recipient IN (\(binds: recipients.map(\.rawValue)))
                AND next_attempt_at <= \(bind: now.millisecondsSince1970)
            ORDER BY log_index LIMIT \(bind: limit)
            """).all().map(Self.item)
    }

    public func expire(recipients: [ParticipantID], acceptedBefore cutoff: Date, reason: String, at time: Date) async throws -> [OutboxItem] {
        guard !recipients.isEmpty else { return [] }
        let stale = try await store.database.raw("""
            SELECT * FROM exchange_outbox WHERE state = 'queued' AND recipient IN (\(binds: recipients.map(\.rawValue)))
                AND accepted_at < \(bind: cutoff.millisecondsSince1970)
            ORDER BY log_index LIMIT 1000
            """).all().map(Self.item)
        for item in stale {
            try await attemptFailed(item.key, error: reason, retryAt: nil, at: time)
        }
        return stale
    }

    public func item(_ key: MessageKey) async throws -> OutboxItem? {
        try await store.database.raw("SELECT * FROM exchange_outbox WHERE sender = \(bind: key.sender.rawValue) AND message_id = \(bind: key.messageID.rawValue)")
            .first().map(Self.item)
    }

    public func delivered(_ key: MessageKey, receipt: [UInt8], at time: Date) async throws {
        let at = time.truncatedToMilliseconds
        let dialect = store.dialect
        try await store.transaction { db in
            guard let row = try await db.raw("SELECT * FROM exchange_outbox WHERE sender = \(bind: key.sender.rawValue) AND message_id = \(bind: key.messageID.rawValue)").first() else {
                throw StorageError(code: "exchange.no_such_message", reason: "no outbox message \(key)", category: .notFound)
            }
            let item = try Self.item(row)
            guard item.state != .delivered else { return }
            _ = try await Self.appendLog(db, dialect: dialect, event: "delivered", key: key, recipient: item.recipient, type: item.messageType, digest: item.digest, at: at)
            try await db.raw("""
                UPDATE exchange_outbox SET state = 'delivered', payload = '', receipt = \(bind: Data(receipt).base64EncodedString()), settled_at = \(bind: at.millisecondsSince1970),
                       attempts = attempts + 1, last_error = NULL
                WHERE sender = \(bind: key.sender.rawValue) AND message_id = \(bind: key.messageID.rawValue)
                """).run()
        }
    }

    public func attemptFailed(_ key: MessageKey, error: String, retryAt: Date?, at time: Date) async throws {
        let at = time.truncatedToMilliseconds
        let state = retryAt == nil ? DeliveryState.failed : .queued
        try await store.database.raw("""
            UPDATE exchange_outbox SET attempts = attempts + 1, last_error = \(bind: String(error.prefix(500))), state = \(bind: state.rawValue),
                   next_attempt_at = \(bind: (retryAt ?? at).millisecondsSince1970), settled_at = \(bind: retryAt == nil ? at.millisecondsSince1970 : nil)
            WHERE sender = \(bind: key.sender.rawValue) AND message_id = \(bind: key.messageID.rawValue) AND state = 'queued'
            """).run()
    }

    public func counts() async throws -> [DeliveryState: Int] {
        var counts: [DeliveryState: Int] = [.queued: 0, .delivered: 0, .failed: 0]
        for row in try await store.database.raw("SELECT state, COUNT(*) AS n FROM exchange_outbox GROUP BY state").all() {
            if let state = DeliveryState(rawValue: try row.text("state")) { counts[state] = try row.integer("n") }
        }
        return counts
    }

    /// Per recipient: messages queued, delivered and failed, and when the oldest queued one was
    /// accepted.
    public func queues() async throws -> [(recipient: ParticipantID, counts: [DeliveryState: Int], oldestQueued: Date?)] {
        let rows = try await store.database.raw("""
            SELECT recipient, state, COUNT(*) AS n, MIN(accepted_at) AS oldest FROM exchange_outbox GROUP BY recipient, state ORDER BY recipient
            """).all()
        var result: [ParticipantID: ([DeliveryState: Int], Date?)] = [:]
        for row in rows {
            let recipient = try row.parsed("recipient", ParticipantID.init)
            guard let state = DeliveryState(rawValue: try row.text("state")) else { continue }
            var entry = result[recipient] ?? ([:], nil)
            entry.0[state] = try row.integer("n")
            if state == .queued { entry.1 = try row.date("oldest") }
            result[recipient] = entry
        }
        return result.keys.sorted { $0.rawValue < $1.rawValue }.map { ($0, result[$0]!.0, result[$0]!.1) }
    }

    /// The most recent dead letters (deliveries given up after the retry limit).
    public func deadLetters(limit: Int = 100) async throws -> [(item: OutboxItem, failedAt: Date?)] {
        try await store.database.raw("""
            SELECT * FROM exchange_outbox WHERE state = 'failed' ORDER BY settled_at DESC LIMIT \(bind: limit)
            """).all().map { (try Self.item($0), try $0.optionalDate("settled_at")) }
    }

    static func item(_ row: any SQLRow) throws -> OutboxItem {
        OutboxItem(
            key: MessageKey(sender: try row.parsed("sender", ParticipantID.init), messageID: try row.parsed("message_id", Message.ID.init)),
            recipient: try row.parsed("recipient", ParticipantID.init), messageType: try row.parsed("message_type", MessageType.init(rawValue:)),
            digest: try row.text("digest"), payload: try row.parsed("payload", { Data(base64Encoded: $0).map(Array.init) }),
            acceptedAt: try row.date("accepted_at"), logIndex: try row.integer("log_index"),
            state: try row.parsed("state", DeliveryState.init(rawValue:)), attempts: try row.integer("attempts"),
            nextAttemptAt: try row.date("next_attempt_at"), lastError: try row.optionalText("last_error"),
            receipt: try row.optionalText("receipt").flatMap { Data(base64Encoded: $0).map(Array.init) }
        )
    }

    // MARK: Node inbox

    public func receive(_ inbound: InboundMessage, at time: Date, receipt: @Sendable (InboundMessage) async throws -> [UInt8]) async throws -> (receipt: [UInt8], isNew: Bool) {
        let envelope = inbound.message.envelope
        let key = MessageKey(sender: envelope.sender, messageID: envelope.messageID)
        if let stored = try await storedReceipt(key) { return (stored, false) }
        let receiptBytes = try await receipt(inbound)
        let at = time.truncatedToMilliseconds
        let dialect = store.dialect
        do {
            try await store.transaction { db in
                let index = try await Self.appendLog(db, dialect: dialect, event: "received", key: key, recipient: envelope.recipient, type: envelope.messageType, digest: inbound.digest, at: at)
                try await db.raw("""
                    INSERT INTO exchange_inbox (sender, message_id, message_type, digest, payload, receipt, received_at, log_index)
                    VALUES (\(bind: key.sender.rawValue), \(bind: key.messageID.rawValue), \(bind: envelope.messageType.rawValue), \(bind: inbound.digest),
                            \(bind: Data(inbound.bytes).base64EncodedString()), \(bind: Data(receiptBytes).base64EncodedString()), \(bind: at.millisecondsSince1970), \(bind: index))
                    """).run()
            }
        } catch {
            if let stored = try await storedReceipt(key) { return (stored, false) }
            throw error
        }
        return (receiptBytes, true)
    }

    public func count() async throws -> Int {
        try await store.database.raw("SELECT COUNT(*) AS n FROM exchange_inbox").first()?.integer("n") ?? 0
    }

    public func untaken(limit: Int) async throws -> [StoredInboundMessage] {
        try await store.database.raw("""
            SELECT * FROM exchange_inbox WHERE taken_at IS NULL ORDER BY log_index LIMIT \(bind: limit)
            """).all().map { row in
            StoredInboundMessage(
                key: MessageKey(sender: try row.parsed("sender", ParticipantID.init), messageID: try row.parsed("message_id", Message.ID.init)),
                bytes: try row.parsed("payload", { Data(base64Encoded: $0).map(Array.init) }), digest: try row.text("digest"),
                receipt: try row.parsed("receipt", { Data(base64Encoded: $0).map(Array.init) }), receivedAt: try row.date("received_at")
            )
        }
    }

    public func markTaken(_ key: MessageKey, problem: String?, at time: Date) async throws {
        let (sender, id, at) = (key.sender.rawValue, key.messageID.rawValue, time.millisecondsSince1970)
        if let problem {
            try await store.database.raw("""
                UPDATE exchange_inbox SET taken_at = \(bind: at), take_problem = \(bind: String(problem.prefix(500))) WHERE sender = \(bind: sender) AND message_id = \(bind: id)
                """).run()
        } else {
            // Taken into its case (sealed there): the inbox keeps only digest and receipt.
            try await store.database.raw("""
                UPDATE exchange_inbox SET taken_at = \(bind: at), payload = '' WHERE sender = \(bind: sender) AND message_id = \(bind: id)
                """).run()
        }
    }

    func storedReceipt(_ key: MessageKey) async throws -> [UInt8]? {
        try await store.database.raw("SELECT receipt FROM exchange_inbox WHERE sender = \(bind: key.sender.rawValue) AND message_id = \(bind: key.messageID.rawValue)")
            .first().map { try $0.parsed("receipt", { Data(base64Encoded: $0).map(Array.init) }) }
    }

    // MARK: Message log

    /// One log entry: what happened to which message, chained to the previous entry and a leaf of
    /// the log's RFC 6962 Merkle tree.
    public struct LogEntry: Sendable, Equatable {
        public let sequence: Int
        public let at: Date
        public let event: String
        public let key: MessageKey
        public let recipient: ParticipantID
        public let messageType: MessageType
        public let digest: String

        public var canonicalBytes: [UInt8] {
            Array("accord-exchange-log/1\n\(sequence)\n\(at.millisecondsSince1970)\n\(event)\n\(key.sender)\n\(recipient)\n\(key.messageID)\n\(messageType.rawValue)\n\(digest)\n".utf8)
        }

        public var leafHash: MerkleTree.Hash { MerkleTree.leafHash(canonicalBytes) }
    }

    static func appendLog(
        _ db: any SQLDatabase, dialect: SQLStore.Dialect, event: String, key: MessageKey, recipient: ParticipantID, type: MessageType, digest: String, at: Date
    ) async throws -> Int {
        if dialect == .postgres { try await db.raw("SELECT pg_advisory_xact_lock(7306240)").run() }
        let last = try await db.raw("SELECT sequence, chain_hash FROM exchange_log ORDER BY sequence DESC LIMIT 1").first()
        let sequence = (try last?.integer("sequence") ?? 0) + 1
        let previous = try last.map { try SQLAuditLog.bytes(hex: $0.text("chain_hash")) } ?? SQLAuditLog.genesis
        let entry = LogEntry(sequence: sequence, at: at, event: event, key: key, recipient: recipient, messageType: type, digest: digest)
        let chain = Array(SHA256.hash(data: previous + entry.canonicalBytes))
        try await db.raw("""
            INSERT INTO exchange_log (sequence, at, event, sender, recipient, message_id, message_type, digest, chain_hash)
            VALUES (\(bind: sequence), \(bind: at.millisecondsSince1970), \(bind: event), \(bind: key.sender.rawValue), \(bind: recipient.rawValue),
                    \(bind: key.messageID.rawValue), \(bind: type.rawValue), \(bind: digest), \(bind: SQLAuditLog.hex(chain)))
            """).run()
        return sequence
    }

    /// How many entries the message log holds.
    public func logSize() async throws -> Int {
        try await store.database.raw("SELECT COUNT(*) AS n FROM exchange_log").first()?.integer("n") ?? 0
    }

    public func logEntries() async throws -> [LogEntry] {
        try await store.database.raw("SELECT * FROM exchange_log ORDER BY sequence").all().map { row in
            LogEntry(
                sequence: try row.integer("sequence"), at: try row.date("at"), event: try row.text("event"),
                key: MessageKey(sender: try row.parsed("sender", ParticipantID.init), messageID: try row.parsed("message_id", Message.ID.init)),
                recipient: try row.parsed("recipient", ParticipantID.init), messageType: try row.parsed("message_type", MessageType.init(rawValue:)),
                digest: try row.text("digest")
            )
        }
    }

    /// Re-derives the hash chain; returns the Merkle root over all entries, or the first problem.
    public func verifyLog() async throws -> (entries: Int, root: MerkleTree.Hash, problems: [Diagnostic]) {
        let rows = try await store.database.raw("SELECT sequence, chain_hash FROM exchange_log ORDER BY sequence").all()
        let entries = try await logEntries()
        var chain = SQLAuditLog.genesis
        var problems: [Diagnostic] = []
        for (index, (entry, row)) in zip(entries, rows).enumerated() {
            guard entry.sequence == index + 1 else {
                problems.append(Diagnostic(code: "exchange.log_entry_missing", message: "expected entry \(index + 1), found \(entry.sequence)", path: "entry \(index + 1)"))
                break
            }
            chain = Array(SHA256.hash(data: chain + entry.canonicalBytes))
            guard SQLAuditLog.hex(chain) == (try row.text("chain_hash")) else {
                problems.append(Diagnostic(code: "exchange.log_chain_broken", message: "entry \(entry.sequence) does not match its hash chain", path: "entry \(entry.sequence)"))
                break
            }
        }
        return (entries.count, MerkleTree.root(entries.map(\.leafHash)), problems)
    }
}
