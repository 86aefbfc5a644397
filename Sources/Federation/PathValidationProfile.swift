public import Foundation
public import X509

/// What one certificate-path validation demands beyond RFC 5280. The same strict engine serves
/// the federation (hub, node and signer certificates under the federation CA) and the x509-limbo
/// conformance corpus; only these parameters differ.
public struct PathValidationProfile: Sendable {
    /// The purpose the leaf's extendedKeyUsage must list (never satisfied by anyExtendedKeyUsage).
    public var requiredUsage: ExtendedKeyUsage.Usage?
    /// Key-usage bits the leaf must assert (when nil, only consistency rules apply).
    public var requiredKeyUsage: KeyUsage?
    /// The name the leaf must carry in its subjectAltName, when the caller expects one.
    public var expectedName: ExpectedName?
    /// The most intermediate CAs allowed between leaf and trust anchor.
    public var maxIntermediates: Int
    /// CRLs to apply. A CRL is applied to every certificate whose issuer signed it.
    public var revocationLists: [RevocationList]
    /// When true, every certificate below the anchor needs a CRL from its issuer that is current
    /// at `validationTime`: no list, or an expired one, fails the path (fail closed).
    public var requireRevocationInformation: Bool
    public var validationTime: Date
    /// Allowed leaf key types. Federation certificates are P-256 only.
    public var leafKeyTypes: Set<KeyType>

    public enum ExpectedName: Sendable, Equatable {
        case dns(String)
        case ip(String)
    }

    public enum KeyType: Sendable, Hashable {
        case p256, p384, rsa
    }

    public init(
        requiredUsage: ExtendedKeyUsage.Usage?, requiredKeyUsage: KeyUsage? = nil, expectedName: ExpectedName? = nil,
        maxIntermediates: Int = 4, revocationLists: [RevocationList] = [], requireRevocationInformation: Bool = false,
        validationTime: Date, leafKeyTypes: Set<KeyType> = [.p256, .p384, .rsa]
    ) {
        self.requiredUsage = requiredUsage
        self.requiredKeyUsage = requiredKeyUsage
        self.expectedName = expectedName
        self.maxIntermediates = maxIntermediates
        self.revocationLists = revocationLists
        self.requireRevocationInformation = requireRevocationInformation
        self.validationTime = validationTime
        self.leafKeyTypes = leafKeyTypes
    }
}

/// The outcome of a path validation: the chain that passed, or the reasons every candidate failed.
public enum PathValidationResult: Sendable {
    case valid([Certificate])
    case invalid(String)

    public var isValid: Bool {
        if case .valid = self { return true }
        return false
    }
}

/// Validates leaf certificates against trust anchors with swift-certificates' chain builder,
/// RFC 5280 policy and Accord's own strict policy (`StrictChainPolicy`).
public struct CertificatePathValidator: Sendable {
    public let anchors: [Certificate]

    public static let maxPresentedIntermediates = 8

    public init(anchors: [Certificate]) {
        self.anchors = anchors
    }

    public func validate(leaf: Certificate, intermediates: [Certificate] = [], profile: PathValidationProfile) async -> PathValidationResult {
        // A peer presenting a long list of certificates is hostile: chain building over it is exponential.
        guard intermediates.count <= Self.maxPresentedIntermediates else {
            return .invalid("\(intermediates.count) intermediate certificates presented; at most \(Self.maxPresentedIntermediates) accepted")
        }
        if let problem = StrictChainPolicy.certificateProblem(leaf, position: .leaf) {
            return .invalid(problem)
        }
        var verifier = Verifier(rootCertificates: CertificateStore(anchors)) {
            // Accord's policy first: its size limits must run before the quadratic name-constraint check.
            StrictChainPolicy(profile: profile)
            // Certificate times have whole seconds: floor the validation time, never round it up.
            RFC5280Policy(validationTime: Date(timeIntervalSince1970: profile.validationTime.timeIntervalSince1970.rounded(.down)))
            if let name = profile.expectedName {
                switch name {
                case .dns(let host): ServerIdentityPolicy(serverHostname: host, serverIP: nil)
                case .ip(let address): ServerIdentityPolicy(serverHostname: nil, serverIP: address)
                }
            }
        }
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(intermediates))
        switch result {
        case .validCertificate(let chain):
            return .valid(Array(chain))
        case .couldNotValidate(let failures):
            let reasons = failures.map { "\($0.policyFailureReason)" }
            return .invalid(reasons.isEmpty ? "no chain to a trusted federation CA" : Array(Set(reasons)).sorted().joined(separator: "; "))
        }
    }
}
