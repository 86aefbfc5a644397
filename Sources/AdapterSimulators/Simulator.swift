import AdapterKit
import Foundation
import HTTPTypes
public import Hummingbird
import HummingbirdCore
import HummingbirdTLS
public import Logging
import NIOSSL
import Synchronization

/// Which system a simulator plays.
public enum SimulatedSystem: String, Sendable, CaseIterable {
    case nationalID = "national-id"
    case civilRegistry = "civil-registry"
    case border
    case police
}

/// How callers authenticate: the same scheme (and secrets) as the adapter's manifest.
public enum SimulatorAuthentication: Sendable {
    case apiKey(header: String, key: String)
    case oauth2(clientID: String, secret: String)
    /// Server certificate and key (PEM files) and the CA whose client certificates are accepted.
    case mutualTLS(certificateFile: String, keyFile: String, clientCAFile: String)
    case none
}

public struct SimulatorOptions: Sendable {
    public var host: String
    public var port: Int
    public var latency: Duration
    /// Share of requests answered 503 at random (0…1).
    public var failRate: Double
    /// Requests a credential may make per day before `DAILY_QUOTA_EXCEEDED` / 429 (nil: no quota).
    public var dailyQuota: Int?
    public var authentication: SimulatorAuthentication

    public init(host: String = "127.0.0.1", port: Int, latency: Duration = .zero, failRate: Double = 0, dailyQuota: Int? = nil, authentication: SimulatorAuthentication) {
        self.host = host
        self.port = port
        self.latency = latency
        self.failRate = failRate
        self.dailyQuota = dailyQuota
        self.authentication = authentication
    }
}

/// Counts what the simulator saw (printed on exit, read by tests through `/simulator/stats`).
final class SimulatorState: Sendable {
    let tokens = Mutex<[String: ContinuousClock.Instant]>([:])
    let requests = Mutex<[String: Int]>([:])

    func count(_ credential: String) -> Int {
        requests.withLock { counts in
            counts[credential, default: 0] += 1
            return counts[credential]!
        }
    }
}

/// Latency, random failures, authentication and the daily quota, before any system's routes.
struct SimulatorMiddleware<Context: RequestContext>: RouterMiddleware {
    let options: SimulatorOptions
    let state: SimulatorState
    let system: SimulatedSystem

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == "/health" { return try await next(request, context) }
        if options.latency > .zero { try await Task.sleep(for: options.latency) }
        if options.failRate > 0, Double.random(in: 0..<1) < options.failRate {
            return Simulators.json(["code": "unavailable", "message": "simulated failure"], status: .serviceUnavailable)
        }
        let credential: String
        switch options.authentication {
        case .apiKey(let header, let key):
            guard let name = HTTPField.Name(header), request.headers[name] == key else {
                return Simulators.json(["code": "unauthorized", "message": "missing or wrong API key in \(header)"], status: .unauthorized)
            }
            credential = "api-key"
        case .oauth2(let clientID, _):
            if request.uri.path == "/oauth2/client/token" { return try await next(request, context) }
            let presented = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil } ?? ""
            let valid = state.tokens.withLock { tokens in tokens[presented].map { $0 > .now } ?? false }
            guard valid else { return Simulators.json(["error": "invalid_token", "error_description": "missing, unknown or expired access token"], status: .unauthorized) }
            credential = clientID
        case .mutualTLS:
            credential = "client-certificate"
        case .none:
            credential = "anonymous"
        }
        if let quota = options.dailyQuota, state.count(credential) > quota {
            switch system {
            case .civilRegistry:
                return Simulators.json(["error": "DAILY_QUOTA_EXCEEDED", "error_description": "the daily quota of \(quota) searches is used up"], status: .tooManyRequests)
            default:
                return Simulators.json(["code": "quota_exceeded", "message": "the daily quota of \(quota) requests is used up"], status: .tooManyRequests)
            }
        }
        return try await next(request, context)
    }
}

public enum Simulators {
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func body<T: Decodable>(_ request: Request, as type: T.Type) async throws -> T? {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        return try? JSONDecoder().decode(type, from: Data(buffer: buffer))
    }

    /// The router of `system` over `population`.
    public static func router(_ system: SimulatedSystem, population: Population, options: SimulatorOptions) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        let state = SimulatorState()
        router.add(middleware: SimulatorMiddleware(options: options, state: state, system: system))
        router.get("health") { _, _ in "ok" }
        switch system {
        case .nationalID: NationalIDSimulator(population: population).register(on: router)
        case .civilRegistry: CivilRegistrySimulator(population: population, options: options, state: state).register(on: router)
        case .border: BorderSimulator(population: population).register(on: router)
        case .police: PoliceSimulator(population: population).register(on: router)
        }
        return router
    }

    /// The simulator as an application: HTTPS with client certificates for mutual TLS, plain HTTP otherwise.
    public static func application(
        _ system: SimulatedSystem, population: Population, options: SimulatorOptions, logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let router = router(system, population: population, options: options)
        let configuration = ApplicationConfiguration(address: .hostname(options.host, port: options.port), serverName: "Accord simulator (\(system.rawValue))")
        let server: HTTPServerBuilder
        if case .mutualTLS(let certificateFile, let keyFile, let clientCAFile) = options.authentication {
            var tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(certificateFile).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem)))
            tls.certificateVerification = .noHostnameVerification
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(clientCAFile))
            tls.minimumTLSVersion = .tlsv12
            server = try .tls(.http1(), tlsConfiguration: tls)
        } else {
            server = .http1()
        }
        return Application(router: router, server: server, configuration: configuration,
                           onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) }, logger: logger)
    }
}

extension SimulatorAuthentication {
    /// What a simulator expects from callers of `manifest`: its API key, its OAuth client and
    /// secret, or (mutual TLS) client certificates of `clientCA`, serving with `certificate` and `key`.
    public static func expected(by manifest: AdapterManifest, certificate: String? = nil, key: String? = nil, clientCA: String? = nil) throws -> SimulatorAuthentication {
        switch manifest.authentication {
        case .apiKey(let header, let secret):
            guard let value = secret.value() else { throw AdapterError.misconfigured(manifest.system, "the API key (\(secret.describedLocation)) is missing") }
            return .apiKey(header: header, key: value)
        case .oauth2(_, let clientID, let secret, _):
            guard let value = secret.value() else { throw AdapterError.misconfigured(manifest.system, "the client secret (\(secret.describedLocation)) is missing") }
            return .oauth2(clientID: clientID, secret: value)
        case .mutualTLS:
            guard let certificate, let key, let clientCA else {
                throw AdapterError.misconfigured(manifest.system, "mutual TLS: the simulator needs a server certificate, its key and the client CA")
            }
            return .mutualTLS(certificateFile: certificate, keyFile: key, clientCAFile: clientCA)
        case .none:
            return .none
        }
    }
}
