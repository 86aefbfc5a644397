public import AccordCore
import AdapterKit
import API
public import Casework
import Console
import Foundation
public import Hummingbird
import Identity
import Prometheus
public import Logging
public import Readmission
public import Storage

/// The composition root of a node: the only place that picks implementations (SQL storage, file
/// blobs, the system clock) and wires them into the API and the console.
public final class AccordNode: Sendable {
    public let configuration: NodeConfiguration
    public let store: SQLStore
    public let cipher: FieldCipher
    public let service: CaseworkService
    public let logger: Logger
    /// The national systems it reaches (`adapters.directory`).
    public let adapters: NodeAdapters
    /// The node's own Prometheus figures (adapters), served on `/metrics`.
    public let metrics: PrometheusCollectorRegistry

    /// Assembles a node from an open, migrated store and its service (tests use this with
    /// their own isolated databases); `open` is the normal way in.
    public init(
        configuration: NodeConfiguration, store: SQLStore, cipher: FieldCipher, service: CaseworkService, adapters: NodeAdapters = .none,
        metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), logger: Logger = Logger(label: "accord.node")
    ) {
        self.configuration = configuration
        self.store = store
        self.cipher = cipher
        self.service = service
        self.adapters = adapters
        self.metrics = metrics
        self.logger = logger
    }

    /// The adapters of the configuration's manifests, auditing into `store`'s trail.
    public static func loadAdapters(_ configuration: NodeConfiguration, store: SQLStore, metrics: PrometheusCollectorRegistry, clock: any WallClock = SystemWallClock()) throws -> NodeAdapters {
        try NodeAdapters.load(configuration.adaptersDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) },
                              audit: AuditTrailAdapterSink(trail: SQLAuditLog(store: store, clock: clock)), metrics: AdapterMetrics(factory: PrometheusMetricsFactory(registry: metrics)))
    }

    /// Opens the database, brings its schema up to date and builds the services.
    /// `existing`: for read-only commands — refuse (`storage.not_found`) unless the database
    /// and its master keys are already there, and create nothing.
    public static func open(
        _ configuration: NodeConfiguration, clock: any WallClock = SystemWallClock(),
        ids: any IdentifierGenerator = RandomIdentifierGenerator(), logger: Logger? = nil, existing: Bool = false
    ) async throws -> AccordNode {
        var logger = logger ?? Logger(label: "accord.node")
        logger.logLevel = configuration.logLevel
        let location = try configuration.databaseLocation()
        if existing { try requireDatabase(at: location) }
        let store = try await SQLStore.open(location, configuration: configuration.store, logger: logger)
        do {
            if existing, try await Migrator(store: store).applied().isEmpty { throw StorageError.notFound(location.description) }
            let applied = try await Migrator(store: store).migrate(logger: logger)
            if !applied.isEmpty { logger.info("database schema updated", metadata: ["migrations": "\(applied)"]) }
            let cipher = try await openCipher(configuration, store: store, create: !existing)
            // A command that may write initialises the installation's own keys with its database,
            // so that `audit verify` works after the first `users add`, before any `node serve`.
            if !existing {
                _ = try NodeKeys.loadOrCreate(in: configuration.dataDirectory)
                // Persons registered before the sound-alike and year-of-birth keys get them now.
                let rewritten = try await SQLPersonRepository(store: store, cipher: cipher).backfillSearchKeys()
                if rewritten > 0 { logger.info("search keys rewritten", metadata: ["persons": "\(rewritten)"]) }
            }
            let metrics = PrometheusCollectorRegistry()
            let adapters = try loadAdapters(configuration, store: store, metrics: metrics, clock: clock)
            return AccordNode(configuration: configuration, store: store, cipher: cipher,
                              service: try makeService(store: store, cipher: cipher, configuration: configuration, clock: clock, ids: ids, adapters: adapters),
                              adapters: adapters, metrics: metrics, logger: logger)
        } catch {
            await store.shutdown()
            throw error
        }
    }

    /// The master keys: `ACCORD_MASTER_KEYS` (the key file's JSON) or the key file, created only
    /// for a database that has never been encrypted; then checked against the database.
    /// A SQLite database must be an existing file; a PostgreSQL one is checked for applied migrations once open.
    public static func requireDatabase(at location: DatabaseLocation) throws {
        if case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) { throw StorageError.notFound(path) }
    }

    static func openCipher(_ configuration: NodeConfiguration, store: SQLStore, create: Bool = true) async throws -> FieldCipher {
        let file = configuration.masterKeyFile
        let keys: MasterKeys
        if let inline = ProcessInfo.processInfo.environment["ACCORD_MASTER_KEYS"], !inline.isEmpty {
            keys = try MasterKeys.decode(Data(inline.utf8))
        } else {
            let checks = try await store.database.raw("SELECT COUNT(*) AS n FROM master_key_checks").first()?.decode(column: "n", as: Int.self) ?? 0
            keys = try MasterKeys.load(file: file, create: create && checks == 0)
        }
        let cipher = FieldCipher(keys: keys, keyFile: file)
        try await cipher.checkKeys(in: store)
        return cipher
    }

    /// The case service over `store`; also used by the demo to seed with its own clock.
    public static func makeService(
        store: SQLStore, cipher: FieldCipher, configuration: NodeConfiguration, clock: any WallClock, ids: any IdentifierGenerator = RandomIdentifierGenerator(),
        engine: WorkflowEngine? = nil, adapters: NodeAdapters = .none
    ) throws -> CaseworkService {
        CaseworkService(
            persons: SQLPersonRepository(store: store, cipher: cipher),
            cases: SQLCaseRepository(store: store, cipher: cipher),
            documents: SQLDocumentRepository(store: store, cipher: cipher),
            blobs: FileBlobStore(root: configuration.blobDirectory, store: store, cipher: cipher),
            audit: SQLAuditLog(store: store, clock: clock),
            tasks: SQLTaskRepository(store: store, cipher: cipher),
            decisions: SQLDecisionRepository(store: store, cipher: cipher),
            appointments: SQLAppointmentRepository(store: store, cipher: cipher),
            engine: try engine ?? configuration.workflowEngine(),
            signer: NodeDecisionSigner(key: try NodeKeys.loadOrCreate(in: configuration.dataDirectory).decisionKey),
            users: SQLUserRepository(store: store, cipher: cipher),
            clock: clock, ids: ids, documentPolicy: configuration.documents,
            policy: try configuration.accessPolicy(),
            checker: adapters.personChecker, personChecks: SQLPersonCheckRepository(store: store, cipher: cipher)
        )
    }

    /// All routes of the node: `/health`, `/api/v1/…` and `/console/…`.
    public func makeRouter(federation: FederationRole? = nil, readmission: ReadmissionDesk? = nil) async throws -> Router<AccordRequestContext> {
        let router = Router(context: AccordRequestContext.self)
        router.add(middleware: LogRequestsMiddleware(.debug))
        let routeTable = MethodNotAllowedMiddleware<AccordRequestContext>.RouteTable()
        router.add(middleware: MethodNotAllowedMiddleware(table: routeTable))
        let store = self.store
        router.get("health") { _, _ in
            do {
                try await store.database.raw("SELECT 1 AS ok").run()
                return try JSONResponse.make(Health(status: "ok", database: store.dialect.rawValue))
            } catch {
                return try JSONResponse.make(Health(status: "unavailable", database: store.dialect.rawValue), status: .serviceUnavailable)
            }
        }
        let authenticator = TokenAuthenticator(authentication: try authentication(), tokens: SQLTokenRepository(store: store))
        CaseworkAPI(service: service, authenticator: authenticator).register(on: router)
        AgencyAPI(service: service, authenticator: authenticator, idempotency: SQLIdempotencyLog(store: store),
                  exitFollowUp: readmission.map { Self.completeTransfers(desk: $0, service: service) }).register(on: router)
        let gate = SessionGate(authentication: try authentication(), sessions: SQLSessionRepository(store: store), store: store, configuration: configuration)
        var console = try await CaseworkConsole.load(service: service, nodeName: configuration.nodeName, gate: gate)
        console.federation = federation?.overview
        console.readmission = readmission
        console.register(on: router)
        if let federation {
            federation.addMetricsRoute(to: router, also: metrics)
        } else {
            let metrics = self.metrics
            router.get("metrics") { _, _ -> Response in
                Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.emitToBuffer())))
            }
        }
        routeTable.set(router.routes.map { (method: $0.method.rawValue, path: $0.path.description) })
        return router
    }

    /// An exit reported by the border completes the notified transfers of the persons' readmission
    /// cases (requesting side): the desk confirms each to the partner.
    static func completeTransfers(desk: ReadmissionDesk, service: CaseworkService) -> AgencyAPI.ExitFollowUp {
        { persons, exitAt, summary, caller in
            var effects: [AgencyOutcome.Effect] = []
            for person in persons {
                for record in try await service.cases.list(CaseFilter(type: .readmission, open: true, personID: person, limit: CaseFilter.maximumLimit)).cases {
                    guard let conversation = try await desk.conversation(ofCase: record.id.rawValue),
                          try await desk.status(of: conversation) == .transferNotified else { continue }
                    do {
                        try await desk.confirmTransfer(conversation, summary: summary, exitRecordedAt: exitAt, by: caller.user.rawValue)
                        effects.append(.init(caseNumber: record.number.text, effect: "transfer_completed"))
                    } catch let error as ReadmissionError {
                        effects.append(.init(caseNumber: record.number.text, effect: "transfer_not_completed: \(error.code)"))
                    }
                }
            }
            return effects
        }
    }

    /// The HTTP application; `onRunning` is called with the bound port once it listens.
    public func makeApplication(
        federation: FederationRole? = nil, readmission: ReadmissionDesk? = nil, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws -> some ApplicationProtocol {
        let keys = try NodeKeys.loadOrCreate(in: configuration.dataDirectory)
        var application = Application(
            router: try await makeRouter(federation: federation, readmission: readmission),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Accord"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        application.addServices(AuditCheckpointService(log: auditLog, key: keys.auditLogKey, interval: configuration.auditCheckpointInterval, logger: logger))
        application.addServices(WorkflowTimerService(service: service, interval: .seconds(60), logger: logger))
        return application
    }

    /// The node's audit trail.
    public var auditLog: SQLAuditLog { SQLAuditLog(store: store) }

    /// Sign-in and user administration under the node's access policy.
    public func authentication(clock: any WallClock = SystemWallClock()) throws -> AuthenticationService {
        AuthenticationService(users: SQLUserRepository(store: store, cipher: cipher), hasher: BcryptPasswordHasher(), audit: SQLAuditLog(store: store, clock: clock),
                              clock: clock, policy: try configuration.accessPolicy())
    }

    public func close() async {
        await store.shutdown()
    }
}

struct Health: Encodable {
    let status: String
    let database: String
}

/// Builds the node application for a configuration: what `accord node serve` runs.
public func buildApplication(configuration: NodeConfiguration) async throws -> (node: AccordNode, application: some ApplicationProtocol) {
    let node = try await AccordNode.open(configuration)
    do {
        return (node, try await node.makeApplication())
    } catch {
        await node.close()
        throw error
    }
}

/// Bearer tokens → callers with the user's role grants and the token's scopes.
struct TokenAuthenticator: APIAuthenticator {
    let authentication: AuthenticationService
    let tokens: any TokenRepository

    func caller(token: String, origin: String, purpose: String?) async throws -> Caller {
        let (account, scopes) = try await authentication.authenticate(token: token, tokens: tokens)
        return Caller(user: account.id, role: account.grants.first?.role, origin: origin, purpose: purpose, grants: account.grants, scopes: scopes)
    }
}

/// Console sessions over the identity service.
struct SessionGate: ConsoleGate {
    let authentication: AuthenticationService
    let sessions: any SessionRepository
    let store: SQLStore
    let configuration: NodeConfiguration

    var secureCookies: Bool { configuration.secureCookies }

    func resume(_ secret: String, origin: String) async throws -> ConsoleSession? {
        guard let (session, account) = try await authentication.resumeSession(secret, sessions: sessions, policy: configuration.sessions) else { return nil }
        let caller = Caller(user: account.id, role: account.grants.first?.role, origin: origin, grants: account.grants)
        return ConsoleSession(caller: caller, displayName: account.displayName, csrfToken: session.csrfToken, enrolmentOnly: session.enrolmentOnly,
                              mfaEnrolled: account.mfaEnrolled)
    }

    func signIn(user: String, password: String, code: String?, origin: String) async throws -> String {
        guard let id = UserID(user) else { throw IdentityError.loginFailed }
        let account = try await authentication.signIn(id, password: password, code: code, origin: origin)
        return try await authentication.startSession(for: account, sessions: sessions, requireMFA: configuration.requireMFA).0
    }

    func signOut(_ secret: String) async throws {
        try await sessions.delete(idHash: Session.hash(secret))
    }

    func beginEnrolment(_ user: UserID) async throws -> (secret: [UInt8], uri: String) {
        try await authentication.beginEnrolment(user, issuer: configuration.nodeName)
    }

    func confirmEnrolment(_ user: UserID, secret: [UInt8], code: String, password: String?, currentCode: String?) async throws -> [String] {
        try await authentication.confirmEnrolment(user, secret: secret, code: code, password: password, currentCode: currentCode, origin: "console")
    }

    func users() async throws -> [UserAccount] {
        try await authentication.users.users()
    }

    func addUser(_ id: UserID, displayName: String, grants: [RoleGrant], by admin: Caller) async throws -> String {
        let password = AuthenticationService.initialPassword()
        _ = try await authentication.addUser(id, displayName: displayName, password: password, grants: grants, by: administrator(admin))
        return password
    }

    func setDisabled(_ id: UserID, _ disabled: Bool, by admin: Caller) async throws {
        try await authentication.setDisabled(id, disabled, by: administrator(admin))
    }

    func resetMFA(_ id: UserID, by admin: Caller) async throws {
        try await authentication.resetMFA(id, by: administrator(admin))
    }

    /// The console caller as the identity service's actor: always with grants (never a trusted
    /// tool), named by the role that gives `administer` where one does.
    func administrator(_ caller: Caller) -> Administrator {
        let grants = caller.grants ?? []
        let role = grants.first { authentication.policy.allows([$0], .administer) }?.role ?? caller.role
        return Administrator(user: caller.user.rawValue, role: role, origin: "console", grants: grants)
    }

    func audit(last count: Int, by auditor: Caller) async throws -> (entries: [AuditEntry], summary: String, intact: Bool) {
        let log = SQLAuditLog(store: store)
        let keys = try NodeKeys.loadOrCreate(in: configuration.dataDirectory)
        let result = try await log.verify(key: keys.auditLogKey.publicKey)
        let first = max(1, result.entries - count + 1)
        let entries = try await log.entries(from: first, limit: count).reversed()
        try await authentication.audit.record(AuditEvent(actor: auditor.user.rawValue, role: auditor.role, action: .read, resourceType: "audit_trail",
                                                         resourceRef: "entries \(first)-\(result.entries)", origin: auditor.origin, purpose: auditor.purpose))
        let summary = "\(result.entries) entries, \(result.checkpoints) signed checkpoints, \(result.coveredByCheckpoint) covered by the latest"
            + (result.isIntact ? " — intact" : " — " + result.problems.map { "\($0.code): \($0.message)" }.joined(separator: "; "))
        return (Array(entries), summary, result.isIntact)
    }
}
