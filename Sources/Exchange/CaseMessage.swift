public import AccordCore
public import Foundation

/// A complete protocol message: envelope and typed body.
public struct CaseMessage: Sendable, Equatable {
    public var envelope: Envelope
    public var body: MessageBody

    public init(envelope: Envelope, body: MessageBody) {
        var envelope = envelope
        envelope.messageType = body.type
        self.envelope = envelope
        self.body = body
    }

    /// The XML `Id` of the signed root element.
    public var xmlID: String { "m-\(envelope.messageID.rawValue)" }
}

/// The typed body of each message type.
public enum MessageBody: Sendable, Equatable {
    case readmissionApplication(ReadmissionApplication)
    case readmissionRevision(ReadmissionRevision)
    case informationRequest(InformationRequest)
    case informationResponse(InformationResponse)
    case decision(Decision)
    case interviewProposal(InterviewProposal)
    case interviewConfirmation(InterviewConfirmation)
    case interviewOutcome(InterviewOutcome)
    case travelDocumentIssued(TravelDocumentIssued)
    case transferNotice(TransferNotice)
    case withdrawal(Withdrawal)
    case caseUpdate(CaseUpdate)
    case receipt(ReceiptBody)
    case error(ErrorBody)

    /// The agreement the body itself cites, where it names one (an application or its revision).
    public var citedAgreement: String? {
        switch self {
        case .readmissionApplication(let application): application.agreement
        case .readmissionRevision(let revision): revision.application.agreement
        default: nil
        }
    }

    public var type: MessageType {
        switch self {
        case .readmissionApplication: .readmissionApplication
        case .readmissionRevision: .readmissionRevision
        case .informationRequest: .informationRequest
        case .informationResponse: .informationResponse
        case .decision: .decision
        case .interviewProposal: .interviewProposal
        case .interviewConfirmation: .interviewConfirmation
        case .interviewOutcome: .interviewOutcome
        case .travelDocumentIssued: .travelDocumentIssued
        case .transferNotice: .transferNotice
        case .withdrawal: .withdrawal
        case .caseUpdate: .caseUpdate
        case .receipt: .receipt
        case .error: .error
        }
    }

    var content: any Encodable & Sendable {
        switch self {
        case .readmissionApplication(let body): body
        case .readmissionRevision(let body): body
        case .informationRequest(let body): body
        case .informationResponse(let body): body
        case .decision(let body): body
        case .interviewProposal(let body): body
        case .interviewConfirmation(let body): body
        case .interviewOutcome(let body): body
        case .travelDocumentIssued(let body): body
        case .transferNotice(let body): body
        case .withdrawal(let body): body
        case .caseUpdate(let body): body
        case .receipt(let body): body
        case .error(let body): body
        }
    }

    static func decode(_ type: MessageType, from data: Data, decoder: JSONDecoder) throws -> MessageBody {
        switch type {
        case .readmissionApplication: .readmissionApplication(try decoder.decode(ReadmissionApplication.self, from: data))
        case .readmissionRevision: .readmissionRevision(try decoder.decode(ReadmissionRevision.self, from: data))
        case .informationRequest: .informationRequest(try decoder.decode(InformationRequest.self, from: data))
        case .informationResponse: .informationResponse(try decoder.decode(InformationResponse.self, from: data))
        case .decision: .decision(try decoder.decode(Decision.self, from: data))
        case .interviewProposal: .interviewProposal(try decoder.decode(InterviewProposal.self, from: data))
        case .interviewConfirmation: .interviewConfirmation(try decoder.decode(InterviewConfirmation.self, from: data))
        case .interviewOutcome: .interviewOutcome(try decoder.decode(InterviewOutcome.self, from: data))
        case .travelDocumentIssued: .travelDocumentIssued(try decoder.decode(TravelDocumentIssued.self, from: data))
        case .transferNotice: .transferNotice(try decoder.decode(TransferNotice.self, from: data))
        case .withdrawal: .withdrawal(try decoder.decode(Withdrawal.self, from: data))
        case .caseUpdate: .caseUpdate(try decoder.decode(CaseUpdate.self, from: data))
        case .receipt: .receipt(try decoder.decode(ReceiptBody.self, from: data))
        case .error: .error(try decoder.decode(ErrorBody.self, from: data))
        }
    }
}

extension MessageBody {
    /// The body alone as JSON (sorted members), for stores that keep what a message said.
    public func jsonData() throws -> Data {
        try MessageCodec.encoder.encode(AnyEncodable(content))
    }

    /// A body stored with `jsonData()`.
    public static func decode(_ type: MessageType, json: Data) throws -> MessageBody {
        try decode(type, from: json, decoder: MessageCodec.decoder)
    }
}
