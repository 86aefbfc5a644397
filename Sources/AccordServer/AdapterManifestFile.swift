import AccordCore
public import AdapterKit
public import Foundation
import Yams

/// Adapter manifests as YAML (`Adapters/<System>/manifest.yaml`, or an installation's own
/// folder of them): every problem comes back `file:line`. Secret and certificate paths are
/// relative to the manifest's folder.
public enum AdapterManifestFile {
    /// Every manifest under `directory`: `<directory>/<System>/manifest.yaml` and `<directory>/*.yaml`.
    public static func loadDirectory(_ directory: URL) -> (manifests: [AdapterManifest], problems: [AgreementProfileFile.Problem]) {
        let manager = FileManager.default
        var files: [URL] = []
        for entry in ((try? manager.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []).sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: entry.path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                let manifest = entry.appendingPathComponent("manifest.yaml")
                if manager.fileExists(atPath: manifest.path) { files.append(manifest) }
            } else if ["yaml", "yml"].contains(entry.pathExtension) {
                files.append(entry)
            }
        }
        var manifests: [AdapterManifest] = []
        var problems: [AgreementProfileFile.Problem] = []
        for file in files {
            let (manifest, diagnostics) = load(file)
            problems += diagnostics.map { .init(file: file.path, diagnostic: $0) }
            guard let manifest else { continue }
            if manifests.contains(where: { $0.system == manifest.system }) {
                problems.append(.init(file: file.path, diagnostic: Diagnostic(code: "adapters.duplicate_system", message: "a second manifest for system \(manifest.system)", path: "system", line: 1)))
                continue
            }
            manifests.append(manifest)
        }
        return (manifests, problems)
    }

    public static func load(_ file: URL) -> (AdapterManifest?, [Diagnostic]) {
        guard let text = FileManager.default.contents(atPath: file.path).flatMap({ String(data: $0, encoding: .utf8) }) else {
            return (nil, [Diagnostic(code: "profiles.unreadable", message: "cannot read the file as UTF-8 text")])
        }
        return parse(text, relativeTo: file.deletingLastPathComponent())
    }

    /// Parses and checks one manifest; nil when there is any error.
    public static func parse(_ text: String, relativeTo folder: URL) -> (AdapterManifest?, [Diagnostic]) {
        let (node, syntax) = ProfileReader.compose(text)
        guard let root = node else { return (nil, syntax) }
        var reader = ProfileReader()
        guard let members = reader.members(root, "", required: ["system", "kind", "name", "baseURL", "authentication", "fields"],
                                           optional: ["timeouts", "retries", "breaker", "rateLimit", "cacheSeconds", "settings"]) else {
            return (nil, reader.diagnostics)
        }
        let system = reader.string(members["system"], "system")
        if let system, system.range(of: "^[a-z0-9][a-z0-9-]{1,62}$", options: .regularExpression) == nil {
            reader.error("invalid_value", "system must be a short name of lower-case letters, digits and hyphens (mar-national-id), not \(system)", members["system"], "system")
        }
        let kindText = reader.string(members["kind"], "kind")
        let kind = kindText.flatMap(AdapterKind.init(rawValue:))
        if let kindText, kind == nil {
            reader.error("invalid_value", "kind \(kindText) is not one of \(AdapterKind.allCases.map(\.rawValue).joined(separator: ", "))", members["kind"], "kind")
        }
        let name = reader.string(members["name"], "name")
        let base = reader.string(members["baseURL"], "baseURL")
        let baseURL = base.flatMap(URL.init(string:))
        if let base, baseURL?.host == nil || !["http", "https"].contains(baseURL?.scheme ?? "") {
            reader.error("invalid_value", "baseURL must be an http or https address with a host, not \(base)", members["baseURL"], "baseURL")
        }
        let authentication = members["authentication"].flatMap { reader.authentication($0, "authentication", folder: folder) }
        if case .mutualTLS = authentication, baseURL?.scheme == "http" {
            reader.error("invalid_value", "mutual TLS needs an https baseURL", members["baseURL"], "baseURL")
        }
        var fields: Set<PersonField> = []
        for (index, item) in reader.list(members["fields"], "fields").enumerated() {
            guard let text = reader.string(item, "fields[\(index)]") else { continue }
            guard let field = PersonField(rawValue: text) else {
                reader.error("invalid_value", "fields[\(index)]: \(text) is not one of \(PersonField.allCases.map(\.rawValue).joined(separator: ", "))", item, "fields[\(index)]")
                continue
            }
            fields.insert(field)
        }
        var timeouts = AdapterManifest.Timeouts()
        if let node = members["timeouts"], let values = reader.members(node, "timeouts", required: [], optional: ["connectMs", "requestMs", "totalMs"]) {
            if let value = reader.positive(values["connectMs"], "timeouts.connectMs", within: 1...60_000) { timeouts.connect = .milliseconds(value) }
            if let value = reader.positive(values["requestMs"], "timeouts.requestMs", within: 1...120_000) { timeouts.request = .milliseconds(value) }
            if let value = reader.positive(values["totalMs"], "timeouts.totalMs", within: 1...300_000) { timeouts.total = .milliseconds(value) }
            if timeouts.total < timeouts.request {
                reader.error("invalid_value", "timeouts.totalMs must be at least timeouts.requestMs", values["totalMs"] ?? node, "timeouts.totalMs")
            }
        }
        var retries = AdapterManifest.Retries()
        if let node = members["retries"], let values = reader.members(node, "retries", required: [], optional: ["attempts", "initialBackoffMs", "maximumBackoffMs"]) {
            if let value = reader.positive(values["attempts"], "retries.attempts", within: 1...10) { retries.attempts = value }
            if let value = reader.positive(values["initialBackoffMs"], "retries.initialBackoffMs", within: 1...60_000) { retries.initialBackoff = .milliseconds(value) }
            if let value = reader.positive(values["maximumBackoffMs"], "retries.maximumBackoffMs", within: 1...300_000) { retries.maximumBackoff = .milliseconds(value) }
        }
        var breaker = AdapterManifest.Breaker()
        if let node = members["breaker"], let values = reader.members(node, "breaker", required: [], optional: ["failureThreshold", "openSeconds"]) {
            if let value = reader.positive(values["failureThreshold"], "breaker.failureThreshold", within: 1...1_000) { breaker.failureThreshold = value }
            if let value = reader.positive(values["openSeconds"], "breaker.openSeconds", within: 1...3_600) { breaker.openFor = .seconds(value) }
        }
        var rateLimit = AdapterManifest.RateLimit()
        if let node = members["rateLimit"], let values = reader.members(node, "rateLimit", required: [], optional: ["perSecond", "burst"]) {
            if let value = reader.positive(values["perSecond"], "rateLimit.perSecond", within: 1...100_000) { rateLimit.perSecond = Double(value) }
            if let value = reader.positive(values["burst"], "rateLimit.burst", within: 1...100_000) { rateLimit.burst = value }
        }
        var cache = Duration.zero
        if members["cacheSeconds"] != nil, let value = reader.int(members["cacheSeconds"], "cacheSeconds") {
            if (0...86_400).contains(value) { cache = .seconds(value) } else { reader.error("invalid_value", "cacheSeconds must be 0 to 86400", members["cacheSeconds"], "cacheSeconds") }
        }
        var settings: [String: String] = [:]
        if let node = members["settings"] {
            if let mapping = node.mapping {
                for (key, value) in mapping {
                    guard let name = key.string else { continue }
                    if let text = reader.string(value, "settings.\(name)") { settings[name] = text }
                }
            } else {
                reader.error("wrong_type", "settings must be a mapping of names to texts", node, "settings")
            }
        }
        guard !reader.diagnostics.hasErrors, let system, let kind, let name, let baseURL, let authentication else { return (nil, reader.diagnostics) }
        return (AdapterManifest(system: system, kind: kind, name: name, baseURL: baseURL, authentication: authentication, timeouts: timeouts, retries: retries,
                                breaker: breaker, rateLimit: rateLimit, cacheFor: cache, fields: fields, settings: settings), reader.diagnostics)
    }
}

extension ProfileReader {
    mutating func positive(_ node: Node?, _ path: String, within range: ClosedRange<Int>) -> Int? {
        guard let node, let value = int(node, path) else { return nil }
        guard range.contains(value) else {
            error("invalid_value", "\(path) must be between \(range.lowerBound) and \(range.upperBound), not \(value)", node, path)
            return nil
        }
        return value
    }

    /// A secret: `<name>File` (a path relative to the manifest) or `<name>Env` (an environment variable).
    mutating func secret(_ members: [String: Node], _ name: String, _ path: String, folder: URL, node: Node) -> AdapterManifest.Secret? {
        if let file = string(members["\(name)File"], "\(path).\(name)File") { return .file(Self.resolve(file, folder)) }
        if let variable = string(members["\(name)Env"], "\(path).\(name)Env") { return .environment(variable) }
        error("missing_field", "\(path) needs \(name)File (a file beside the manifest) or \(name)Env (an environment variable); secrets are never written into a manifest", node, path)
        return nil
    }

    static func resolve(_ path: String, _ folder: URL) -> String {
        path.hasPrefix("/") ? path : folder.appendingPathComponent(path).standardizedFileURL.path
    }

    mutating func authentication(_ node: Node, _ path: String, folder: URL) -> AdapterManifest.Authentication? {
        guard let members = members(node, path, required: ["type"],
                                    optional: ["header", "keyFile", "keyEnv", "tokenURL", "clientID", "secretFile", "secretEnv", "scope", "certificateFile", "privateKeyFile", "trustRootsFile"]) else {
            return nil
        }
        guard let type = string(members["type"], "\(path).type") else { return nil }
        switch type {
        case "apiKey":
            let header = string(members["header"], "\(path).header") ?? "X-API-Key"
            guard let key = secret(members, "key", path, folder: folder, node: node) else { return nil }
            return .apiKey(header: header, key: key)
        case "oauth2":
            guard let tokenURL = string(members["tokenURL"], "\(path).tokenURL"), let clientID = string(members["clientID"], "\(path).clientID") else {
                error("missing_field", "\(path) of type oauth2 needs tokenURL and clientID", node, path)
                return nil
            }
            guard let secret = secret(members, "secret", path, folder: folder, node: node) else { return nil }
            return .oauth2(tokenURL: tokenURL, clientID: clientID, secret: secret, scope: string(members["scope"], "\(path).scope"))
        case "mutualTLS":
            guard let certificate = string(members["certificateFile"], "\(path).certificateFile"), let key = string(members["privateKeyFile"], "\(path).privateKeyFile"),
                  let roots = string(members["trustRootsFile"], "\(path).trustRootsFile") else {
                error("missing_field", "\(path) of type mutualTLS needs certificateFile, privateKeyFile and trustRootsFile", node, path)
                return nil
            }
            return .mutualTLS(certificateFile: Self.resolve(certificate, folder), keyFile: Self.resolve(key, folder), trustRootsFile: Self.resolve(roots, folder))
        case "none":
            return AdapterManifest.Authentication.none
        default:
            error("invalid_value", "\(path).type must be mutualTLS, oauth2, apiKey or none, not \(type)", members["type"], "\(path).type")
            return nil
        }
    }
}
