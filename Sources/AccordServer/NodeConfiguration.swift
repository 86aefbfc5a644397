public import Casework
public import Identity
import DefaultProfiles
import Foundation
public import Logging
public import Storage

/// Everything a node needs to start. Every field has a default, so `NodeConfiguration()` is a
/// working embedded node on 127.0.0.1:8080 with SQLite under ./data.
public struct NodeConfiguration: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// Nil means the embedded SQLite file in `dataDirectory`.
    public var databaseURL: String?
    /// Where the SQLite file and the document blobs live.
    public var dataDirectory: String
    /// Shown in the console header.
    public var nodeName: String
    public var documents: DocumentPolicy
    public var store: StoreConfiguration
    public var logLevel: Logger.Level
    /// Console cookies carry the Secure flag (turn off only for plain-HTTP development).
    public var secureCookies: Bool = true
    /// Console users must enrol TOTP before they see any data (off only for the demo).
    public var requireMFA: Bool = true
    public var sessions: SessionPolicy = SessionPolicy()
    /// A YAML access policy (default: the standard roles, Profiles/access/roles.yaml).
    public var accessPolicyFile: String?
    /// The folder of workflow files and calendars.yaml (default: $ACCORD_PROFILES/workflows, else
    /// the workflows shipped with Accord).
    public var workflowsDirectory: String?
    /// The folder of triage rules (default: $ACCORD_PROFILES/triage, else those shipped with Accord).
    public var triageDirectory: String?
    /// The folder of adapter manifests (`<System>/manifest.yaml`, see Adapters/README.md); none:
    /// the node reaches no national system and shows every check as not verified.
    public var adaptersDirectory: String?
    /// The office readmission cases are opened at in the case file.
    public var readmissionOffice: String = "READMISSION"
    /// The master key file (default: `<data-dir>/keys/master-keys.json`).
    public var masterKeyPath: String?
    /// How often the audit trail is checkpointed while serving.
    public var auditCheckpointInterval: Duration

    public init(
        host: String = "127.0.0.1", port: Int = 8080, databaseURL: String? = nil, dataDirectory: String = "./data",
        nodeName: String = "Accord node", documents: DocumentPolicy = DocumentPolicy(), store: StoreConfiguration = StoreConfiguration(),
        logLevel: Logger.Level = .info, auditCheckpointInterval: Duration = .seconds(300)
    ) {
        self.host = host
        self.port = port
        self.databaseURL = databaseURL
        self.dataDirectory = dataDirectory
        self.nodeName = nodeName
        self.documents = documents
        self.store = store
        self.logLevel = logLevel
        self.auditCheckpointInterval = auditCheckpointInterval
    }

    /// The database this configuration selects.
    public func databaseLocation() throws -> DatabaseLocation {
        if let databaseURL, !databaseURL.isEmpty {
            return try DatabaseLocation(url: databaseURL)
        }
        return .defaultSQLite(dataDirectory: dataDirectory)
    }

    /// Where the master keys live unless given in `ACCORD_MASTER_KEYS`; keep it off the database
    /// server and out of database backups.
    public var masterKeyFile: String {
        masterKeyPath ?? (dataDirectory as NSString).appendingPathComponent("keys/master-keys.json")
    }

    public func accessPolicy() throws -> AccessPolicy {
        guard let file = accessPolicyFile else { return .standard }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ServerError(code: "config.file_not_found", reason: "access policy \(file) does not exist")
        }
        return try AccessPolicyFile.load(String(decoding: data, as: UTF8.self), file: file)
    }

    /// The folder the workflows are read from.
    public var workflowsFolder: URL {
        if let workflowsDirectory { return URL(fileURLWithPath: workflowsDirectory, isDirectory: true) }
        if let root = ProcessInfo.processInfo.environment["ACCORD_PROFILES"], !root.isEmpty {
            return URL(fileURLWithPath: root).appendingPathComponent("workflows", isDirectory: true)
        }
        return DefaultProfiles.workflows ?? URL(fileURLWithPath: "Profiles/workflows", isDirectory: true)
    }

    /// The folder the triage rules are read from (none there: no case type is triaged).
    public var triageFolder: URL {
        if let triageDirectory { return URL(fileURLWithPath: triageDirectory, isDirectory: true) }
        if let root = ProcessInfo.processInfo.environment["ACCORD_PROFILES"], !root.isEmpty {
            return URL(fileURLWithPath: root).appendingPathComponent("triage", isDirectory: true)
        }
        return DefaultProfiles.triage ?? URL(fileURLWithPath: "Profiles/triage", isDirectory: true)
    }

    /// The workflows, office calendars and triage rules; any error in them stops the node (a
    /// case must never run on a broken procedure).
    public func workflowEngine() throws -> WorkflowEngine {
        let roles = Set(try accessPolicy().roles.keys)
        let (workflows, calendars, problems) = WorkflowProfileFile.loadDirectory(workflowsFolder, roles: roles)
        let errors = problems.filter { $0.diagnostic.severity == .error }
        guard errors.isEmpty else {
            throw ServerError(code: "config.invalid_workflows", reason: errors.map(\.description).joined(separator: "\n"))
        }
        let catalog = try WorkflowCatalog(workflows)
        let (triage, triageProblems) = TriageProfileFile.loadDirectory(triageFolder, workflows: catalog)
        let triageErrors = triageProblems.filter { $0.diagnostic.severity == .error }
        guard triageErrors.isEmpty else {
            throw ServerError(code: "config.invalid_triage", reason: triageErrors.map(\.description).joined(separator: "\n"))
        }
        return WorkflowEngine(catalog: catalog, calendars: calendars, triage: triage)
    }

    public var blobDirectory: URL {
        URL(fileURLWithPath: dataDirectory, isDirectory: true).appendingPathComponent("blobs", isDirectory: true)
    }
}
