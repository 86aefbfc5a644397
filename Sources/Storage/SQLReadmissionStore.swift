import Exchange
import Foundation
import Readmission
import SQLKit

/// Readmission events in SQL (SQLite or PostgreSQL). Received messages arrive through
/// `SQLExchangeStore.receive`, in the transaction that stores their receipt.
public struct SQLReadmissionStore: ReadmissionStore {
    public let store: SQLStore

    public init(store: SQLStore) {
        self.store = store
    }

    /// Message types that belong to a readmission case (receipts and errors do not).
    static func isCaseMessage(_ type: MessageType) -> Bool { type != .receipt && type != .error }

    @discardableResult
    public func append(_ event: ReadmissionEvent) async throws -> Bool {
        let dialect = store.dialect
        if let dedup = event.dedupKey, try await store.database.raw("""
            SELECT 1 AS x FROM readmission_events WHERE case_id = \(bind: event.caseID.rawValue) AND dedup_key = \(bind: dedup)
            """).first() != nil {
            return false
        }
        do {
            try await store.transaction { db in try await Self.insert(event, db: db, dialect: dialect) }
            return true
        } catch {
            // A concurrent pass recorded the same clock event first.
            if let dedup = event.dedupKey, try await store.database.raw("""
                SELECT 1 AS x FROM readmission_events WHERE case_id = \(bind: event.caseID.rawValue) AND dedup_key = \(bind: dedup)
                """).first() != nil {
                return false
            }
            throw error
        }
    }

    /// Inserts inside the caller's transaction (sequence numbers are serialised per database).
    static func insert(_ event: ReadmissionEvent, db: any SQLDatabase, dialect: SQLStore.Dialect) async throws {
        if dialect == .postgres { try await db.raw("SELECT pg_advisory_xact_lock(7306241)").run() }
        let sequence = (try await db.raw("SELECT MAX(seq) AS n FROM readmission_events").first()?.decode(column: "n", as: Int?.self) ?? 0) + 1
        let body = try event.body.map { String(decoding: try $0.jsonData(), as: UTF8.self) }
        try await db.raw("""
            INSERT INTO readmission_events (seq, case_id, reference, partner, direction, kind, message_id, body, detail, actor, at, payload, digest,
                                            receipt, received_at, delivery, dedup_key)
            VALUES (\(bind: sequence), \(bind: event.caseID.rawValue), \(bind: event.reference), \(bind: event.partner.rawValue), \(bind: event.direction.rawValue),
                    \(bind: event.kind), \(bind: event.messageID?.rawValue), \(bind: body), \(bind: event.detail), \(bind: event.actor),
                    \(bind: event.at.millisecondsSince1970), \(bind: event.payload.map { Data($0).base64EncodedString() }), \(bind: event.digest),
                    \(bind: event.receipt.map { Data($0).base64EncodedString() }), \(bind: event.receivedAt?.millisecondsSince1970),
                    \(bind: event.delivery?.rawValue), \(bind: event.dedupKey))
            """).run()
    }

    /// The event a received message makes, written with its receipt.
    static func received(_ inbound: InboundMessage, receipt: [UInt8], at time: Date) -> ReadmissionEvent {
        let envelope = inbound.message.envelope
        return ReadmissionEvent(
            caseID: envelope.conversationID, reference: envelope.caseReference, partner: envelope.sender, direction: .received, kind: envelope.messageType.rawValue,
            messageID: envelope.messageID, body: inbound.message.body, actor: envelope.sender.rawValue, at: time, payload: inbound.bytes, digest: inbound.digest,
            receipt: receipt, receivedAt: time
        )
    }

    public func updateDelivery(messageID: Message.ID, delivery: ReadmissionEvent.Delivery, receipt: [UInt8]?, receivedAt: Date?, detail: String?) async throws {
        try await store.database.raw("""
            UPDATE readmission_events SET delivery = \(bind: delivery.rawValue),
                receipt = COALESCE(\(bind: receipt.map { Data($0).base64EncodedString() }), receipt),
                received_at = COALESCE(\(bind: receivedAt?.millisecondsSince1970), received_at),
                detail = COALESCE(\(bind: detail), detail)
            WHERE direction = 'sent' AND message_id = \(bind: messageID.rawValue)
            """).run()
    }

    public func events(of caseID: ReadmissionCaseID) async throws -> [ReadmissionEvent] {
        try await store.database.raw("SELECT * FROM readmission_events WHERE case_id = \(bind: caseID.rawValue) ORDER BY seq").all().map(Self.event)
    }

    public func allEvents() async throws -> [ReadmissionEvent] {
        try await store.database.raw("SELECT * FROM readmission_events ORDER BY seq").all().map(Self.event)
    }

    public func undelivered() async throws -> [ReadmissionEvent] {
        try await store.database.raw("SELECT * FROM readmission_events WHERE direction = 'sent' AND delivery IN ('pending', 'queued') ORDER BY seq").all().map(Self.event)
    }

    static func event(_ row: any SQLRow) throws -> ReadmissionEvent {
        let kind = try row.text("kind")
        let body = try row.optionalText("body").flatMap { json -> MessageBody? in
            guard let type = MessageType(rawValue: kind) ?? (kind == ReadmissionEvent.LocalKind.decisionProposed.rawValue ? .decision : nil) else { return nil }
            return try MessageBody.decode(type, json: Data(json.utf8))
        }
        func bytes(_ column: String) throws -> [UInt8]? { try row.optionalText(column).flatMap { Data(base64Encoded: $0).map(Array.init) } }
        return ReadmissionEvent(
            sequence: try row.integer("seq"),
            caseID: try row.parsed("case_id") { ReadmissionCaseID($0) },
            reference: try row.text("reference"),
            partner: try row.parsed("partner") { ParticipantID($0) },
            direction: try row.parsed("direction") { ReadmissionEvent.Direction(rawValue: $0) },
            kind: kind,
            messageID: try row.optionalParsed("message_id") { Message.ID($0) },
            body: body,
            detail: try row.optionalText("detail"),
            actor: try row.text("actor"),
            at: try row.date("at"),
            payload: try bytes("payload"),
            digest: try row.optionalText("digest"),
            receipt: try bytes("receipt"),
            receivedAt: try row.optionalDate("received_at"),
            delivery: try row.optionalParsed("delivery") { ReadmissionEvent.Delivery(rawValue: $0) },
            dedupKey: try row.optionalText("dedup_key")
        )
    }
}
