public import Exchange
public import Foundation
import SwiftASN1
public import X509

/// The federation configuration as the hub publishes it: a compact JWS (ES256, `typ`
/// `accord-federation-configuration+jws`) over the configuration's JSON, plus the hub's signer
/// certificate. A node accepts it only if the certificate verifies under `FederationTrust` as a
/// signer of the configuration's own hub, the JWS verifies with that certificate, the
/// configuration has no problems and its serial is not lower than the one the node holds.
public struct SignedConfiguration: Sendable, Codable, Equatable {
    public static let type = "accord-federation-configuration+jws"

    public let jws: String
    public let signerCertificatePEM: String

    public static func sign(_ configuration: FederationConfiguration, with signer: any MessageSigner) throws -> SignedConfiguration {
        let problems = configuration.problems()
        guard problems.isEmpty else { throw FederationError.configurationInvalid(problems.joined(separator: "; ")) }
        guard signer.participant == configuration.hub else { throw FederationError.configurationInvalid("only the hub \(configuration.hub) signs the configuration") }
        let jws = try JWS.sign(payload: Array(try encoder.encode(configuration)), with: signer, type: type)
        let certificate = try Certificate(derEncoded: signer.certificateDER)
        return SignedConfiguration(jws: jws, signerCertificatePEM: try certificate.serializeAsPEM().pemString)
    }

    public func verify(trust: FederationTrust, at time: Date, notBelow serial: Int = 0) async throws -> FederationConfiguration {
        let certificate: Certificate
        do { certificate = try Certificate(pemEncoded: signerCertificatePEM) } catch {
            throw FederationError.configurationInvalid("the signer certificate does not parse")
        }
        let identity = try await trust.verify(chain: [certificate], roles: [.signer], purpose: CertificateRole.documentSigning, at: time)
        let signer = try TrustedSigner(participant: identity.participant, certificate: certificate)
        let verified = try JWS.verify(jws, trust: InMemoryTrustStore([signer]))
        guard verified.type == Self.type else { throw FederationError.configurationInvalid("the JWS type is not \(Self.type)") }
        let configuration: FederationConfiguration
        do { configuration = try Self.decoder.decode(FederationConfiguration.self, from: Data(verified.payload)) } catch {
            throw FederationError.configurationInvalid("\(error)")
        }
        guard configuration.hub == identity.participant else {
            throw FederationError.configurationInvalid("signed by \(identity.participant), but the configuration's hub is \(configuration.hub)")
        }
        let problems = configuration.problems()
        guard problems.isEmpty else { throw FederationError.configurationInvalid(problems.joined(separator: "; ")) }
        guard configuration.serial >= serial else {
            throw FederationError.configurationInvalid("serial \(configuration.serial) is older than the held \(serial) (a replay?)")
        }
        return configuration
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = Timestamp.encodingStrategy
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = Timestamp.decodingStrategy
        return decoder
    }()
}
