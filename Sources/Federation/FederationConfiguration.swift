public import Exchange
public import Foundation
import X509

/// The federation's global configuration, published by the hub and signed with its signer key
/// (X-Road's "global configuration" is the model): who the participants are, how each is reached,
/// and which pairs may exchange which message types under which agreement. Nodes fetch it, verify
/// the signature against the federation CA, and refuse anything it does not allow.
public struct FederationConfiguration: Sendable, Equatable, Codable {
    /// Increases with every publication; a node never goes back to a lower serial.
    public var serial: Int
    public var issuedAt: Date
    public var hub: ParticipantID
    public var participants: [Participant]
    public var agreements: [Agreement]

    public init(serial: Int, issuedAt: Date, hub: ParticipantID, participants: [Participant], agreements: [Agreement]) {
        self.serial = serial
        self.issuedAt = issuedAt
        self.hub = hub
        self.participants = participants
        self.agreements = agreements
    }

    /// The trust store for messages: every listed signer certificate that verifies under `trust`
    /// as a signer of the participant that lists it. Certificates that do not are left out.
    public func signerTrust(_ trust: FederationTrust, at time: Date) async -> InMemoryTrustStore {
        var signers: [TrustedSigner] = []
        for participant in participants where participant.active {
            for pem in participant.signerCertificates {
                guard let certificate = try? Certificate(pemEncoded: pem),
                      let identity = try? await trust.verify(chain: [certificate], roles: [.signer], purpose: CertificateRole.documentSigning, at: time),
                      identity.participant == participant.id,
                      let signer = try? TrustedSigner(participant: participant.id, certificate: certificate) else { continue }
                signers.append(signer)
            }
        }
        return InMemoryTrustStore(signers)
    }

    public func participant(_ id: ParticipantID) -> Participant? {
        participants.first { $0.id == id }
    }

    /// Every problem with the configuration, or none.
    public func problems() -> [String] {
        var problems: [String] = []
        let ids = participants.map(\.id)
        if Set(ids).count != ids.count { problems.append("a participant is listed twice") }
        for agreement in agreements {
            for party in agreement.parties where participant(party) == nil {
                problems.append("agreement \(agreement.id) names \(party), who is not a participant")
            }
            if Set(agreement.parties).count != 2 { problems.append("agreement \(agreement.id) must have two different parties") }
            if agreement.messageTypes.isEmpty { problems.append("agreement \(agreement.id) allows no message type") }
        }
        if Set(agreements.map(\.id)).count != agreements.count { problems.append("an agreement id is used twice") }
        return problems
    }

    /// The agreement under which `sender` may send `type` to `recipient`; throws
    /// `federation.unknown_participant` or `federation.no_agreement` otherwise. Receipts and
    /// errors follow any message that was allowed, so they need no agreement of their own.
    /// The agreement under which `message` may travel, as hub and recipient both check it: the
    /// route (sender, recipient, type) must exist, and an agreement the body cites (a readmission
    /// application or revision names one) must be a listed agreement that binds exactly sender
    /// and recipient and allows the message type — otherwise `federation.unknown_agreement` or
    /// `federation.agreement_mismatch`, and the message is not carried.
    public func admissibleAgreement(for message: CaseMessage) throws -> Agreement? {
        let envelope = message.envelope
        let routed = try route(from: envelope.sender, to: envelope.recipient, type: envelope.messageType)
        guard let cited = message.body.citedAgreement else { return routed }
        guard let agreement = agreements.first(where: { $0.id == cited }) else {
            throw FederationError.unknownAgreement(cited)
        }
        guard Set(agreement.parties) == [envelope.sender, envelope.recipient] else {
            throw FederationError.agreementMismatch("agreement \(agreement.id) binds \(agreement.parties.map(\.rawValue).sorted().joined(separator: " and ")), not \(envelope.sender) and \(envelope.recipient)")
        }
        guard agreement.messageTypes.contains(envelope.messageType) else {
            throw FederationError.agreementMismatch("agreement \(agreement.id) does not allow \(envelope.messageType.rawValue)")
        }
        return agreement
    }

    public func route(from sender: ParticipantID, to recipient: ParticipantID, type: MessageType) throws -> Agreement? {
        guard let from = participant(sender), from.active else { throw FederationError.unknownParticipant(sender.rawValue) }
        guard let to = participant(recipient), to.active else { throw FederationError.unknownParticipant(recipient.rawValue) }
        if type == .receipt || type == .error { return nil }
        guard let agreement = agreements.first(where: { Set($0.parties) == [sender, recipient] && $0.messageTypes.contains(type) }) else {
            throw FederationError.noAgreement("no agreement lets \(sender) send \(type.rawValue) to \(recipient)")
        }
        return agreement
    }
}

/// A state's authority taking part in the federation.
public struct Participant: Sendable, Equatable, Codable {
    public var id: ParticipantID
    public var name: String
    /// How the hub delivers to it: `push` to `endpoint`, or `pull` (the node polls the hub; it
    /// accepts no incoming connection).
    public var delivery: Delivery
    public var endpoint: String?
    public var active: Bool
    /// The participant's message-signing certificates (PEM). Only these verify its messages.
    public var signerCertificates: [String]

    public enum Delivery: String, Sendable, Codable {
        case push, pull
    }

    public init(id: ParticipantID, name: String, delivery: Delivery, endpoint: String? = nil, active: Bool = true, signerCertificates: [String] = []) {
        self.id = id
        self.name = name
        self.delivery = delivery
        self.endpoint = endpoint
        self.active = active
        self.signerCertificates = signerCertificates
    }
}

/// A bilateral agreement as the gateway enforces it: the two parties, the message types they may
/// exchange in either direction, and fields that must never reach the other side.
public struct Agreement: Sendable, Equatable, Codable {
    public var id: String
    public var parties: [ParticipantID]
    public var messageTypes: [MessageType]
    /// Person fields withheld from this exchange (e.g. `placeOfBirth`): a message carrying one is refused.
    public var withheldPersonFields: [String]

    public init(id: String, parties: [ParticipantID], messageTypes: [MessageType], withheldPersonFields: [String] = []) {
        self.id = id
        self.parties = parties
        self.messageTypes = messageTypes
        self.withheldPersonFields = withheldPersonFields
    }
}
