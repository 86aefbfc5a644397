import AccordTesting
import Foundation
import Testing

/// The readmission console driven in headless Chromium (Tests/Browser/readmission_flow.py):
/// `accord demo` with Belgium's and Morocco's consoles, a case from application to transfer.
/// Screenshots are kept in .build/test-artifacts/browser. Skipped when Chromium, chromedriver
/// or selenium are missing, unless ACCORD_TEST_REQUIRE_BROWSER=1 (scripts/test.sh sets it).
@Suite struct BrowserFlowTests {
    static let repository = AgreementProfileFileTests.repository
    static let required = ProcessInfo.processInfo.environment["ACCORD_TEST_REQUIRE_BROWSER"] == "1"
    static let present = FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver")
        && (try? ExternalTool.run("python3", ["-c", "import selenium"]).status) == 0

    /// Shown as skipped without a browser, unless the browser is required (then it fails).
    @Test(.enabled(if: required || present, "needs chromium, chromedriver and python selenium (scripts/test.sh installs them)"))
    func aReadmissionCaseInBothConsoles() throws {
        try #require(Self.present, "chromium, chromedriver or python selenium is missing (scripts/test.sh installs them)")
        let artifacts = Self.repository.appendingPathComponent(".build/test-artifacts/browser")
        try? FileManager.default.removeItem(at: artifacts)
        let result = try ExternalTool.run("python3", [
            Self.repository.appendingPathComponent("Tests/Browser/readmission_flow.py").path,
            "--accord", AccordProcess.executable.path, "--out", artifacts.path,
        ], in: Self.repository)
        #expect(result.status == 0, "\(result.output)\n\(result.errors.suffix(3000))")
        let screenshots = (try? FileManager.default.contentsOfDirectory(atPath: artifacts.path)) ?? []
        #expect(screenshots.filter { $0.hasSuffix(".png") }.count >= 8, "\(screenshots)")
    }

    /// An asylum case from registration (with the duplicate warning) to a decision proposed by
    /// the case officer, approved by a supervisor and signed by the node; openssl checks the
    /// signature from the API's JSON alone (Tests/Browser/casework_flow.py).
    @Test(.enabled(if: required || present, "needs chromium, chromedriver and python selenium (scripts/test.sh installs them)"))
    func anAsylumCaseFromRegistrationToASignedDecision() throws {
        try #require(Self.present, "chromium, chromedriver or python selenium is missing (scripts/test.sh installs them)")
        let artifacts = Self.repository.appendingPathComponent(".build/test-artifacts/casework")
        try? FileManager.default.removeItem(at: artifacts)
        let result = try ExternalTool.run("python3", [
            Self.repository.appendingPathComponent("Tests/Browser/casework_flow.py").path,
            "--accord", AccordProcess.executable.path, "--out", artifacts.path,
        ], in: Self.repository)
        #expect(result.status == 0, "\(result.output)\n\(result.errors.suffix(3000))")
        #expect(result.output.contains("verified by openssl"))
        let screenshots = (try? FileManager.default.contentsOfDirectory(atPath: artifacts.path)) ?? []
        #expect(screenshots.filter { $0.hasSuffix(".png") }.count >= 6, "\(screenshots)")
    }
}
