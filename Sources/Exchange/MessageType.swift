/// Every message type of protocol version 1.
public enum MessageType: String, Sendable, Codable, CaseIterable {
    case readmissionApplication = "readmission_application"
    case readmissionRevision = "readmission_revision"
    case informationRequest = "information_request"
    case informationResponse = "information_response"
    case decision
    case interviewProposal = "interview_proposal"
    case interviewConfirmation = "interview_confirmation"
    case interviewOutcome = "interview_outcome"
    case travelDocumentIssued = "travel_document_issued"
    case transferNotice = "transfer_notice"
    case withdrawal
    case caseUpdate = "case_update"
    case receipt
    case error

    /// The element and JSON member that holds the body of this type, e.g. `ReadmissionApplication`.
    public var bodyName: String {
        rawValue.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
