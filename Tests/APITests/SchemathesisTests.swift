import AccordServer
import AccordTesting
import Casework
import Foundation
import Hummingbird
import HummingbirdTesting
import Identity
import Storage
import Testing

/// schemathesis (PyPI) with all its checks against Docs/openapi.yaml and a live node: the API
/// description and the server agree — no server error, no undocumented status, no schema-valid
/// request refused (422 excepted, see schemathesis.toml), no schema-violating request accepted,
/// no wrong answer to an undeclared method.
@Suite(.enabled(if: ExternalTool.available("schemathesis"), "needs schemathesis (scripts/test.sh installs it)"))
struct SchemathesisTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: TestDatabase.all)
    func theAPIDescriptionAndTheServerAgree(_ database: TestDatabase) async throws {
        try await database.withNode { node in
            let person = try await node.service.registerPerson(Fixtures.person(), by: .system)
            _ = try await node.service.openCase(Fixtures.caseInput(principal: person), by: .system)
            let auth = try node.authentication()
            let id = UserID("schemathesis")!
            _ = try await auth.users.insert(UserAccount(id: id, displayName: "schemathesis", grants: [RoleGrant(role: "tester")], passwordHash: "-", createdAt: Date()))
            let token = try await auth.issueToken(for: id, scopes: nil, validity: 3_600, tokens: SQLTokenRepository(store: node.store), by: .tool("test"))
            let application = Application(router: try await node.makeRouter())
            try await application.test(.live) { client in
                let port = try #require(client.port)
                let run = try await ExternalTool.runDetached("schemathesis", [
                    "run", "Docs/openapi.yaml", "--url", "http://127.0.0.1:\(port)", "--checks", "all",
                    "-H", "Authorization: Bearer \(token)", "--max-examples", "25", "--seed", "20261201", "--no-color",
                ], in: Self.repository)
                // The whole report is kept for reading: .build/test-artifacts/schemathesis-<database>.txt
                let artifacts = Self.repository.appendingPathComponent(".build/test-artifacts")
                try? FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
                try? (run.output + run.errors).write(to: artifacts.appendingPathComponent("schemathesis-\(database.rawValue).txt"), atomically: true, encoding: .utf8)
                #expect(run.status == 0, "schemathesis found problems (whole report in .build/test-artifacts):\n\(run.output.suffix(6000))\n\(run.errors.suffix(1000))")
                #expect(run.output.contains("Configuration:") && run.output.contains("schemathesis.toml"), "the repository's schemathesis.toml was not used")
            }
        }
    }
}
