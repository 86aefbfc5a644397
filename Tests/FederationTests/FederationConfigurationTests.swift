import Crypto
import AccordTesting
import Exchange
@testable import Federation
import Foundation
import SwiftASN1
import Testing
import X509

@Suite struct FederationConfigurationTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    let hub = ParticipantID("EUE-HUB")!
    let belgium = ParticipantID("BEL-DOFI")!
    let morocco = ParticipantID("MAR-INTERIOR")!
    let authority: FederationAuthority

    init() throws {
        authority = try FederationAuthority.create(name: "Config Test CA", now: Date(timeIntervalSince1970: 1_790_000_000))
    }

    var configuration: FederationConfiguration {
        FederationConfiguration(
            serial: 3, issuedAt: now, hub: hub,
            participants: [
                Participant(id: hub, name: "Accord hub", delivery: .push, endpoint: "hub.test:7443"),
                Participant(id: belgium, name: "Belgium, Immigration Office", delivery: .push, endpoint: "bel.test:7443"),
                Participant(id: morocco, name: "Morocco, Ministry of Interior", delivery: .pull),
            ],
            agreements: [Agreement(id: "EU-MAR-2026", parties: [belgium, morocco], messageTypes: [.readmissionApplication, .decision], withheldPersonFields: ["placeOfBirth"])]
        )
    }

    func signer(_ participant: ParticipantID, role: CertificateRole = .signer) throws -> P256MessageSigner {
        let key = P256.Signing.PrivateKey()
        let certificate = try authority.issue(role: role, participant: participant, publicKey: key.publicKey, now: now)
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return P256MessageSigner(participant: participant, key: key, certificateDER: serializer.serializedBytes)
    }

    var trust: FederationTrust {
        get throws { try FederationTrust(authority: authority.certificate, revocationList: authority.revocationList(number: 1, revoked: [], now: now, validity: 86_400)) }
    }

    @Test func routesOnlyWhatAnAgreementAllows() throws {
        #expect(try configuration.route(from: belgium, to: morocco, type: .readmissionApplication)?.id == "EU-MAR-2026")
        #expect(try configuration.route(from: morocco, to: belgium, type: .decision)?.id == "EU-MAR-2026")
        #expect(throws: FederationError(code: "federation.no_agreement", reason: "")) { try configuration.route(from: belgium, to: morocco, type: .transferNotice) }
        #expect(throws: FederationError(code: "federation.unknown_participant", reason: "")) { try configuration.route(from: ParticipantID("FRA-DGEF")!, to: morocco, type: .decision) }
        #expect(try configuration.route(from: morocco, to: belgium, type: .receipt) == nil)
        var inactive = configuration
        inactive.participants[2].active = false
        #expect(throws: FederationError.self) { try inactive.route(from: belgium, to: morocco, type: .readmissionApplication) }
    }

    @Test func aProtectedPersonIsNeverSentToTheirCountryOfNationality() throws {
        var message = MessageExamples.message(.readmissionApplication)
        let agreement = try configuration.route(from: belgium, to: morocco, type: .readmissionApplication)
        guard case .readmissionApplication(var application) = message.body else { Issue.record("example is not an application"); return }
        application.person.placeOfBirth = nil
        for status in ["asylum_applicant", "refugee", "subsidiary_protection"] {
            application.person.protectionStatus = status
            message.body = .readmissionApplication(application)
            #expect(throws: FederationError(code: "federation.sharing_blocked", reason: "")) { try SharingRules.check(message, agreement: agreement) }
        }
        application.person.protectionStatus = "none"
        message.body = .readmissionApplication(application)
        try SharingRules.check(message, agreement: agreement)
        // A withheld field blocks the message too.
        application.person.placeOfBirth = "Fès"
        message.body = .readmissionApplication(application)
        #expect(throws: FederationError(code: "federation.sharing_blocked", reason: "")) { try SharingRules.check(message, agreement: agreement) }
    }

    @Test func theSignedConfigurationVerifiesOnlyFromTheHubsSigner() async throws {
        let signed = try SignedConfiguration.sign(configuration, with: signer(hub))
        #expect(try await signed.verify(trust: trust, at: now) == configuration)
        // A replayed older configuration is refused.
        await #expect(throws: FederationError.self) { _ = try await signed.verify(trust: trust, at: now, notBelow: 4) }
        // Another participant cannot sign it; the hub's TLS certificate is not a signer.
        #expect(throws: FederationError.self) { _ = try SignedConfiguration.sign(configuration, with: signer(belgium)) }
        var forged = configuration
        forged.hub = belgium
        let byBelgium = try SignedConfiguration.sign(forged, with: signer(belgium))
        let swapped = SignedConfiguration(jws: byBelgium.jws, signerCertificatePEM: signed.signerCertificatePEM)
        let refusal4 = await errorCode { _ = try await swapped.verify(trust: trust, at: now) }
        #expect(refusal4 == "exchange.unknown_signer")
        let tlsSigned = try SignedConfiguration.sign(configuration, with: signer(hub, role: .hub))
        await #expect(throws: FederationError.self) { _ = try await tlsSigned.verify(trust: trust, at: now) }
        // Changing one character of the payload breaks the signature.
        let parts = signed.jws.split(separator: ".").map(String.init)
        var payload = Array(parts[1])
        payload[10] = payload[10] == "A" ? "B" : "A"
        let tampered = SignedConfiguration(jws: parts[0] + "." + String(payload) + "." + parts[2], signerCertificatePEM: signed.signerCertificatePEM)
        let refusal5 = await errorCode { _ = try await tampered.verify(trust: trust, at: now) }
        #expect(refusal5 == "exchange.signature_invalid")
    }

    @Test func problemsAreReported() {
        var broken = configuration
        broken.agreements.append(Agreement(id: "X", parties: [belgium, ParticipantID("FRA-DGEF")!], messageTypes: []))
        broken.participants.append(broken.participants[0])
        let problems = broken.problems()
        #expect(problems.count == 3, "\(problems)")
    }
}
