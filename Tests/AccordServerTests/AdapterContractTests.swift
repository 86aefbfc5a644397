import AccordServer
import AccordTesting
import AdapterKit
import BorderAdapter
import CivilRegistryAdapter
import Foundation
import NationalIDAdapter
import PoliceAdapter
import Testing

/// Each adapter against its simulator running as a separate `accord simulate` process, with the
/// authentication of the manifest the demo writes: every answer the real system can give.
@Suite struct AdapterContractTests {
    static let youssef = AdapterSubject(
        givenNames: "Youssef", familyName: "El Amrani", nativeName: "يوسف العمراني", dateOfBirth: "1987-04-12", placeOfBirth: "Tangier", sex: "M", nationality: "MAR",
        documents: [.init(kind: "passport", number: "VX4412873", issuingCountry: "MAR"), .init(kind: "national_id_card", number: "K0459821", issuingCountry: "MAR")])

    @Test func theNationalIDRegisterAuthenticatesLikeMOSIP() async throws {
        let simulator = try await SimulatedAgency.start("national-id")
        defer { simulator.stop() }
        let adapter = try NationalIDAdapter(client: try simulator.client())
        let confirmed = await adapter.authenticate(Self.youssef, consentObtained: true, context: officer)
        #expect(confirmed.outcome == .confirmed, "\(confirmed)")
        #expect(confirmed.detail.contains("UIN K0459821"))
        // In Arabic only: the register knows the native name too.
        var arabic = Self.youssef
        arabic.givenNames = nil
        arabic.familyName = nil
        #expect(await adapter.authenticate(arabic, consentObtained: true, context: officer).outcome == .confirmed)

        var older = Self.youssef
        older.dateOfBirth = "1986-04-12"
        let mismatch = await adapter.authenticate(older, consentObtained: true, context: officer)
        #expect(mismatch.outcome == .conflicting && mismatch.detail.contains("IDA-DEA-001") && mismatch.detail.contains("dob"))

        let unknown = AdapterSubject(nationalID: "Z9999999", familyName: "Nobody", dateOfBirth: "1990-01-01")
        let notFound = await adapter.authenticate(unknown, consentObtained: true, context: officer)
        #expect(notFound.outcome == .notFound && notFound.detail.contains("IDA-MLC-018"))

        let karim = AdapterSubject(givenNames: "Karim", familyName: "Tazi", dateOfBirth: "2001-07-30", sex: "M", documents: [.init(kind: "national_id_card", number: "S3077551", issuingCountry: "MAR")])
        let deactivated = await adapter.authenticate(karim, consentObtained: true, context: officer)
        #expect(deactivated.outcome == .conflicting && deactivated.detail.contains("IDA-MLC-022"))

        let noConsent = await adapter.authenticate(Self.youssef, consentObtained: false, context: officer)
        #expect(noConsent.outcome == .notVerified && noConsent.problem == "IDA-MLC-012")

        // A passport alone is not an identity number: nothing is sent, "not verified" says why.
        let passportOnly = AdapterSubject(familyName: "Ouazzani", dateOfBirth: "1979-02-01", documents: [.init(kind: "passport", number: "TZ0201179", issuingCountry: "MAR")])
        let nothing = await adapter.authenticate(passportOnly, consentObtained: true, context: officer)
        #expect(nothing.outcome == .notVerified && nothing.problem == "adapter.nothing_to_check")

        let identity = try await adapter.identity(Self.youssef, consentObtained: true, context: officer).get()
        #expect(identity.fullName.map(\.value).contains("يوسف العمراني") && identity.dateOfBirth == "1987/04/12")

        // Every call in the audit record: who, case, purpose, the fields sent, the outcome.
        let calls = await simulator.audit.calls
        #expect(calls.count == 7)
        #expect(calls.allSatisfy { $0.context == officer && $0.system == "mar-national-id" })
        #expect(calls[0].fieldsSent == [.dateOfBirth, .documents, .familyName, .givenNames, .nativeName, .sex].sorted())
        #expect(calls[0].summary.contains("case case-1") && !calls[0].summary.contains("El Amrani") && !calls[0].summary.contains("K0459821"))
    }

    @Test func theCivilRegistrySearchesLikeOpenCRVS() async throws {
        let simulator = try await SimulatedAgency.start("civil-registry")
        defer { simulator.stop() }
        let adapter = try CivilRegistryAdapter(client: try simulator.client())
        let confirmed = await adapter.verify(Self.youssef, context: officer)
        #expect(confirmed.outcome == .confirmed && confirmed.reference == "MAR-CIV-1987-004512", "\(confirmed)")

        var elsewhere = Self.youssef
        elsewhere.placeOfBirth = "Rabat"
        let conflicting = await adapter.verify(elsewhere, context: officer)
        #expect(conflicting.outcome == .conflicting && conflicting.detail.contains("Tangier"))

        let byNumber = await adapter.verify(AdapterSubject(familyName: "Benali", documents: [.init(kind: "birth_certificate", number: "MAR-CIV-1992-118034")]), context: officer)
        #expect(byNumber.outcome == .confirmed)

        // Two registered Omar Alaoui born the same day: the registry cannot tell them apart.
        let omar = AdapterSubject(givenNames: "Omar", familyName: "Alaoui", dateOfBirth: "1990-05-10")
        #expect(await adapter.verify(omar, context: officer).outcome == .conflicting)
        // Page by page: one record a page, two pages.
        let paged = try CivilRegistryAdapter(client: try simulator.client { $0.settings["pageSize"] = "1" })
        let first = try await paged.search(omar, page: 1, context: officer).get()
        let second = try await paged.search(omar, page: 2, context: officer).get()
        #expect(first.total == 2 && first.records.count == 1 && second.records.count == 1 && first.records[0] != second.records[0])

        // Unregistered births are never returned; a deceased person's record says so.
        #expect(await adapter.verify(AdapterSubject(familyName: "Fassi", dateOfBirth: "2003-03-03"), context: officer).outcome == .notFound)
        let deceased = await adapter.verify(AdapterSubject(familyName: "Idrissi", dateOfBirth: "1984-09-21"), context: officer)
        #expect(deceased.outcome == .conflicting && deceased.detail.contains("deceased"))
        // The Arabic family name finds the same record.
        #expect(await adapter.verify(AdapterSubject(familyName: "العمراني", dateOfBirth: "1987-04-12"), context: officer).outcome == .confirmed)
    }

    @Test func theCivilRegistryQuotaAndAWrongSecret() async throws {
        let simulator = try await SimulatedAgency.start("civil-registry", extra: ["--quota", "2"])
        defer { simulator.stop() }
        let adapter = try CivilRegistryAdapter(client: try simulator.client { $0.cacheFor = .zero })
        #expect(await adapter.verify(Self.youssef, context: officer).outcome == .confirmed)
        #expect(await adapter.verify(Self.youssef, context: officer).outcome == .confirmed)
        let refused = await adapter.verify(Self.youssef, context: officer)
        #expect(refused.outcome == .notVerified && refused.problem == "adapter.quota_exceeded" && refused.detail.contains("mar-civil-registry"))

        let secret = try ExternalTool.temporaryDirectory().appendingPathComponent("wrong")
        try Data("not-the-secret".utf8).write(to: secret)
        let wrong = try CivilRegistryAdapter(client: try simulator.client { manifest in
            if case .oauth2(let url, let id, _, let scope) = manifest.authentication { manifest.authentication = .oauth2(tokenURL: url, clientID: id, secret: .file(secret.path), scope: scope) }
        })
        let unauthorized = await wrong.verify(Self.youssef, context: officer)
        #expect(unauthorized.outcome == .notVerified && unauthorized.problem == "adapter.unauthorized")
        #expect(unauthorized.detail.contains("mar-civil-registry") && unauthorized.detail.contains("manifest"))
    }

    @Test func theBorderSystemOverMutualTLS() async throws {
        let simulator = try await SimulatedAgency.start("border")
        defer { simulator.stop() }
        let adapter = try BorderAdapter(client: try simulator.client())
        let amina = try await adapter.crossings(document: .init(kind: "passport", number: "UK9902117", issuingCountry: "MAR"), context: officer).get()
        #expect(amina.map(\.direction) == ["entry", "exit"] && amina[1].crossingPoint.name == "Brussels South Charleroi Airport")
        let byPerson = try await adapter.crossings(person: AdapterSubject(givenNames: "Amina", familyName: "Berrada", dateOfBirth: "1999-01-17"), context: officer).get()
        #expect(byPerson.count == 2)
        let history = await adapter.history(AdapterSubject(familyName: "Berrada", dateOfBirth: "1999-01-17", documents: [.init(kind: "passport", number: "UK9902117", issuingCountry: "MAR")]),
                                            context: officer)
        #expect(history.outcome == .recordsFound && history.detail.hasPrefix("2 crossing(s); latest: exit 2026-03-02"))
        let exits = try await adapter.exits(after: nil, context: officer).get()
        #expect(exits.crossings.map(\.id) == ["BE-EES-0000003"] && exits.next == "BE-EES-0000003")
        #expect(try await adapter.exits(after: exits.next, context: officer).get().crossings.isEmpty)

        // A client certificate from another CA: the handshake fails, the error names the adapter.
        let stranger = try ExternalTool.temporaryDirectory()
        try SimulatedAgencies.issueTLSForTests(into: stranger)
        let refused = try BorderAdapter(client: try simulator.client { manifest in
            if case .mutualTLS(_, _, let roots) = manifest.authentication {
                manifest.authentication = .mutualTLS(certificateFile: stranger.appendingPathComponent("client.pem").path, keyFile: stranger.appendingPathComponent("client.key").path,
                                                     trustRootsFile: roots)
            }
            manifest.retries.attempts = 1
        })
        let failure = await refused.history(AdapterSubject(documents: [.init(kind: "passport", number: "UK9902117")]), context: officer)
        #expect(failure.outcome == .notVerified && failure.problem == "adapter.unavailable" && failure.detail.contains("bel-border"), "\(failure)")
    }

    @Test func thePoliceAnswerHitOrNoHit() async throws {
        let simulator = try await SimulatedAgency.start("police")
        defer { simulator.stop() }
        let adapter = try PoliceAdapter(client: try simulator.client())
        let checks = await adapter.documents(AdapterSubject(documents: [.init(kind: "passport", number: "EP7731245", issuingCountry: "SYR"),
                                                                        .init(kind: "passport", number: "VX4412873", issuingCountry: "MAR")]), context: officer)
        #expect(checks.map(\.outcome) == [.hit, .noHit])
        #expect(checks[0].detail.contains("stolen") && checks[0].detail.contains("TUR") && checks[0].reference == "SLTD-2026-TR-7731245")
        let watch = await adapter.watchlist(AdapterSubject(givenNames: "Ahmad", familyName: "Karimi", dateOfBirth: "1996-02-28"), context: officer)
        #expect(watch.outcome == .hit && watch.reference == "BE-FP-2026-00417" && watch.detail.contains("BEL"))
        #expect(await adapter.watchlist(Self.youssef, context: officer).outcome == .noHit)

        let key = try ExternalTool.temporaryDirectory().appendingPathComponent("key")
        try Data("wrong".utf8).write(to: key)
        let wrong = try PoliceAdapter(client: try simulator.client { $0.authentication = .apiKey(header: "X-API-Key", key: .file(key.path)) })
        let refused = await wrong.documents(Self.youssef, context: officer)
        #expect(refused.allSatisfy { $0.outcome == .notVerified && $0.problem == "adapter.unauthorized" && $0.detail.contains("bel-police") })
    }
}
