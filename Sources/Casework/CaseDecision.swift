public import AccordCore
public import Foundation
public import Identity

/// The decision on a case: an outcome from the workflow's list, its grounds and legal basis,
/// proposed by one officer and — where four-eyes applies — approved by another, then signed by
/// the node over the canonical record (`signedBytes`) and both officers' IDs.
public struct CaseDecision: Identifiable, Sendable, Equatable, Codable {
    public typealias ID = Identifier<CaseDecision>

    public enum State: String, Sendable, Codable, CaseIterable {
        case proposed, approved, returned
    }

    public let id: ID
    public let caseID: Case.ID
    public let caseNumber: CaseNumber
    public let workflowVersion: Int
    public let outcome: String
    public let grounds: String?
    public let legalBasis: String?
    public let proposedBy: UserID
    public let proposedAt: Date
    public var state: State
    public var approvedBy: UserID?
    public var approvedAt: Date?
    /// Why the approver sent it back.
    public var returnReason: String?
    /// The node's signature (ECDSA P-256, SHA-256, DER) over `signedBytes`, base64.
    public var signature: String?
    /// The signing key's identifier (the SHA-256 of its SubjectPublicKeyInfo, hex).
    public var signingKey: String?

    public init(
        id: ID, caseID: Case.ID, caseNumber: CaseNumber, workflowVersion: Int, outcome: String, grounds: String?, legalBasis: String?,
        proposedBy: UserID, proposedAt: Date, state: State = .proposed, approvedBy: UserID? = nil, approvedAt: Date? = nil,
        returnReason: String? = nil, signature: String? = nil, signingKey: String? = nil
    ) {
        self.id = id
        self.caseID = caseID
        self.caseNumber = caseNumber
        self.workflowVersion = workflowVersion
        self.outcome = outcome
        self.grounds = grounds
        self.legalBasis = legalBasis
        self.proposedBy = proposedBy
        self.proposedAt = proposedAt
        self.state = state
        self.approvedBy = approvedBy
        self.approvedAt = approvedAt
        self.returnReason = returnReason
        self.signature = signature
        self.signingKey = signingKey
    }

    /// The bytes the node signs: one line per member, in a fixed order, UTF-8, LF-terminated.
    /// Anyone can rebuild them from the record and check the signature with openssl.
    public var signedBytes: [UInt8] {
        let lines = [
            "accord-decision-v1",
            "decision=\(id.rawValue)",
            "case=\(caseNumber.text)",
            "workflow=\(caseNumber.type.rawValue)@\(workflowVersion)",
            "outcome=\(outcome)",
            "grounds=\(Self.escape(grounds ?? ""))",
            "legal_basis=\(Self.escape(legalBasis ?? ""))",
            "proposed_by=\(proposedBy.rawValue)",
            "proposed_at_ms=\(proposedAt.millisecondsSince1970)",
            "approved_by=\(approvedBy?.rawValue ?? "")",
            "approved_at_ms=\(approvedAt.map { String($0.millisecondsSince1970) } ?? "")",
        ]
        return Array(lines.map { $0 + "\n" }.joined().utf8)
    }

    /// Backslash and line breaks escaped so every member stays on its line.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
    }
}

/// Signs and checks decisions with the node's key. The domain asks; the composition root holds
/// the key.
public protocol DecisionSigner: Sendable {
    /// Signs `bytes`: the DER signature and the key's identifier.
    func sign(_ bytes: [UInt8]) throws -> (signature: [UInt8], keyID: String)
    /// The public key decisions are signed with (SubjectPublicKeyInfo, PEM), for offline checks.
    var publicKeyPEM: String { get }
    /// Whether `signature` over `bytes` verifies under the key `keyID`.
    func verify(_ signature: [UInt8], over bytes: [UInt8], keyID: String) -> Bool
}
