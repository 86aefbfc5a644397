import AccordCore
import AccordServer
import ArgumentParser
import Casework
import Foundation
import Identity
import Logging
import Storage

/// `accord bench casework`: the officers' everyday reads and a transition against a database
/// holding many cases, each figure beside its target in the same run.
struct CaseworkBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "casework",
        abstract: "Case list, my work, team queue, duplicate search and a transition at scale: p50/p95 against their targets.",
        discussion: """
            Fills a fresh database with --cases cases (persons with identity documents, 20 officers at 6 offices, \
            a task on every fourth case), then measures each operation --samples times as an officer of one \
            office would call it (access policy applied, audit written). SQLite always; PostgreSQL with \
            --postgres-url (a fresh schema bench_casework_<run>, kept: drop it when done). Targets: lists and \
            queues p95 ≤ 50 ms, duplicate search p95 ≤ 150 ms, a transition p95 ≤ 20 ms.
            """
    )

    @Option(help: "Cases to create.")
    var cases = 100_000

    @Option(help: "Measurements per operation.")
    var samples = 200

    @Option(help: "Concurrent writers while seeding.")
    var concurrency = 8

    @Option(help: "PostgreSQL URL (postgres://user:password@host:port/db). Env: ACCORD_BENCH_POSTGRES_URL.")
    var postgresURL: String?

    @Flag(help: "Measure PostgreSQL only.")
    var postgresOnly = false

    static let offices = ["HQ-ASYLUM", "NORTH-1", "SOUTH-2", "AIRPORT", "BORDER-EAST", "APPEALS"]
    static let families = ["Karimi", "Haddad", "Ahmadi", "Nowak", "Petrov", "Okafor", "Mensah", "Hosseini", "Rahimi", "Sultani", "Diallo", "Traoré",
                           "Kovalenko", "Abdullah", "Yilmaz", "Demir", "Popescu", "Ivanova", "Hassan", "Mahmoud"]
    static let givens = ["Ahmad", "Lina", "Omar", "Fatima", "Yusuf", "Noor", "Samir", "Amina", "Ali", "Maryam", "Ivan", "Olena", "Kwame", "Aisha"]

    func run() async throws {
        try await reportingErrors {
            var logger = Logger(label: "accord.bench")
            logger.logLevel = .critical
            var targets: [(String, DatabaseLocation)] = []
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("accord-bench-casework-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            if !postgresOnly { targets.append(("SQLite", .sqlite(path: directory.appendingPathComponent("bench.sqlite").path))) }
            if let url = postgresURL ?? ProcessInfo.processInfo.environment["ACCORD_BENCH_POSTGRES_URL"] {
                let run = UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(8).lowercased()
                targets.append(("PostgreSQL", try DatabaseLocation(url: url + (url.contains("?") ? "&" : "?") + "schema=bench_casework_\(run)")))
            }
            print("accord bench casework — \(cases) cases, \(samples) samples per operation, \(ProcessInfo.processInfo.activeProcessorCount) cores")
            for (name, location) in targets {
                try await bench(name, location, directory: directory.appendingPathComponent(name), logger: logger)
            }
        }
    }

    func bench(_ name: String, _ location: DatabaseLocation, directory: URL, logger: Logger) async throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try await SQLStore.open(location, configuration: StoreConfiguration(), logger: logger)
        defer { Task { await store.shutdown() } }
        try await Migrator(store: store).migrate(logger: logger)
        let cipher = FieldCipher(keys: .generate())
        try await cipher.checkKeys(in: store)
        let service = try AccordNode.makeService(store: store, cipher: cipher, configuration: NodeConfiguration(dataDirectory: directory.path), clock: SystemWallClock())
        let users = SQLUserRepository(store: store, cipher: cipher)
        let officers = (0..<20).map { UserID("officer\($0)")! }
        for (index, officer) in officers.enumerated() {
            let office = Self.offices[index % Self.offices.count]
            try await users.insert(UserAccount(id: officer, displayName: officer.rawValue, grants: [RoleGrant(role: "case_officer", office: office)], passwordHash: "!", createdAt: Date()))
        }
        // Seeding: persons and cases through the service, `concurrency` writers at once.
        let started = ContinuousClock.now
        let total = cases
        let writers = max(1, concurrency)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    var index = writer
                    while index < total {
                        let family = Self.families[index % Self.families.count], given = Self.givens[(index / 7) % Self.givens.count]
                        let person = try await service.registerPerson(PersonInput(
                            name: NameInput(given: given, family: family), dateOfBirth: "19\(60 + index % 40)-0\(1 + index % 9)",
                            sex: index % 2 == 0 ? "M" : "F", nationality: ["AFG", "SYR", "IRQ", "ERI", "UKR"][index % 5],
                            identityDocuments: [IdentityDocumentInput(kind: "passport", number: "P\(100_000_000 + index)", issuingCountry: "AFG")]
                        ), by: .system)
                        let officerIndex = index % officers.count
                        let type: CaseType = index % 3 == 0 ? .visa : .asylum
                        let opened = try await service.openCase(CaseInput(
                            type: type.rawValue, office: Self.offices[officerIndex % Self.offices.count],
                            assignedOfficer: officers[officerIndex].rawValue, title: "Bench case \(index)", principalPersonID: person.id.rawValue
                        ), by: .system)
                        if index % 4 == 0 {
                            // Half to the case's officer, half to the office's case-officer queue.
                            let queue = (index / 4) % 2 == 0
                            _ = try await service.createTask(opened.number, TaskInput(
                                title: "Review the file", assignee: queue ? nil : officers[officerIndex].rawValue, team: queue ? "case_officer" : nil
                            ), by: .system)
                        }
                        index += writers
                        if writer == 0, index % 5_000 < writers { FileHandle.standardError.write(Data("\r\(name): \(index)/\(total) cases".utf8)) }
                    }
                }
            }
            try await group.waitForAll()
        }
        let seeding = ContinuousClock.now - started
        FileHandle.standardError.write(Data("\r".utf8))
        print("\(name): seeded \(total) cases in \(String(format: "%.0f", seconds(seeding))) s (\(String(format: "%.0f", Double(total) / max(seconds(seeding), 0.001))) cases/s)")
        print("operation".padding(toLength: 26, withPad: " ", startingAt: 0) + "p50 ms".leftPad(9) + "p95 ms".leftPad(9) + "target".leftPad(9) + "ratio".leftPad(8))

        let officer = officers[0]
        let office = OfficeCode(Self.offices[0])!
        let caller = Caller(user: officer, role: "case_officer", origin: "bench", grants: [RoleGrant(role: "case_officer", office: office.rawValue)])
        try await row("case list (office, newest)", target: 50) {
            _ = try await service.listCases(CaseFilter(open: true, limit: 25), by: caller)
        }
        try await row("my cases (deadline order)", target: 50) {
            _ = try await service.listCases(CaseFilter(open: true, sort: .deadline, assignedOfficer: officer, limit: 25), by: caller)
        }
        let mine = try await service.myWork(by: caller).count, queued = try await service.teamQueue(office: office, by: caller).count
        try await row("my work (\(mine) tasks)", target: 50) { _ = try await service.myWork(by: caller) }
        try await row("team queue (\(queued) tasks)", target: 50) { _ = try await service.teamQueue(office: office, by: caller) }
        var probe = 0
        try await row("duplicate search (sound-alike, scored)", target: 150) {
            probe += 7_919
            let index = probe % total
            // A registration as a clerk types it: another spelling, the same year and month of birth.
            _ = try await service.likelyDuplicates(PersonInput(
                name: NameInput(given: Self.givens[(index / 7) % Self.givens.count], family: Self.families[index % Self.families.count] + "e"),
                dateOfBirth: "19\(60 + index % 40)-0\(1 + index % 9)", sex: index % 2 == 0 ? "M" : "F",
                identityDocuments: [IdentityDocumentInput(kind: "passport", number: "P\(100_000_000 + index)", issuingCountry: "AFG")]
            ), by: caller)
        }
        // Transitions on visa cases of the officer's office: withdraw (one transaction each).
        let visas = try await service.listCases(CaseFilter(type: .visa, state: "lodged", office: office, limit: samples), by: .system).cases
        var next = 0
        try await row("transition (withdraw)", target: 20, count: min(samples, visas.count)) {
            let record = visas[next]
            next += 1
            _ = try await service.takeTransition(record.number, TransitionInput(transition: "withdraw", expectedVersion: record.version, reason: "Bench"), by: caller)
        }
        print("")
    }

    func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    func row(_ name: String, target: Double, count: Int? = nil, _ body: () async throws -> Void) async throws {
        var times: [Double] = []
        let rounds = count ?? samples
        for _ in 0..<rounds {
            let start = ContinuousClock.now
            try await body()
            times.append(seconds(ContinuousClock.now - start) * 1000)
        }
        times.sort()
        guard !times.isEmpty else { return }
        let p50 = times[times.count / 2], p95 = times[min(times.count - 1, Int(Double(times.count) * 0.95))]
        print(name.padding(toLength: 26, withPad: " ", startingAt: 0) + String(format: "%.1f", p50).leftPad(9) + String(format: "%.1f", p95).leftPad(9)
              + String(format: "%.0f", target).leftPad(9) + String(format: "%.2f", p95 / target).leftPad(8))
    }
}
