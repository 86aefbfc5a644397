import Foundation

/// View models of the readmission screens. `t` is the language's string table.
struct ReadmissionListPage {
    struct Row {
        let id, reference, person, partner, role, status, statusCode, due, clock, clockCode, left: String
        let alert: Bool
    }

    let nodeName: String
    let signedIn: SignedIn
    let lang: String
    let t: [String: String]
    let rows: [Row]
    let partners: [Option]
    let directions: [Option]
    let canCompose: Bool
    let message: Message?
}

struct ReadmissionCasePage {
    struct IdentityCheck {
        let source, at, outcome, outcomeCode, detail: String
        let reference, problem: String?
    }

    struct Fact {
        let label, value: String
    }

    /// Optional fields are nil, not empty: Mustache renders a section for an empty string.
    struct TimelineRow {
        let at, direction, event, actor, detail: String
        let delivery, deliveryCode, receiptAt, digest, receiptLink: String?
    }

    struct Slot {
        let value, label: String
    }

    let nodeName: String
    let signedIn: SignedIn
    let lang: String
    let t: [String: String]
    let csrf: String
    let id: String
    let reference: String
    let person: String
    /// The case of type readmission this conversation drives, and its person.
    let caseFile: String?
    let personID: String?
    let status: String
    let statusCode: String
    let clockState: String
    let clockCode: String
    let facts: [Fact]
    let clockFacts: [Fact]
    let timeline: [TimelineRow]
    let message: Message?
    /// What the national registries answered (requested side), newest first.
    let identityChecks: [IdentityCheck]
    let showsIdentityChecks: Bool
    let reachesRegistries: Bool
    // What this user may do now, on this side.
    let canVerify, canRequestInformation, canProposeInterview, canRecordInterview, canClaimExtension, canDecide, canApprove, canIssueDocument: Bool
    let canAnswer, canConfirmInterview, canNotifyTransfer, canConfirmTransfer: Bool
    /// Why the transfer cannot be confirmed yet (shown instead of the button).
    let transferWaiting: String?
    let canWithdraw, canRevise: Bool
    let evidenceKinds: [Option]
    let proposedDecision: String?
    let questions: [String]
    let slots: [Slot]
    let today: String
}

struct ReadmissionComposePage {
    let nodeName: String
    let signedIn: SignedIn
    let lang: String
    let t: [String: String]
    let csrf: String
    let agreements: [Option]
    let evidence: [Option]
    let form: ComposeForm
    let sexes: [Option]
    let documentKinds: [Option]
    let message: Message?
}

struct ReadmissionStatisticsPage {
    struct Row {
        let partner, agreement, sent, received, pending, accepted, deemed, rejected, rate, median, p90, withinLimit, limit, transfers: String
    }

    let nodeName: String
    let signedIn: SignedIn
    let lang: String
    let t: [String: String]
    let rows: [Row]
}
