import Casework
import Crypto
import Exchange
import Foundation
import Readmission
import SQLKit

/// Readmission events in SQL (SQLite or PostgreSQL). Each conversation is linked to its case in
/// the case file; the personal content of its events (message bodies, signed payloads, local
/// details) is sealed with the linked person's data key, so erasing the person erases it.
/// Rows written before the case file existed (migration 0010 without 0012) read as stored.
public struct SQLReadmissionStore: ReadmissionStore {
    public let store: SQLStore
    let cipher: FieldCipher

    public init(store: SQLStore, cipher: FieldCipher) {
        self.store = store
        self.cipher = cipher
    }

    /// Message types that belong to a readmission case (receipts and errors do not).
    static func isCaseMessage(_ type: MessageType) -> Bool { type != .receipt && type != .error }

    // MARK: Links to the case file

    public func link(_ conversation: ReadmissionCaseID, to link: CaseFileLink) async throws {
        try await store.database.raw("""
            INSERT INTO readmission_links (conversation_id, case_id, case_number, person_id)
            VALUES (\(bind: conversation.rawValue), \(bind: link.caseID), \(bind: link.caseNumber), \(bind: link.personID))
            """).run()
    }

    public func link(of conversation: ReadmissionCaseID) async throws -> CaseFileLink? {
        try await store.database.raw("SELECT * FROM readmission_links WHERE conversation_id = \(bind: conversation.rawValue)").first().map(Self.link)
    }

    public func links() async throws -> [ReadmissionCaseID: CaseFileLink] {
        var result: [ReadmissionCaseID: CaseFileLink] = [:]
        for row in try await store.database.raw("SELECT * FROM readmission_links").all() {
            result[try row.parsed("conversation_id") { ReadmissionCaseID($0) }] = try Self.link(row)
        }
        return result
    }

    static func link(_ row: any SQLRow) throws -> CaseFileLink {
        CaseFileLink(caseID: try row.text("case_id"), caseNumber: try row.text("case_number"), personID: try row.text("person_id"))
    }

    /// Associated data binding a sealed column to its row.
    static func context(_ column: String, case id: String, sequence: Int) -> String { "readmission-event:\(column):\(id):\(sequence)" }

    // MARK: Writing

    @discardableResult
    public func append(_ event: ReadmissionEvent) async throws -> Bool {
        if try await hasDuplicate(event) { return false }
        let dialect = store.dialect
        let cipher = self.cipher
        do {
            try await store.transaction { db in try await Self.insert(event, db: db, dialect: dialect, cipher: cipher) }
            return true
        } catch {
            // A concurrent pass recorded the same clock event (or took the same arrival) first.
            if try await hasDuplicate(event) { return false }
            throw error
        }
    }

    func hasDuplicate(_ event: ReadmissionEvent) async throws -> Bool {
        guard let dedup = event.dedupKey else { return false }
        return try await store.database.raw("""
            SELECT 1 AS x FROM readmission_events WHERE case_id = \(bind: event.caseID.rawValue) AND dedup_key = \(bind: dedup)
            """).first() != nil
    }

    /// Inserts inside the caller's transaction (sequence numbers are serialised per database),
    /// sealed with the key of the person the conversation is linked to.
    static func insert(_ event: ReadmissionEvent, db: any SQLDatabase, dialect: SQLStore.Dialect, cipher: FieldCipher) async throws {
        guard let person = try await db.raw("SELECT person_id FROM readmission_links WHERE conversation_id = \(bind: event.caseID.rawValue)").first()
            .map({ try $0.parsed("person_id", Person.ID.init) }) else {
            throw StorageError(code: "storage.unlinked_conversation", reason: "conversation \(event.caseID) is not linked to a case in the case file", category: .conflict)
        }
        guard let key = try await cipher.dataKey(for: person, in: db) else { throw CaseworkError.personErased(person.rawValue) }
        if dialect == .postgres { try await db.raw("SELECT pg_advisory_xact_lock(7306241)").run() }
        let sequence = (try await db.raw("SELECT MAX(seq) AS n FROM readmission_events").first()?.decode(column: "n", as: Int?.self) ?? 0) + 1
        let id = event.caseID.rawValue
        let body = try event.body.map { try FieldCipher.seal(Array(try $0.jsonData()), key: key, context: context("body", case: id, sequence: sequence)) }
        let payload = try event.payload.map { try FieldCipher.seal($0, key: key, context: context("payload", case: id, sequence: sequence)) }
        let detail = try FieldCipher.seal(event.detail, key: key, context: context("detail", case: id, sequence: sequence))
        try await db.raw("""
            INSERT INTO readmission_events (seq, case_id, reference, partner, direction, kind, message_id, body, detail, actor, at, payload, digest,
                                            receipt, received_at, delivery, dedup_key)
            VALUES (\(bind: sequence), \(bind: id), \(bind: event.reference), \(bind: event.partner.rawValue), \(bind: event.direction.rawValue),
                    \(bind: event.kind), \(bind: event.messageID?.rawValue), \(bind: body), \(bind: detail), \(bind: event.actor),
                    \(bind: event.at.millisecondsSince1970), \(bind: payload), \(bind: event.digest),
                    \(bind: event.receipt.map { Data($0).base64EncodedString() }), \(bind: event.receivedAt?.millisecondsSince1970),
                    \(bind: event.delivery?.rawValue), \(bind: event.dedupKey))
            """).run()
    }

    public func updateDelivery(messageID: Message.ID, delivery: ReadmissionEvent.Delivery, receipt: [UInt8]?, receivedAt: Date?, detail: String?) async throws {
        try await store.database.raw("""
            UPDATE readmission_events SET delivery = \(bind: delivery.rawValue),
                receipt = COALESCE(\(bind: receipt.map { Data($0).base64EncodedString() }), receipt),
                received_at = COALESCE(\(bind: receivedAt?.millisecondsSince1970), received_at),
                delivery_note = COALESCE(\(bind: detail), delivery_note)
            WHERE direction = 'sent' AND message_id = \(bind: messageID.rawValue)
            """).run()
    }

    // MARK: Reading

    public func events(of caseID: ReadmissionCaseID) async throws -> [ReadmissionEvent] {
        try await opened(try await store.database.raw("SELECT * FROM readmission_events WHERE case_id = \(bind: caseID.rawValue) ORDER BY seq").all())
    }

    public func allEvents() async throws -> [ReadmissionEvent] {
        try await opened(try await store.database.raw("SELECT * FROM readmission_events ORDER BY seq").all())
    }

    public func undelivered() async throws -> [ReadmissionEvent] {
        try await opened(try await store.database.raw("SELECT * FROM readmission_events WHERE direction = 'sent' AND delivery IN ('pending', 'queued') ORDER BY seq").all())
    }

    /// The rows as events, opened with their persons' keys (an erased person's content is gone).
    func opened(_ rows: [any SQLRow]) async throws -> [ReadmissionEvent] {
        guard !rows.isEmpty else { return [] }
        // Only the conversations these rows belong to (one case: one link, one key).
        let conversations = Array(Set(try rows.map { try $0.text("case_id") }))
        var links: [ReadmissionCaseID: CaseFileLink] = [:]
        for chunk in conversations.chunked(500) {
            for row in try await store.database.raw("SELECT * FROM readmission_links WHERE conversation_id IN (\(binds: Array(chunk)))").all() {
                links[try row.parsed("conversation_id") { ReadmissionCaseID($0) }] = try Self.link(row)
            }
        }
        let keys = try await cipher.dataKeys(for: Array(Set(links.values.compactMap { Person.ID($0.personID) })), in: store.database)
        return try rows.map { row in
            let conversation = try row.parsed("case_id") { ReadmissionCaseID($0) }
            return try Self.event(row, key: links[conversation].flatMap { Person.ID($0.personID) }.flatMap { keys[$0] })
        }
    }

    static func event(_ row: any SQLRow, key: SymmetricKey?) throws -> ReadmissionEvent {
        let kind = try row.text("kind")
        let id = try row.text("case_id")
        let sequence = try row.integer("seq")
        /// Sealed content opens with the key and is gone without it (erased); legacy rows are plain.
        func content(_ column: String) throws -> (bytes: [UInt8]?, erased: Bool) {
            guard let stored = try row.optionalText(column) else { return (nil, false) }
            guard stored.hasPrefix(FieldCipher.prefix) else { return (Array(stored.utf8), false) }
            guard let key else { return (nil, true) }
            return (try FieldCipher.open(stored, key: key, context: context(column, case: id, sequence: sequence)), false)
        }
        let sealedBody = try content("body")
        let body = try sealedBody.bytes.flatMap { json -> MessageBody? in
            guard let type = MessageType(rawValue: kind) ?? (kind == ReadmissionEvent.LocalKind.decisionProposed.rawValue ? .decision : nil) else { return nil }
            return try MessageBody.decode(type, json: Data(json))
        }
        let sealedDetail = try content("detail")
        let detail = sealedDetail.erased ? CaseworkError.erasedPlaceholder : sealedDetail.bytes.map { String(decoding: $0, as: UTF8.self) }
        let sealedPayload = try content("payload")
        let payload: [UInt8]?
        if let bytes = sealedPayload.bytes, try row.optionalText("payload")?.hasPrefix(FieldCipher.prefix) == false {
            payload = Data(base64Encoded: Data(bytes)).map(Array.init)
        } else {
            payload = sealedPayload.bytes
        }
        func bytes(_ column: String) throws -> [UInt8]? { try row.optionalText(column).flatMap { Data(base64Encoded: $0).map(Array.init) } }
        return ReadmissionEvent(
            sequence: sequence,
            caseID: try row.parsed("case_id") { ReadmissionCaseID($0) },
            reference: try row.text("reference"),
            partner: try row.parsed("partner") { ParticipantID($0) },
            direction: try row.parsed("direction") { ReadmissionEvent.Direction(rawValue: $0) },
            kind: kind,
            messageID: try row.optionalParsed("message_id") { Message.ID($0) },
            body: body,
            detail: try detail ?? row.optionalText("delivery_note"),
            actor: try row.text("actor"),
            at: try row.date("at"),
            payload: payload,
            digest: try row.optionalText("digest"),
            receipt: try bytes("receipt"),
            receivedAt: try row.optionalDate("received_at"),
            delivery: try row.optionalParsed("delivery") { ReadmissionEvent.Delivery(rawValue: $0) },
            dedupKey: try row.optionalText("dedup_key")
        )
    }
}
