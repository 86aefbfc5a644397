public import Foundation

/// One deterministic example of every message type: used by `accord message example`, by
/// Docs/Protocol.md (checked by a test) and by the interop tests.
public enum MessageExamples {
    public static let requesting = ParticipantID("BEL-DOFI")!
    public static let requested = ParticipantID("MAR-INTERIOR")!
    public static let created = Timestamp.parse("2026-03-02T09:30:00.000Z")!

    public static func envelope(_ type: MessageType, index: Int = 1) -> Envelope {
        let replying = ![.readmissionApplication, .readmissionRevision, .withdrawal, .caseUpdate, .transferNotice].contains(type)
        let sender = [.informationRequest, .decision, .interviewProposal, .interviewOutcome, .travelDocumentIssued, .receipt, .error].contains(type) ? requested : requesting
        return Envelope(
            messageID: .init(UUID(uuidString: String(format: "6b1f0c2e-8a4d-4c1b-9f3e-%012d", MessageType.allCases.firstIndex(of: type)! + 100 * index))!),
            conversationID: .init(UUID(uuidString: "0d7e6a52-3b7f-4a39-8f61-2c5b1d9e4a10")!),
            caseReference: "RDM-2026-000031-7",
            sender: sender,
            recipient: sender == requesting ? requested : requesting,
            messageType: type,
            createdAt: created,
            expiresAt: created.addingTimeInterval(30 * 86_400),
            inReplyTo: replying ? .init(UUID(uuidString: "6b1f0c2e-8a4d-4c1b-9f3e-000000000100")!) : nil
        )
    }

    static let person = PersonRecord(
        names: [PersonRecord.Name(given: "Youssef", family: "El Alaoui"), PersonRecord.Name(given: "يوسف", family: "العلوي", script: "Arab")],
        dateOfBirth: "1994-07", placeOfBirth: "Fès", sex: "M", nationality: "MAR",
        documents: [PersonRecord.IdentityDocument(kind: "expired_passport", number: "U1234567", issuingCountry: "MAR", expiresOn: "2021-05-31")]
    )

    static let application = ReadmissionApplication(
        agreement: "EU-MAR-2026", procedure: "normal", person: person,
        evidence: [Evidence(strength: "proof", kind: "expired_passport", description: "Expired passport, copy attached", documentDigest: String(repeating: "ab", count: 32)),
                   Evidence(strength: "prima_facie", kind: "witness_statement")],
        biometricReferences: ["BE-AFIS-2026-118877"],
        apprehension: .init(date: "2026-02-27", place: "Brussels-South station", circumstances: "Identity check; no residence permit"),
        specialNeeds: "Diabetic; needs insulin during transfer", escort: "required"
    )

    public static func body(_ type: MessageType) -> MessageBody {
        switch type {
        case .readmissionApplication: .readmissionApplication(application)
        case .readmissionRevision: .readmissionRevision(.init(revises: "6b1f0c2e-8a4d-4c1b-9f3e-000000000100", reason: "Birth certificate added", application: application))
        case .informationRequest: .informationRequest(.init(questions: ["Please send the full birth certificate.", "Which town did the person live in before 2020?"], replyBy: "2026-03-16"))
        case .informationResponse: .informationResponse(.init(answers: ["Birth certificate attached.", "Meknès"], evidence: [Evidence(strength: "proof", kind: "birth_certificate", documentDigest: String(repeating: "cd", count: 32))]))
        case .decision: .decision(.init(outcome: "accept", decidedAt: "2026-03-10T14:00:00.000Z", decidedBy: "k.benali", approvedBy: "s.tazi"))
        case .interviewProposal: .interviewProposal(.init(mode: "video", slots: ["2026-03-05T10:00:00.000Z", "2026-03-06T14:30:00.000Z"]))
        case .interviewConfirmation: .interviewConfirmation(.init(mode: "video", slot: "2026-03-05T10:00:00.000Z"))
        case .interviewOutcome: .interviewOutcome(.init(outcome: "identity_confirmed", summary: "Identity and nationality confirmed by consular officer.", recordDigest: String(repeating: "ef", count: 32)))
        case .travelDocumentIssued: .travelDocumentIssued(.init(kind: "emergency_travel_document", number: "ETD-2026-00417", issuedOn: "2026-03-12", validUntil: "2026-04-11", issuingAuthority: "Consulate General of Morocco, Brussels"))
        case .transferNotice: .transferNotice(.init(flight: "AT 835", departure: "2026-03-20T07:15:00.000Z", pointOfEntry: "CMN", escorts: [.init(name: "J. Peeters", role: "escort_leader"), .init(name: "M. Lambert", role: "medical")]))
        case .withdrawal: .withdrawal(.init(reason: "The person left voluntarily."))
        case .caseUpdate: .caseUpdate(.init(caseNumber: "RET-2026-000036-2", status: "in_progress", summary: "Return procedure opened."))
        case .receipt: .receipt(.init(receivedMessageID: "6b1f0c2e-8a4d-4c1b-9f3e-000000000100", receivedDigest: String(repeating: "0f", count: 32), receivedAt: "2026-03-02T09:30:01.250Z"))
        case .error: .error(.init(code: "exchange.signature_invalid", message: "the signature does not verify with the sender's trusted key", refusedMessageID: "6b1f0c2e-8a4d-4c1b-9f3e-000000000100"))
        }
    }

    public static func message(_ type: MessageType) -> CaseMessage {
        CaseMessage(envelope: envelope(type), body: body(type))
    }
}
