public import Exchange
public import Foundation

/// A readmission store in memory: for tests and tools that need no database.
public actor InMemoryReadmissionStore: ReadmissionStore {
    private var events: [ReadmissionEvent] = []
    private var caseLinks: [ReadmissionCaseID: CaseFileLink] = [:]

    public init() {}

    @discardableResult
    public func append(_ event: ReadmissionEvent) -> Bool {
        if let dedup = event.dedupKey, events.contains(where: { $0.caseID == event.caseID && $0.dedupKey == dedup }) { return false }
        if let id = event.messageID, event.direction != .local,
           events.contains(where: { $0.direction == event.direction && $0.partner == event.partner && $0.messageID == id }) { return false }
        var event = event
        event.sequence = (events.last?.sequence ?? 0) + 1
        events.append(event)
        return true
    }

    public func updateDelivery(messageID: Message.ID, delivery: ReadmissionEvent.Delivery, receipt: [UInt8]?, receivedAt: Date?, detail: String?) {
        for index in events.indices where events[index].direction == .sent && events[index].messageID == messageID {
            events[index].delivery = delivery
            events[index].receipt = receipt ?? events[index].receipt
            events[index].receivedAt = receivedAt ?? events[index].receivedAt
            events[index].detail = detail ?? events[index].detail
        }
    }

    public func events(of caseID: ReadmissionCaseID) -> [ReadmissionEvent] {
        events.filter { $0.caseID == caseID }
    }

    public func allEvents() -> [ReadmissionEvent] {
        events
    }

    public func link(_ conversation: ReadmissionCaseID, to link: CaseFileLink) {
        caseLinks[conversation] = link
    }

    public func link(of conversation: ReadmissionCaseID) -> CaseFileLink? {
        caseLinks[conversation]
    }

    public func links() -> [ReadmissionCaseID: CaseFileLink] {
        caseLinks
    }

    public func undelivered() -> [ReadmissionEvent] {
        events.filter { $0.direction == .sent && ($0.delivery == .pending || $0.delivery == .queued) }
    }
}
