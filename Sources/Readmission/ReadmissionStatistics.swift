public import Exchange
import Foundation

/// The figures a joint readmission committee asks for, per partner, computed from the exchange
/// itself: applications, decisions, acceptance rate, reply times against the limit, transfers.
public struct PartnerStatistics: Sendable, Equatable {
    public let partner: ParticipantID
    public let partnerName: String
    public let agreement: String
    /// Cases this installation sent (as requesting state) and received (as requested state).
    public let sent: Int
    public let received: Int
    public let pending: Int
    public let accepted: Int
    public let deemedAccepted: Int
    public let rejected: Int
    public let withdrawn: Int
    public let transfersCompleted: Int
    /// Reply times in days (receipt of the application to receipt of the decision), over decided cases.
    public let medianReplyDays: Double?
    public let p90ReplyDays: Double?
    /// Replies that came within the agreement's limit, of those decided.
    public let withinLimit: Int
    public let limit: String

    /// Accepted (expressly or by silence) over decided, or nil before any decision.
    public var acceptanceRate: Double? {
        let decided = accepted + deemedAccepted + rejected
        return decided == 0 ? nil : Double(accepted + deemedAccepted) / Double(decided)
    }

    public static func compute(_ views: [ReadmissionDesk.View], partners: [(agreement: AgreementProfile, partner: AgreementProfile.Party)]) -> [PartnerStatistics] {
        partners.map { agreement, partner in
            let cases = views.filter { $0.readmission.partner == partner.participant }
            let replies = cases.compactMap { view -> Double? in
                guard let start = view.readmission.clockStartedAt, let end = view.readmission.decisionAt ?? (view.readmission.status == .deemedAccepted ? view.readmission.acceptedAt : nil) else { return nil }
                return end.timeIntervalSince(start) / 86_400
            }.sorted()
            func percentile(_ p: Double) -> Double? {
                guard !replies.isEmpty else { return nil }
                let rank = Int((p * Double(replies.count)).rounded(.up)) - 1
                return replies[min(max(rank, 0), replies.count - 1)]
            }
            let statuses = cases.map(\.readmission.status)
            return PartnerStatistics(
                partner: partner.participant, partnerName: partner.name, agreement: agreement.id,
                sent: cases.filter { $0.readmission.role == .requesting }.count,
                received: cases.filter { $0.readmission.role == .requested }.count,
                pending: statuses.filter(\.awaitsReply).count,
                accepted: cases.filter { $0.readmission.decision?.outcome == "accept" }.count,
                // Still counted as accepted by silence after the travel document or the transfer.
                deemedAccepted: cases.filter { $0.readmission.decision == nil && $0.readmission.status.isAccepted }.count,
                rejected: statuses.filter { $0 == .rejected }.count,
                withdrawn: statuses.filter { $0 == .withdrawn }.count,
                transfersCompleted: statuses.filter { $0 == .transferred }.count,
                medianReplyDays: percentile(0.5), p90ReplyDays: percentile(0.9),
                withinLimit: cases.filter { $0.clock?.state == .met }.count,
                limit: agreement.replyLimit.description
            )
        }
    }
}
