import AccordCore
import AccordServer
import AccordTesting
import Casework
import Foundation
import Storage
import Testing

@Suite struct ConfigurationTests {
    @Test func defaultsMakeAWorkingEmbeddedNode() async throws {
        let configuration = try await NodeConfiguration.load(flags: [:], environment: [:])
        #expect(configuration == NodeConfiguration())
        #expect(try configuration.databaseLocation() == .sqlite(path: "./data/accord.sqlite"))
    }

    @Test func flagsBeatEnvironmentBeatsFileBeatsDefaults() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("accord-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
            http:
              host: 0.0.0.0
              port: 9000
            data:
              dir: /srv/accord
            node:
              name: Ministry node
            documents:
              max-bytes: 1048576
              media-types: [application/pdf, image/png]
            """.write(to: file, atomically: true, encoding: .utf8)
        let fromFile = try await NodeConfiguration.load(flags: [:], environment: [:], configFile: file.path)
        #expect(fromFile.host == "0.0.0.0" && fromFile.port == 9000 && fromFile.dataDirectory == "/srv/accord")
        #expect(fromFile.nodeName == "Ministry node")
        #expect(fromFile.documents == DocumentPolicy(maximumBytes: 1_048_576, allowedMediaTypes: ["application/pdf", "image/png"]))

        let environment = ["ACCORD_HTTP_PORT": "9100", "ACCORD_DATABASE_URL": "postgres://a:b@db:5432/accord", "ACCORD_CONFIG": file.path]
        let fromEnvironment = try await NodeConfiguration.load(flags: [:], environment: environment)
        #expect(fromEnvironment.port == 9100 && fromEnvironment.host == "0.0.0.0")
        #expect(try fromEnvironment.databaseLocation().isPostgres)

        let fromFlags = try await NodeConfiguration.load(flags: ["http.port": "9200", "data.dir": "/tmp/x"], environment: environment)
        #expect(fromFlags.port == 9200 && fromFlags.dataDirectory == "/tmp/x")
    }

    @Test func badValuesAreErrorsNotSilentDefaults() async throws {
        await #expect(throws: ServerError(code: "config.invalid_value", reason: "")) {
            try await NodeConfiguration.load(flags: ["http.port": "eighty"], environment: [:])
        }
        await #expect(throws: ServerError(code: "config.invalid_value", reason: "")) {
            try await NodeConfiguration.load(flags: [:], environment: ["ACCORD_HTTP_PORT": "70000"])
        }
        await #expect(throws: ServerError(code: "config.invalid_value", reason: "")) {
            try await NodeConfiguration.load(flags: ["log.level": "loud"], environment: [:])
        }
        await #expect(throws: StorageError.invalidDatabaseURL("", "")) {
            try await NodeConfiguration.load(flags: ["database.url": "mysql://x/y"], environment: [:])
        }
        await #expect(throws: ServerError(code: "config.file_not_found", reason: "")) {
            try await NodeConfiguration.load(flags: [:], environment: [:], configFile: "/nonexistent/accord.yaml")
        }
    }
}

@Suite struct SampleCaseSeederTests {
    @Test(arguments: TestDatabase.all)
    func seedsRealisticVariedCasesInThePast(_ database: TestDatabase) async throws {
        try await database.withStore { store, directory in
            let end = Fixtures.referenceDate
            let clock = ManualWallClock(end)
            let configuration = NodeConfiguration(dataDirectory: directory.path)
            let service = try AccordNode.makeService(store: store, cipher: try await TestDatabase.cipher(for: store), configuration: configuration, clock: clock)
            try await SampleCaseSeeder(service: service, clock: clock).seed(cases: 60, from: end.addingTimeInterval(-200 * 86_400), to: end)
            let page = try await service.listCases(CaseFilter(limit: 500), by: .system)
            #expect(page.total == 60)
            #expect(Set(page.cases.map(\.type)).count >= 5)
            #expect(Set(page.cases.map(\.state)).count >= 8)
            #expect(page.cases.contains { !$0.isOpen } && page.cases.contains { $0.isOpen })
            #expect(page.cases.allSatisfy { $0.updatedAt <= end })
            let persons = try await service.persons(page.cases.compactMap(\.principal), by: .system)
            let scripts = Set(persons.values.flatMap { $0.details.nativeNames.map(\.script) })
            #expect(scripts.count >= 3)
            #expect(Set(persons.values.compactMap { $0.details.nationality }).count >= 6)
            for record in page.cases.prefix(10) {
                let history = try await service.history(record.number, by: .system)
                #expect(history.map(\.sequence) == Array(1...history.count))
                let initial = try service.workflow(of: record).initial
                #expect(history.filter { $0.action == .statusChanged }.count >= (record.state == initial ? 0 : 1))
            }
        }
    }

    /// Every shipped workflow, walked from its first state to a final one by officers (a
    /// decision proposed by one, approved by another where four eyes apply): each case ends
    /// closed, every step is in the history, the approved decision's signature verifies.
    @Test(arguments: TestDatabase.all)
    func everyShippedWorkflowRunsToTheEnd(_ database: TestDatabase) async throws {
        try await database.withService { service, clock, _ in
            let walker = WorkflowWalker(service: service, officer: .user(UserID("a.martin")!), supervisor: .user(UserID(Fixtures.supervisor)!))
            for type in CaseType.allCases where type != .readmission {
                let person = try await service.registerPerson(Fixtures.person(), by: .system)
                let opened = try await service.openCase(Fixtures.caseInput(principal: person, type: type), by: .system)
                let workflow = try service.workflow(of: opened)
                var states = [opened.state]
                for _ in 0..<40 {
                    clock.advance(by: 3_600)
                    guard try await walker.step(opened.number) else { break }
                    states.append(try await service.caseRecord(opened.number, by: .system).state)
                }
                let closed = try await service.caseRecord(opened.number, by: .system)
                #expect(!closed.isOpen, "\(type): stuck in \(closed.state) after \(states)")
                #expect(workflow.state(closed.state)?.final == true)
                let moves = try await service.history(opened.number, by: .system).filter { $0.action == .statusChanged }
                #expect(moves.count == states.count - 1, "\(type): \(states)")
                let decisions = try await service.decisions(opened.number, by: .system)
                if workflow.decision != nil {
                    #expect(decisions.last?.state == .approved, "\(type)")
                    #expect(decisions.last.map(service.verify) == true)
                    if workflow.decision?.fourEyes == true { #expect(decisions.last?.approvedBy != decisions.last?.proposedBy) }
                }
            }
        }
    }
}

@Suite struct NodeKeysTests {
    @Test func theAuditKeyIsCreatedOnceWithOwnerOnlyPermissions() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try NodeKeys.loadOrCreate(in: directory)
        let second = try NodeKeys.loadOrCreate(in: directory)
        #expect(first.auditLogKey.rawRepresentation == second.auditLogKey.rawRepresentation)
        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/keys/audit-log-key.pem")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        try "garbage".write(toFile: directory + "/keys/audit-log-key.pem", atomically: true, encoding: .utf8)
        #expect(throws: ServerError(code: "config.key_unreadable", reason: "")) { try NodeKeys.loadOrCreate(in: directory) }
    }
}
