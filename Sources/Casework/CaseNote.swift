public import AccordCore
public import Foundation

/// A free-text note on a case. Notes are never edited; a correction is a new note. A note
/// addressed to an officer is a message: it waits in their work until they read the case's notes.
public struct CaseNote: Identifiable, Sendable, Equatable, Codable {
    public typealias ID = Identifier<CaseNote>

    public let id: ID
    public let caseID: Case.ID
    public let author: UserID
    public let at: Date
    public let text: String
    public let recipient: UserID?
    public var readAt: Date?

    public init(id: ID, caseID: Case.ID, author: UserID, at: Date, text: String, recipient: UserID? = nil, readAt: Date? = nil) {
        self.id = id
        self.caseID = caseID
        self.author = author
        self.at = at
        self.text = text
        self.recipient = recipient
        self.readAt = readAt
    }

    public static let maximumLength = 10_000
}
