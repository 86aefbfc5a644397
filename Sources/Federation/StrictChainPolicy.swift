import _CryptoExtras
import Crypto
import Foundation
import SwiftASN1
import X509

/// Accord's certificate rules on top of RFC 5280 (swift-certificates' defaults accept a CA as a
/// leaf, a wrong or missing EKU and a missing SAN; these rules do not):
/// - every certificate: v3, a positive serial of at most 20 octets, no duplicate extension, no
///   unknown critical extension, non-critical key identifiers, an allowed key type and size;
/// - the leaf: not a CA, no keyCertSign, a non-empty EKU naming the profile's purpose, a
///   well-formed subjectAltName without wildcards, the profile's key usage;
/// - CA certificates: critical basicConstraints with cA, keyCertSign when key usage is present,
///   a subject key identifier, an EKU (if any) that allows the purpose, critical name constraints;
/// - path length within `maxIntermediates`; revocation from CRLs signed by the issuer.
struct StrictChainPolicy: VerifierPolicy {
    let profile: PathValidationProfile

    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [
        .X509ExtensionID.basicConstraints, .X509ExtensionID.keyUsage, .X509ExtensionID.extendedKeyUsage,
        .X509ExtensionID.subjectAlternativeName, .X509ExtensionID.nameConstraints,
    ]

    enum Position { case leaf, intermediate, anchor }

    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) -> PolicyEvaluationResult {
        let certificates = Array(chain)
        guard certificates.count - 2 <= profile.maxIntermediates else {
            return .failsToMeetPolicy(reason: "the chain has \(certificates.count - 2) intermediates; at most \(profile.maxIntermediates) allowed")
        }
        if certificates.count == 1 {
            return .failsToMeetPolicy(reason: "a trust anchor cannot be a leaf")
        }
        for (index, certificate) in certificates.enumerated() {
            let position: Position = index == 0 ? .leaf : (index == certificates.count - 1 ? .anchor : .intermediate)
            if let problem = Self.certificateProblem(certificate, position: position) { return .failsToMeetPolicy(reason: problem) }
            if position != .leaf, let problem = caUsageProblem(certificate) { return .failsToMeetPolicy(reason: problem) }
        }
        if let problem = leafProblem(certificates[0]) { return .failsToMeetPolicy(reason: problem) }
        if let problem = revocationProblem(certificates) { return .failsToMeetPolicy(reason: problem) }
        return .meetsPolicy
    }

    // MARK: Every certificate

    static let knownCritical: Set<ASN1ObjectIdentifier> = [
        .X509ExtensionID.basicConstraints, .X509ExtensionID.keyUsage, .X509ExtensionID.extendedKeyUsage,
        .X509ExtensionID.subjectAlternativeName, .X509ExtensionID.nameConstraints,
    ]

    static func certificateProblem(_ certificate: Certificate, position: Position) -> String? {
        let name = "\(certificate.subject)"
        guard certificate.version == .v3 else { return "\(name): only X.509 v3 certificates are accepted" }
        guard let serial = encodedSerial(certificate), let first = serial.first, first & 0x80 == 0, serial.count <= 20,
              serial.contains(where: { $0 != 0 }) else {
            return "\(name): the serial number must be positive and at most 20 octets"
        }
        if hasFractionalValidity(certificate) { return "\(name): validity times must not have fractional seconds" }
        if certificate.extensions[oid: policyConstraintsOID] != nil { return "\(name): policy constraints are not supported" }
        let oids = certificate.extensions.map(\.oid)
        guard Set(oids).count == oids.count else { return "\(name): an extension occurs twice" }
        if let unknown = certificate.extensions.first(where: { $0.critical && !knownCritical.contains($0.oid) }) {
            return "\(name): unknown critical extension \(unknown.oid)"
        }
        for oid in [ASN1ObjectIdentifier.X509ExtensionID.subjectKeyIdentifier, .X509ExtensionID.authorityKeyIdentifier] {
            if certificate.extensions[oid: oid]?.critical == true { return "\(name): key identifier extensions must not be critical" }
        }
        do {
            _ = try certificate.extensions.authorityInformationAccess
            _ = try certificate.extensions.subjectAlternativeNames
            _ = try certificate.extensions.keyUsage
            _ = try certificate.extensions.extendedKeyUsage
            _ = try certificate.extensions.nameConstraints
            let selfIssued = certificate.issuer == certificate.subject
            let aki = try certificate.extensions.authorityKeyIdentifier
            let ski = try certificate.extensions.subjectKeyIdentifier
            if !selfIssued, aki?.keyIdentifier == nil { return "\(name): the authority key identifier is missing" }
            if let aki, selfIssued, position == .anchor {
                guard aki.authorityCertIssuer == nil, aki.authorityCertSerialNumber == nil, let id = aki.keyIdentifier, id == ski?.keyIdentifier else {
                    return "\(name): a self-signed anchor's authority key identifier must be its subject key identifier only"
                }
            }
            if position != .leaf, ski == nil { return "\(name): a CA certificate needs a subject key identifier" }
        } catch {
            return "\(name): malformed extension: \(error)"
        }
        if certificate.issuer.isEmpty { return "\(name): the issuer name is empty" }
        if position != .leaf, certificate.subject.isEmpty { return "a CA certificate has an empty subject" }
        return position == .leaf ? nil : keyProblem(certificate, allowed: [.p256, .p384, .rsa]).map { "\(name): \($0)" }
    }

    static let policyConstraintsOID: ASN1ObjectIdentifier = [2, 5, 29, 36]

    /// The serial's INTEGER content octets as encoded (swift-certificates normalises them, which
    /// hides a negative or over-long serial).
    static func encodedSerial(_ certificate: Certificate) -> ArraySlice<UInt8>? {
        guard let tbs = try? DER.parse(certificate.tbsCertificateBytes), case .constructed(let fields) = tbs.content else { return nil }
        for field in fields where field.identifier == .integer {
            if case .primitive(let bytes) = field.content { return bytes }
        }
        return nil
    }

    /// RFC 5280 §4.1.2.5.2: GeneralizedTime validity values carry no fractional seconds.
    static func hasFractionalValidity(_ certificate: Certificate) -> Bool {
        guard let tbs = try? DER.parse(certificate.tbsCertificateBytes), case .constructed(let fields) = tbs.content else { return true }
        let sequences = fields.filter { $0.identifier == .sequence }
        // AlgorithmIdentifier, issuer, validity, subject, … — validity is the third SEQUENCE.
        guard sequences.count >= 3, case .constructed(let times) = sequences[2].content else { return true }
        return times.contains { node in
            guard node.identifier == GeneralizedTime.defaultIdentifier, case .primitive(let bytes) = node.content else { return false }
            return bytes.count != 15
        }
    }

    static func keyProblem(_ certificate: Certificate, allowed: Set<PathValidationProfile.KeyType>) -> String? {
        let key = certificate.publicKey
        if P256.Signing.PublicKey(key) != nil { return allowed.contains(.p256) ? nil : "P-256 keys are not allowed here" }
        if P384.Signing.PublicKey(key) != nil { return allowed.contains(.p384) ? nil : "P-384 keys are not allowed here" }
        if let rsa = _RSA.Signing.PublicKey(key) {
            guard allowed.contains(.rsa) else { return "RSA keys are not allowed here" }
            return rsa.keySizeInBits >= 2048 && rsa.keySizeInBits % 8 == 0 ? nil : "RSA keys must have at least 2048 bits"
        }
        return "unsupported public key type"
    }

    // MARK: The leaf

    func leafProblem(_ leaf: Certificate) -> String? {
        let name = "\(leaf.subject)"
        if let problem = Self.keyProblem(leaf, allowed: profile.leafKeyTypes) { return "\(name): \(problem)" }
        do {
            if case .some(.isCertificateAuthority) = try leaf.extensions.basicConstraints {
                return "\(name): a CA certificate cannot be used as a leaf"
            }
            if leaf.extensions[oid: .X509ExtensionID.nameConstraints] != nil { return "\(name): name constraints are not allowed in a leaf" }
            let keyUsage = try leaf.extensions.keyUsage
            if keyUsage?.keyCertSign == true { return "\(name): a leaf must not have keyCertSign" }
            if let required = profile.requiredKeyUsage {
                guard let keyUsage, keyUsage.isSuperset(of: required) else { return "\(name): key usage must include \(required)" }
            }
            if let required = profile.requiredUsage {
                guard let eku = try leaf.extensions.extendedKeyUsage, !eku.isEmpty else { return "\(name): extended key usage is missing" }
                if leaf.extensions[oid: .X509ExtensionID.extendedKeyUsage]?.critical == true { return "\(name): extended key usage must not be critical" }
                guard eku.contains(required) else { return "\(name): extended key usage does not allow \(required)" }
                if eku.contains(.any) { return "\(name): anyExtendedKeyUsage is not accepted in a leaf" }
            } else if let eku = try leaf.extensions.extendedKeyUsage, eku.isEmpty {
                return "\(name): extended key usage is empty"
            }
            guard let sanExtension = leaf.extensions[oid: .X509ExtensionID.subjectAlternativeName],
                  let names = try leaf.extensions.subjectAlternativeNames, !names.isEmpty else {
                return "\(name): the subject alternative name is missing"
            }
            if leaf.subject.isEmpty != sanExtension.critical {
                return "\(name): subjectAltName must be critical exactly when the subject is empty"
            }
            guard names.count <= Self.maxNames else { return "\(name): more than \(Self.maxNames) subject alternative names" }
            var texts: Set<String> = []
            for entry in names {
                switch entry {
                case .dnsName(let dns):
                    guard Self.isHostname(dns) else { return "\(name): '\(dns)' is not an acceptable DNS name" }
                    texts.insert(dns)
                case .ipAddress(let bytes):
                    if let text = Self.ipText(Array(bytes.bytes)) { texts.insert(text) }
                default:
                    break
                }
            }
            // CA/Browser Forum 7.1.4.3: a common name must repeat a SAN value, byte for byte.
            if profile.expectedName != nil {
                for commonName in leaf.subject.flatMap({ $0 }) where commonName.type == .RDNAttributeType.commonName {
                    guard let text = String(commonName.value), texts.contains(text) else {
                        return "\(name): the common name is not one of the subject alternative names"
                    }
                }
            }
        } catch {
            return "\(name): malformed extension: \(error)"
        }
        return nil
    }

    /// More names or name constraints than this are refused before any matching (quadratic blowup).
    static let maxNames = 64

    /// The text form of an IPv4 or IPv6 address (RFC 5952 for IPv6, as inet_ntop writes it).
    static func ipText(_ bytes: [UInt8]) -> String? {
        var buffer = [CChar](repeating: 0, count: 64)
        switch bytes.count {
        case 4:
            return bytes.map(String.init).joined(separator: ".")
        case 16:
            var address = in6_addr()
            withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes) }
            guard inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil else { return nil }
            return String(cString: buffer)
        default:
            return nil
        }
    }

    /// LDH labels only: no wildcard, no underscore, no IP literal, no trailing dot.
    static func isHostname(_ name: String) -> Bool {
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard !labels.isEmpty, name.utf8.count <= 253 else { return false }
        let allDigits = labels.allSatisfy { $0.allSatisfy(\.isNumber) }
        return !allDigits && labels.allSatisfy { label in
            (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                && label.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        }
    }

    // MARK: CA certificates

    func caUsageProblem(_ ca: Certificate) -> String? {
        let name = "\(ca.subject)"
        do {
            guard let constraints = ca.extensions[oid: .X509ExtensionID.basicConstraints], constraints.critical,
                  case .some(.isCertificateAuthority) = try ca.extensions.basicConstraints else {
                return "\(name): an issuing certificate needs critical basicConstraints with cA"
            }
            if let keyUsage = try ca.extensions.keyUsage, !keyUsage.keyCertSign { return "\(name): an issuing certificate needs keyCertSign" }
            if ca.issuer == ca.subject, ca.extensions[oid: .X509ExtensionID.extendedKeyUsage] != nil {
                return "\(name): a root certificate must not carry extended key usage"
            }
            if let required = profile.requiredUsage, let eku = try ca.extensions.extendedKeyUsage, !eku.contains(required) {
                return "\(name): the CA's extended key usage does not allow \(required)"
            }
            if let constraints = ca.extensions[oid: .X509ExtensionID.nameConstraints] {
                guard constraints.critical else { return "\(name): name constraints must be critical" }
                let parsed = try NameConstraints(constraints)
                let subtrees = parsed.permittedSubtrees + parsed.excludedSubtrees
                if subtrees.isEmpty { return "\(name): name constraints without any subtree" }
                if subtrees.count > Self.maxNames { return "\(name): more than \(Self.maxNames) name constraints" }
                for case .dnsName(let dns) in subtrees where !dns.isEmpty && !Self.isHostname(dns) {
                    return "\(name): '\(dns)' is not an acceptable DNS name constraint"
                }
            }
        } catch {
            return "\(name): malformed extension: \(error)"
        }
        return nil
    }

    // MARK: Revocation

    func revocationProblem(_ chain: [Certificate]) -> String? {
        for index in 0..<(chain.count - 1) {
            let subject = chain[index]
            let issuer = chain[index + 1]
            let lists = profile.revocationLists.filter { $0.issuer == issuer.subject && $0.isSigned(by: issuer) }
            if lists.isEmpty {
                if profile.requireRevocationInformation { return "no revocation list from \(issuer.subject)" }
                continue
            }
            if let keyUsage = try? issuer.extensions.keyUsage, !keyUsage.cRLSign {
                return "\(issuer.subject) signed a revocation list without the cRLSign key usage"
            }
            for list in lists {
                if list.thisUpdate > profile.validationTime { return "the revocation list of \(issuer.subject) is not yet valid" }
                if profile.requireRevocationInformation, (list.nextUpdate ?? .distantPast) < profile.validationTime {
                    return "the revocation list of \(issuer.subject) expired at \(list.nextUpdate.map { "\($0)" } ?? "-")"
                }
                if list.isRevoked(subject.serialNumber) { return "\(subject.subject) has been revoked" }
            }
        }
        return nil
    }
}

extension KeyUsage {
    func isSuperset(of other: KeyUsage) -> Bool {
        (!other.digitalSignature || digitalSignature) && (!other.nonRepudiation || nonRepudiation)
            && (!other.keyEncipherment || keyEncipherment) && (!other.keyAgreement || keyAgreement)
            && (!other.keyCertSign || keyCertSign) && (!other.cRLSign || cRLSign)
    }
}
