public import Exchange
import Foundation
public import SwiftASN1
public import X509

/// What a federation certificate is for. The role is written into the certificate (a
/// `urn:accord:role:` URI beside the `urn:accord:participant:` URI) and fixes key usage and EKU.
public enum CertificateRole: String, Sendable, CaseIterable, Codable {
    /// The hub's TLS identity: server to nodes, client when it pushes to them.
    case hub
    /// A node's TLS identity: client of the hub, server when it accepts pushed deliveries.
    case node
    /// Signs case messages, receipts and (for the hub) the federation configuration.
    case signer

    /// id-kp-documentSigning (RFC 9336).
    public static let documentSigning = ExtendedKeyUsage.Usage(oid: [1, 3, 6, 1, 5, 5, 7, 3, 36])

    public var extendedKeyUsage: [ExtendedKeyUsage.Usage] {
        switch self {
        case .hub, .node: [.serverAuth, .clientAuth]
        case .signer: [Self.documentSigning]
        }
    }

    public var keyUsage: KeyUsage {
        switch self {
        case .hub, .node: KeyUsage(digitalSignature: true)
        case .signer: KeyUsage(digitalSignature: true, nonRepudiation: true)
        }
    }

    var uri: String { "urn:accord:role:\(rawValue)" }
}

/// Who a verified federation certificate speaks for.
public struct FederationIdentity: Sendable, Hashable {
    public let participant: ParticipantID
    public let role: CertificateRole
    public let fingerprint: CertificateFingerprint
    public let serial: Certificate.SerialNumber
    public let notValidAfter: Date

    static let participantPrefix = "urn:accord:participant:"
    static let rolePrefix = "urn:accord:role:"

    /// Reads participant and role from the certificate's URI names: exactly one of each.
    public init(certificate: Certificate) throws {
        let uris = (try? certificate.extensions.subjectAlternativeNames)?.compactMap { name -> String? in
            if case .uniformResourceIdentifier(let uri) = name { return uri }
            return nil
        } ?? []
        let participants = uris.filter { $0.hasPrefix(Self.participantPrefix) }.map { String($0.dropFirst(Self.participantPrefix.count)) }
        let roles = uris.filter { $0.hasPrefix(Self.rolePrefix) }.map { String($0.dropFirst(Self.rolePrefix.count)) }
        guard participants.count == 1, let participant = ParticipantID(participants[0]) else {
            throw FederationError.certificateRejected("the certificate must name exactly one federation participant")
        }
        guard roles.count == 1, let role = CertificateRole(rawValue: roles[0]) else {
            throw FederationError.certificateRejected("the certificate must name exactly one federation role")
        }
        self.participant = participant
        self.role = role
        self.fingerprint = CertificateFingerprint(der: try certificate.derBytes())
        self.serial = certificate.serialNumber
        self.notValidAfter = certificate.notValidAfter
    }
}
