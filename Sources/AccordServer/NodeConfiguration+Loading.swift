public import AccordCore
import Casework
import Configuration
import Foundation
import Logging
import SystemPackage

/// Reads a `NodeConfiguration` from, in order of precedence: command-line flags, environment
/// variables (`ACCORD_HTTP_PORT`, …), a JSON or YAML configuration file, and the defaults.
///
/// | key | environment | flag |
/// | --- | --- | --- |
/// | http.host | ACCORD_HTTP_HOST | --host |
/// | http.port | ACCORD_HTTP_PORT | --port |
/// | database.url | ACCORD_DATABASE_URL | --database-url |
/// | data.dir | ACCORD_DATA_DIR | --data-dir |
/// | node.name | ACCORD_NODE_NAME | |
/// | documents.max-bytes | ACCORD_DOCUMENTS_MAX_BYTES | |
/// | documents.media-types | ACCORD_DOCUMENTS_MEDIA_TYPES (comma-separated) | |
/// | log.level | ACCORD_LOG_LEVEL | --log-level |
/// | audit.checkpoint-seconds | ACCORD_AUDIT_CHECKPOINT_SECONDS | |
/// | console.secure-cookies | ACCORD_CONSOLE_SECURE_COOKIES | |
/// | access.policy-file | ACCORD_ACCESS_POLICY_FILE | |
/// | workflows.directory | ACCORD_WORKFLOWS_DIRECTORY | |
/// | triage.directory | ACCORD_TRIAGE_DIRECTORY | |
/// | adapters.directory | ACCORD_ADAPTERS_DIRECTORY | |
/// | readmission.office | ACCORD_READMISSION_OFFICE | |
/// | keys.master-file | ACCORD_KEYS_MASTER_FILE (or the keys themselves in ACCORD_MASTER_KEYS) | |
extension NodeConfiguration {
    public static func load(
        flags: [String: String] = [:],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        configFile: String? = nil
    ) async throws -> NodeConfiguration {
        var providers: [any ConfigProvider] = []
        if !flags.isEmpty {
            providers.append(InMemoryProvider(
                name: "flags",
                values: Dictionary(uniqueKeysWithValues: flags.map { (AbsoluteConfigKey(ConfigKey($0.key)), ConfigValue(.string($0.value), isSecret: $0.key == "database.url")) })
            ))
        }
        providers.append(EnvironmentVariablesProvider(environmentVariables: environment, secretsSpecifier: .specific(["ACCORD_DATABASE_URL"])).prefixKeys(with: "accord"))
        if let path = configFile ?? environment["ACCORD_CONFIG"], !path.isEmpty {
            guard FileManager.default.fileExists(atPath: path) else {
                throw ServerError(code: "config.file_not_found", reason: "configuration file \(path) does not exist")
            }
            do {
                if path.hasSuffix(".yaml") || path.hasSuffix(".yml") {
                    providers.append(try await FileProvider<YAMLSnapshot>(filePath: FilePath(path)))
                } else {
                    providers.append(try await FileProvider<JSONSnapshot>(filePath: FilePath(path)))
                }
            } catch {
                throw ServerError(code: "config.file_invalid", reason: "cannot read configuration file \(path): \(error)")
            }
        }
        let reader = ConfigReader(providers: providers)
        let defaults = NodeConfiguration()
        var configuration = defaults
        configuration.host = reader.string(forKey: "http.host") ?? defaults.host
        configuration.port = try integer(reader, "http.port", in: 0...65_535) ?? defaults.port
        configuration.databaseURL = reader.string(forKey: "database.url", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        configuration.dataDirectory = reader.string(forKey: "data.dir") ?? defaults.dataDirectory
        configuration.nodeName = reader.string(forKey: "node.name") ?? defaults.nodeName
        let maximumBytes = try integer(reader, "documents.max-bytes", in: 1...(1 << 31)) ?? defaults.documents.maximumBytes
        let mediaTypes = reader.stringArray(forKey: "documents.media-types")
            ?? reader.string(forKey: "documents.media-types").map { $0.split(separator: ",").map(String.init) }
            ?? defaults.documents.allowedMediaTypes
        configuration.documents = DocumentPolicy(maximumBytes: maximumBytes, allowedMediaTypes: mediaTypes)
        if let level = reader.string(forKey: "log.level") {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw ServerError(code: "config.invalid_value", reason: "log.level: '\(level)' is not one of trace, debug, info, notice, warning, error, critical")
            }
            configuration.logLevel = parsed
        }
        configuration.masterKeyPath = reader.string(forKey: "keys.master-file")
        configuration.accessPolicyFile = reader.string(forKey: "access.policy-file")
        configuration.workflowsDirectory = reader.string(forKey: "workflows.directory")
        configuration.triageDirectory = reader.string(forKey: "triage.directory")
        configuration.adaptersDirectory = reader.string(forKey: "adapters.directory")
        if let office = reader.string(forKey: "readmission.office") {
            guard OfficeCode(office) != nil else { throw ServerError(code: "config.invalid_value", reason: "readmission.office: '\(office.prefix(30))' is not an office code (2–24 of A–Z, 0–9, -)") }
            configuration.readmissionOffice = office
        }
        if let secure = reader.string(forKey: "console.secure-cookies") {
            guard let value = Bool(secure.lowercased()) else { throw ServerError(code: "config.invalid_value", reason: "console.secure-cookies: '\(secure.prefix(10))' is not true or false") }
            configuration.secureCookies = value
        }
        _ = try configuration.accessPolicy()
        _ = try configuration.workflowEngine()
        if let seconds = try integer(reader, "audit.checkpoint-seconds", in: 1...86_400) {
            configuration.auditCheckpointInterval = .seconds(seconds)
        }
        _ = try configuration.databaseLocation()
        return configuration
    }

    /// An integer given as a number (files) or as text (flags, environment); text that is not a
    /// number in range is an error, not silently the default.
    private static func integer(_ reader: ConfigReader, _ key: String, in range: ClosedRange<Int>) throws -> Int? {
        let configKey = ConfigKey(key)
        let value: Int
        if let text = reader.string(forKey: configKey) {
            guard let parsed = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw ServerError(code: "config.invalid_value", reason: "\(key): '\(text.prefix(32))' is not a number")
            }
            value = parsed
        } else if let number = reader.int(forKey: configKey) {
            value = number
        } else {
            return nil
        }
        guard range.contains(value) else {
            throw ServerError(code: "config.invalid_value", reason: "\(key): \(value) is outside \(range.lowerBound)…\(range.upperBound)")
        }
        return value
    }
}

/// The one error type of the AccordServer module.
public struct ServerError: AccordError, Equatable {
    public let code: String
    public let reason: String
    public var category: ErrorCategory { .invalidInput }

    public init(code: String, reason: String) {
        self.code = code
        self.reason = reason
    }

}
