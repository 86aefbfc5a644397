public import Foundation
public import X509

/// Decides whether a certificate chain speaks for a federation participant: issued by the
/// federation CA (nothing else is an anchor), a leaf that is not a CA, key usage and EKU of the
/// expected role, the role and participant URIs, within validity, and not revoked by a current
/// CRL. Without a CRL, or with one past its nextUpdate, every certificate is refused: revocation
/// fails closed.
public struct FederationTrust: Sendable {
    public let authority: Certificate
    public let revocationList: RevocationList?

    public init(authority: Certificate, revocationList: RevocationList?) throws {
        if let revocationList {
            guard revocationList.issuer == authority.subject, revocationList.isSigned(by: authority) else {
                throw FederationError.crlInvalid("it is not signed by the federation CA")
            }
        }
        self.authority = authority
        self.revocationList = revocationList
    }

    /// Verifies `chain` (leaf first) for one of `roles` at `time`. `purpose` is the extended key
    /// usage the use needs (clientAuth for a TLS client, serverAuth for a server); by default the
    /// role's first.
    public func verify(
        chain: [Certificate], roles: Set<CertificateRole>, purpose: ExtendedKeyUsage.Usage? = nil, at time: Date
    ) async throws -> FederationIdentity {
        guard let leaf = chain.first else { throw FederationError.certificateRejected("no certificate presented") }
        guard let revocationList else { throw FederationError.crlStale("no revocation list from the federation CA is loaded") }
        guard let nextUpdate = revocationList.nextUpdate, nextUpdate >= time else {
            throw FederationError.crlStale("the federation revocation list expired; refusing every certificate until a current one is loaded")
        }
        let identity = try FederationIdentity(certificate: leaf)
        guard roles.contains(identity.role) else {
            throw FederationError.certificateRejected("a \(identity.role.rawValue) certificate cannot be used here")
        }
        let profile = PathValidationProfile(
            requiredUsage: purpose ?? identity.role.extendedKeyUsage.first, requiredKeyUsage: identity.role.keyUsage, maxIntermediates: 0,
            revocationLists: [revocationList], requireRevocationInformation: true, validationTime: time, leafKeyTypes: [.p256]
        )
        switch await CertificatePathValidator(anchors: [authority]).validate(leaf: leaf, intermediates: Array(chain.dropFirst()), profile: profile) {
        case .valid:
            return identity
        case .invalid(let reason):
            throw FederationError.certificateRejected(reason)
        }
    }
}
