import Casework
public import Foundation
public import Hummingbird

/// What the hub's operators see of the federation: participants, each recipient's queue and the
/// dead letters. The composition root supplies it from the hub's configuration and database.
public struct FederationOverview: Sendable {
    public struct Participant: Sendable {
        public let id: String
        public let name: String
        public let delivery: String
        public let endpoint: String
        public let active: Bool

        public init(id: String, name: String, delivery: String, endpoint: String, active: Bool) {
            self.id = id
            self.name = name
            self.delivery = delivery
            self.endpoint = endpoint
            self.active = active
        }
    }

    public struct Queue: Sendable {
        public let recipient: String
        public let queued: Int
        public let delivered: Int
        public let failed: Int
        public let oldestQueued: Date?

        public init(recipient: String, queued: Int, delivered: Int, failed: Int, oldestQueued: Date?) {
            self.recipient = recipient
            self.queued = queued
            self.delivered = delivered
            self.failed = failed
            self.oldestQueued = oldestQueued
        }
    }

    public struct DeadLetter: Sendable {
        public let sender: String
        public let messageID: String
        public let recipient: String
        public let type: String
        public let attempts: Int
        public let lastError: String
        public let failedAt: Date?

        public init(sender: String, messageID: String, recipient: String, type: String, attempts: Int, lastError: String, failedAt: Date?) {
            self.sender = sender
            self.messageID = messageID
            self.recipient = recipient
            self.type = type
            self.attempts = attempts
            self.lastError = lastError
            self.failedAt = failedAt
        }
    }

    public let hub: String
    public let configurationSerial: Int
    public let participants: [Participant]
    public let queues: [Queue]
    public let deadLetters: [DeadLetter]
    public let logEntries: Int

    public init(hub: String, configurationSerial: Int, participants: [Participant], queues: [Queue], deadLetters: [DeadLetter], logEntries: Int) {
        self.hub = hub
        self.configurationSerial = configurationSerial
        self.participants = participants
        self.queues = queues
        self.deadLetters = deadLetters
        self.logEntries = logEntries
    }
}

extension CaseworkConsole {
    /// Hub operators: whoever may exchange messages or administer the installation.
    func canSeeFederation(_ session: ConsoleSession) -> Bool {
        let grants = session.caller.grants ?? []
        return federation != nil && (service.policy.allows(grants, .exchange) || service.policy.allows(grants, .administer))
    }

    func registerFederation<Context: RequestContext>(on console: RouterGroup<Context>) {
        guard let federation else { return }
        console.get("federation") { request, _ in
            let session = try await requireSession(request)
            guard canSeeFederation(session) else { throw IdentityError.forbidden }
            let overview = try await federation()
            let page = FederationPage(
                nodeName: nodeName, signedIn: signedIn(session), hub: overview.hub, serial: overview.configurationSerial, logEntries: overview.logEntries,
                participants: overview.participants.map {
                    FederationPage.ParticipantRow(id: $0.id, name: $0.name, delivery: $0.delivery, endpoint: $0.endpoint, state: $0.active ? "active" : "inactive")
                },
                queues: overview.queues.map {
                    FederationPage.QueueRow(recipient: $0.recipient, queued: $0.queued, delivered: $0.delivered, failed: $0.failed,
                                            oldest: $0.oldestQueued.map(ConsoleFormat.dateTime) ?? "—", alert: $0.failed > 0)
                },
                deadLetters: overview.deadLetters.map {
                    FederationPage.DeadLetterRow(sender: $0.sender, messageID: $0.messageID, recipient: $0.recipient, type: $0.type, attempts: $0.attempts,
                                                 error: String($0.lastError.prefix(300)), at: $0.failedAt.map(ConsoleFormat.dateTime) ?? "")
                }
            )
            return html("federation", page)
        }
    }
}

struct FederationPage {
    struct ParticipantRow {
        let id, name, delivery, endpoint, state: String
    }

    struct QueueRow {
        let recipient: String
        let queued, delivered, failed: Int
        let oldest: String
        let alert: Bool
    }

    struct DeadLetterRow {
        let sender, messageID, recipient, type: String
        let attempts: Int
        let error, at: String
    }

    let nodeName: String
    let signedIn: SignedIn
    let hub: String
    let serial: Int
    let logEntries: Int
    let participants: [ParticipantRow]
    let queues: [QueueRow]
    let deadLetters: [DeadLetterRow]
    var hasDeadLetters: Bool { !deadLetters.isEmpty }
    var deadLetterCount: Int { deadLetters.count }
}
