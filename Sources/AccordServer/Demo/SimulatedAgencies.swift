import AdapterKit
import Crypto
import Exchange
import Federation
public import Foundation
import X509

/// The national systems of the demo (and of tests that run them as processes): for each, a
/// manifest written into a folder of the node that uses it, its secret or TLS material, a free
/// port, and the `accord simulate` arguments that start a matching simulator.
public enum SimulatedAgencies {
    public struct Agency: Sendable {
        /// `national-id`, `civil-registry`, `border` or `police` (the simulate argument).
        public let system: String
        public let port: Int
        public let manifestFile: URL
        /// The arguments after `accord`.
        public let arguments: [String]
    }

    struct Plan {
        let folder: String
        let simulator: String
        let system: String
        let kind: AdapterKind
        let name: String
        let fields: String
        let settings: String
    }

    static let morocco = [
        Plan(folder: "NationalID", simulator: "national-id", system: "mar-national-id", kind: .nationalID, name: "Morocco — national ID register (MOSIP, simulated)",
             fields: "[nationalId, givenNames, familyName, nativeName, dateOfBirth, sex, documents]",
             settings: "settings:\n  partnerID: mar-interior-readmission\n  mispLicenseKey: demo-misp-license\n"),
        Plan(folder: "CivilRegistry", simulator: "civil-registry", system: "mar-civil-registry", kind: .civilRegistry, name: "Morocco — civil registry (OpenCRVS DCI, simulated)",
             fields: "[givenNames, familyName, dateOfBirth, documents]", settings: "settings:\n  senderID: mar-interior\n  receiverID: crvs\n  pageSize: \"10\"\n"),
    ]

    static let belgium = [
        Plan(folder: "Border", simulator: "border", system: "bel-border", kind: .border, name: "Belgium — border entry/exit records (simulated)",
             fields: "[givenNames, familyName, dateOfBirth, nationality, documents]", settings: ""),
        Plan(folder: "Police", simulator: "police", system: "bel-police", kind: .police, name: "Belgium — federal police, SLTD and watchlist (simulated)",
             fields: "[givenNames, familyName, dateOfBirth, nationality, documents]", settings: ""),
    ]

    /// Morocco's national ID and civil registry manifests under `morocco`, Belgium's border and
    /// police ones under `belgium`; ports picked free unless `ports` names one per simulator.
    public static func prepare(morocco moroccoFolder: URL?, belgium belgiumFolder: URL?, ports: [String: Int] = [:], host: String = "127.0.0.1") throws -> [Agency] {
        var agencies: [Agency] = []
        for (folder, plans) in [(moroccoFolder, morocco), (belgiumFolder, belgium)] {
            guard let folder else { continue }
            for plan in plans { agencies.append(try write(plan, into: folder, port: ports[plan.simulator] ?? freePort(), host: host)) }
        }
        return agencies
    }

    static func freePort() throws -> Int {
        let socket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw ServerError(code: "demo.no_free_port", reason: "no free port on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func write(_ plan: Plan, into root: URL, port: Int, host: String) throws -> Agency {
        let folder = root.appendingPathComponent(plan.folder, isDirectory: true)
        let manager = FileManager.default
        try manager.createDirectory(at: folder.appendingPathComponent("secrets"), withIntermediateDirectories: true)
        func secret(_ name: String) throws -> String {
            let file = folder.appendingPathComponent("secrets/\(name)")
            if let existing = try? String(contentsOf: file, encoding: .utf8), !existing.isEmpty { return "secrets/\(name)" }
            let value = (0..<24).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
            try Data(value.utf8).write(to: file)
            try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
            return "secrets/\(name)"
        }
        var arguments = ["simulate", plan.simulator, "--host", host, "--port", "\(port)", "--manifest", folder.appendingPathComponent("manifest.yaml").path]
        let scheme: String
        let authentication: String
        switch plan.kind {
        case .nationalID:
            scheme = "http"
            authentication = "  type: apiKey\n  header: Authorization\n  keyFile: \(try secret("api-key"))\n"
        case .civilRegistry:
            scheme = "http"
            authentication = "  type: oauth2\n  tokenURL: /oauth2/client/token\n  clientID: \(plan.system)-client\n  secretFile: \(try secret("client-secret"))\n"
        case .police:
            scheme = "http"
            authentication = "  type: apiKey\n  header: X-API-Key\n  keyFile: \(try secret("api-key"))\n"
        case .border:
            scheme = "https"
            let tls = folder.appendingPathComponent("tls", isDirectory: true)
            try issueTLS(into: tls, host: host)
            authentication = "  type: mutualTLS\n  certificateFile: tls/client.pem\n  privateKeyFile: tls/client.key\n  trustRootsFile: tls/agency-ca.pem\n"
            arguments += ["--tls-certificate", tls.appendingPathComponent("server.pem").path, "--tls-key", tls.appendingPathComponent("server.key").path,
                          "--client-ca", tls.appendingPathComponent("agency-ca.pem").path]
        }
        let manifest = """
            # Written by the demo: \(plan.name) on \(host):\(port).
            system: \(plan.system)
            kind: \(plan.kind.rawValue)
            name: \(plan.name)
            baseURL: \(scheme)://\(host):\(port)
            authentication:
            \(authentication)timeouts: { connectMs: 1000, requestMs: 3000, totalMs: 8000 }
            retries: { attempts: 3, initialBackoffMs: 100, maximumBackoffMs: 800 }
            breaker: { failureThreshold: 5, openSeconds: 20 }
            rateLimit: { perSecond: 50, burst: 100 }
            cacheSeconds: 60
            fields: \(plan.fields)
            \(plan.settings)
            """
        let file = folder.appendingPathComponent("manifest.yaml")
        try Data(manifest.utf8).write(to: file)
        return Agency(system: plan.simulator, port: port, manifestFile: file, arguments: arguments)
    }

    /// Another CA's client certificate and key (`client.pem`, `client.key`): what a stranger would present.
    public static func issueTLSForTests(into folder: URL) throws {
        try issueTLS(into: folder, host: "127.0.0.1")
    }

    /// A development CA of the agency, a server certificate for `host` and a client certificate
    /// for the node (kept when they exist). Development only: the keys are files beside the manifest.
    static func issueTLS(into folder: URL, host: String) throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: folder.appendingPathComponent("client.pem").path) { return }
        try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        let now = Date()
        let authority = try FederationAuthority.create(name: "Simulated agency CA", now: now)
        let serverKey = P256.Signing.PrivateKey()
        let clientKey = P256.Signing.PrivateKey()
        let isAddress = host.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" }
        let server = try authority.issue(role: .node, participant: ParticipantID("BEL-BORDER")!, publicKey: serverKey.publicKey,
                                         dnsNames: isAddress ? [] : [host], ipAddresses: isAddress ? [host] : [], now: now)
        let client = try authority.issue(role: .node, participant: ParticipantID("BEL-DOFI")!, publicKey: clientKey.publicKey, now: now)
        func pem(_ certificate: Certificate) throws -> String { try certificate.serializeAsPEM().pemString + "\n" }
        try Data(try pem(authority.certificate).utf8).write(to: folder.appendingPathComponent("agency-ca.pem"))
        try Data(try pem(server).utf8).write(to: folder.appendingPathComponent("server.pem"))
        try Data(try pem(client).utf8).write(to: folder.appendingPathComponent("client.pem"))
        for (name, key) in [("server.key", serverKey), ("client.key", clientKey)] {
            let file = folder.appendingPathComponent(name)
            try Data(key.pemRepresentation.utf8).write(to: file)
            try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        }
    }
}
