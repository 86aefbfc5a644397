import Federation
import Foundation
import Testing
import X509

/// The x509-limbo corpus (C2SP, 208 cases) through Accord's path validator. The harness applies
/// Accord's strict profile to every case: a case the corpus expects to fail must fail. Accord may
/// refuse some cases the corpus accepts (it is stricter than RFC 5280: no CA as leaf, EKU
/// required, no wildcards); those are listed, not failed.
@Suite struct LimboTests {
    struct Corpus: Decodable {
        let testcases: [Case]
    }

    struct Case: Decodable {
        struct PeerName: Decodable {
            let kind: String
            let value: String
        }

        let id: String
        let validation_kind: String
        let trusted_certs: [String]
        let untrusted_intermediates: [String]
        let peer_certificate: String
        let validation_time: String?
        let key_usage: [String]?
        let expected_result: String
        let expected_peer_name: PeerName?
        let max_chain_depth: Int?
        let crls: [String]?
    }

    static var corpusURL: URL {
        // Shipped with the tests (a copy of the public vectors; see Vectors/README.md).
        Bundle.module.url(forResource: "x509-limbo-208", withExtension: "json", subdirectory: "Vectors")!
    }

    static func parseTime(_ text: String) -> Date {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        Issue.record("validation time \(text) does not parse")
        return .distantPast
    }

    static func run(_ testCase: Case) async -> (accepted: Bool, reason: String) {
        guard let leaf = try? Certificate(pemEncoded: testCase.peer_certificate) else { return (false, "leaf does not parse") }
        let anchors = testCase.trusted_certs.compactMap { try? Certificate(pemEncoded: $0) }
        let intermediates = testCase.untrusted_intermediates.compactMap { try? Certificate(pemEncoded: $0) }
        var lists: [RevocationList] = []
        for pem in testCase.crls ?? [] {
            do { lists.append(try RevocationList(pemEncoded: pem)) } catch { return (false, "CRL refused: \(error)") }
        }
        let time = testCase.validation_time.map(parseTime) ?? Date()
        var keyUsage: KeyUsage?
        if testCase.key_usage?.contains("digitalSignature") == true { keyUsage = KeyUsage(digitalSignature: true) }
        let name: PathValidationProfile.ExpectedName? = testCase.expected_peer_name.map { $0.kind == "IP" ? .ip($0.value) : .dns($0.value) }
        let profile = PathValidationProfile(
            requiredUsage: testCase.validation_kind == "CLIENT" ? .clientAuth : .serverAuth, requiredKeyUsage: keyUsage,
            expectedName: name, maxIntermediates: testCase.max_chain_depth ?? 8, revocationLists: lists, validationTime: time
        )
        switch await CertificatePathValidator(anchors: anchors).validate(leaf: leaf, intermediates: intermediates, profile: profile) {
        case .valid: return (true, "")
        case .invalid(let reason): return (false, reason)
        }
    }

    @Test func noCaseThatMustFailIsAccepted() async throws {
        let corpus = try JSONDecoder().decode(Corpus.self, from: Data(contentsOf: Self.corpusURL))
        #expect(corpus.testcases.count == 208)
        var acceptedShouldFail: [String] = []
        var rejectedShouldSucceed: [String] = []
        var agreed = 0
        for testCase in corpus.testcases {
            let started = ContinuousClock.now
            let (accepted, reason) = await Self.run(testCase)
            let elapsed = ContinuousClock.now - started
            if elapsed > .seconds(1) { print("x509-limbo: \(testCase.id) took \(elapsed)") }
            let expected = testCase.expected_result == "SUCCESS"
            if accepted == expected {
                agreed += 1
            } else if accepted {
                acceptedShouldFail.append(testCase.id)
            } else {
                rejectedShouldSucceed.append("\(testCase.id): \(reason.prefix(160))")
            }
        }
        print("x509-limbo: \(agreed) of \(corpus.testcases.count) agree; \(rejectedShouldSucceed.count) stricter than the corpus; \(acceptedShouldFail.count) accepted that must fail")
        for line in rejectedShouldSucceed { print("  stricter: \(line)") }
        #expect(acceptedShouldFail == [], "accepted although the corpus expects failure")
        // Guard against a validator that refuses everything.
        #expect(agreed >= 150)
    }
}
