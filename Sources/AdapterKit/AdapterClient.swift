import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// A request an adapter wants sent, relative to the manifest's base URL.
public struct AdapterRequest: Sendable {
    public var method: String
    /// Path and query, starting with `/`.
    public var path: String
    public var headers: [(String, String)]
    public var body: [UInt8]?

    public init(method: String = "GET", path: String, headers: [(String, String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }

    /// A POST of `value` as JSON.
    public static func json(_ path: String, _ value: some Encodable, headers: [(String, String)] = []) throws -> AdapterRequest {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return AdapterRequest(method: "POST", path: path, headers: headers + [("Content-Type", "application/json")], body: Array(try encoder.encode(value)))
    }
}

/// What the system answered.
public struct AdapterResponse: Sendable {
    public let status: Int
    public let body: [UInt8]

    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }

    /// A 200 answer as `type`; any other status is `adapter.request_rejected` with the system's
    /// own problem (`AdapterProblem`) when it sent one.
    public func answer<T: Decodable>(_ type: T.Type, system: String) throws -> T {
        guard status == 200 else {
            let problem = try? decode(AdapterProblem.self, system: system)
            throw AdapterError.rejected(system, problem.map { "\($0.code): \($0.message)" } ?? "HTTP \(status)")
        }
        return try decode(type, system: system)
    }

    /// The body as `type`, or `adapter.bad_response` naming the system.
    public func decode<T: Decodable>(_ type: T.Type, system: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(body))
        } catch {
            throw AdapterError.badResponse(system, "HTTP \(status), \(body.count) bytes that are not the expected JSON (\(String(describing: error).prefix(160)))")
        }
    }
}

/// The problem body the border and police systems (and their simulators) answer with.
public struct AdapterProblem: Codable, Sendable, Equatable {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}

/// One external system as the node reaches it: the manifest's authentication, timeouts,
/// retries, breaker, rate limit, cache and data minimisation around every call, each call
/// audited and measured. Adapters build requests and read answers; nothing else.
public final class AdapterClient: Sendable {
    public let manifest: AdapterManifest
    public let breaker: CircuitBreaker
    let limiter: RateLimiter
    let cache: ResponseCache
    let audit: any AdapterAuditSink
    let metrics: AdapterMetrics
    let tls: TLSConfiguration?
    /// The API key or OAuth client secret, read once from where the manifest says.
    let secret: String?
    let configurationProblem: AdapterError?
    private let token = Mutex<(value: String, expires: ContinuousClock.Instant)?>(nil)

    /// One HTTP client for every adapter of the process: no redirects (an answer never sends
    /// personal data elsewhere), connection pooling and keep-alive.
    static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5)))
        configuration.connectionPool = .init(idleTimeout: .seconds(30))
        // A refused connection fails the attempt at once; the manifest's retries and breaker
        // decide what happens next (AsyncHTTPClient would otherwise retry until the deadline).
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    public init(manifest: AdapterManifest, audit: any AdapterAuditSink, metrics: AdapterMetrics = AdapterMetrics()) {
        self.manifest = manifest
        self.breaker = CircuitBreaker(manifest.breaker)
        self.limiter = RateLimiter(manifest.rateLimit)
        self.cache = ResponseCache(lifetime: manifest.cacheFor)
        self.audit = audit
        self.metrics = metrics
        var problem: AdapterError?
        var tls: TLSConfiguration?
        var secret: String?
        switch manifest.authentication {
        case .apiKey(_, let location), .oauth2(_, _, let location, _):
            secret = location.value()
            if secret == nil { problem = .misconfigured(manifest.system, "the secret (\(location.describedLocation)) is missing or empty") }
        default:
            break
        }
        if case .mutualTLS(let certificateFile, let keyFile, let trustRootsFile) = manifest.authentication {
            do {
                var configuration = TLSConfiguration.makeClientConfiguration()
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificateFile).map { .certificate($0) }
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(trustRootsFile))
                configuration.minimumTLSVersion = .tlsv12
                tls = configuration
            } catch {
                problem = .misconfigured(manifest.system, "the client certificate, key or trust roots cannot be read (\(error))")
            }
        }
        self.tls = tls
        self.secret = secret
        self.configurationProblem = problem
        metrics.breaker(manifest.system, .closed)
    }

    public var system: String { manifest.system }

    /// Runs one check: `fields` are the person fields the request carries (they must be allowed
    /// by the manifest — the subject was minimised before), `cacheKey` names the question when
    /// its answer may be reused. `request` is built afresh for every attempt.
    public func call<Answer: Sendable>(
        _ check: String, context: AdapterCallContext, sent fields: Set<PersonField>, cacheKey: String? = nil,
        request: @Sendable () throws -> AdapterRequest, decode: @Sendable (AdapterResponse) throws -> Answer
    ) async -> Result<Answer, AdapterError> {
        let started = ContinuousClock.now
        let result: Result<Answer, AdapterError>
        var cached = false
        if let problem = configurationProblem {
            result = .failure(problem)
        } else if !fields.isSubset(of: manifest.fields) {
            result = .failure(.misconfigured(system, "the request would send \(fields.subtracting(manifest.fields).sorted().map(\.rawValue).joined(separator: ", ")), which the manifest does not allow"))
        } else if let key = cacheKey, let response = cache.lookup(key) {
            cached = true
            result = Self.decoded(response, system: system, decode)
        } else {
            result = await attempts(cacheKey: cacheKey, request: request, decode: decode)
        }
        let elapsed = ContinuousClock.now - started
        metrics.call(system, outcome: Self.label(result), cached: cached, elapsed: elapsed)
        metrics.breaker(system, breaker.state)
        await audit.record(AdapterCallRecord(
            system: system, kind: manifest.kind, check: check, context: context, fieldsSent: fields.sorted(), outcome: Self.label(result),
            problem: result.failure?.code, cached: cached, milliseconds: Int(elapsed.milliseconds)
        ))
        return result
    }

    private func attempts<Answer: Sendable>(
        cacheKey: String?, request: @Sendable () throws -> AdapterRequest, decode: @Sendable (AdapterResponse) throws -> Answer
    ) async -> Result<Answer, AdapterError> {
        let deadline = ContinuousClock.now + manifest.timeouts.total
        if case .refused(let wait) = breaker.admit() { return .failure(.circuitOpen(system, until: wait)) }
        guard let wait = limiter.reserve(within: deadline - .now) else {
            breaker.neutral()
            return .failure(.rateLimited(system))
        }
        if wait > .zero { try? await Task.sleep(for: wait) }
        var attempt = 0
        var refreshedToken = false
        while true {
            attempt += 1
            let remaining = deadline - .now
            let budget = min(manifest.timeouts.request, remaining)
            let outcome: Result<AdapterResponse, AdapterError>
            do {
                outcome = .success(try await send(try request(), within: budget))
            } catch let error as AdapterError {
                outcome = .failure(error)
            } catch {
                outcome = .failure(.misconfigured(system, "the request could not be built (\(error))"))
            }
            let failure: AdapterError
            switch outcome {
            case .success(let response) where response.status == 401 && !refreshedToken && isOAuth2:
                // An expired or revoked token: fetch a new one once.
                refreshedToken = true
                token.withLock { $0 = nil }
                attempt -= 1
                continue
            case .success(let response):
                guard let refused = Self.classify(response, system: system) else {
                    let result = Self.decoded(response, system: system, decode)
                    switch result {
                    case .success:
                        breaker.succeeded()
                        if let cacheKey { cache.store(response, for: cacheKey) }
                    case .failure(let error):
                        error.countsAgainstSystem ? breaker.failed() : breaker.succeeded()
                    }
                    return result
                }
                failure = refused
            case .failure(let error):
                failure = error
            }
            if failure.isRetryable, attempt < manifest.retries.attempts, deadline - .now > .milliseconds(10) {
                try? await Task.sleep(for: min(backoff(attempt: attempt, manifest.retries), deadline - .now))
                continue
            }
            failure.countsAgainstSystem ? breaker.failed() : breaker.neutral()
            return .failure(failure)
        }
    }

    var isOAuth2: Bool {
        if case .oauth2 = manifest.authentication { return true }
        return false
    }

    /// Statuses that are failures whatever the adapter: credentials refused, quota, server trouble.
    static func classify(_ response: AdapterResponse, system: String) -> AdapterError? {
        switch response.status {
        case 401, 403: .unauthorized(system, "HTTP \(response.status)")
        case 429: .quotaExceeded(system, "HTTP 429")
        case 500...599: .serverError(system, status: response.status)
        default: nil
        }
    }

    static func decoded<Answer>(_ response: AdapterResponse, system: String, _ decode: (AdapterResponse) throws -> Answer) -> Result<Answer, AdapterError> {
        do {
            return .success(try decode(response))
        } catch let error as AdapterError {
            return .failure(error)
        } catch {
            return .failure(.badResponse(system, String(describing: error)))
        }
    }

    static func label<Answer>(_ result: Result<Answer, AdapterError>) -> String {
        switch result {
        case .success: "answered"
        case .failure(let error): error.code.replacingOccurrences(of: "adapter.", with: "")
        }
    }

    /// One HTTP exchange within `budget`, with the manifest's authentication.
    func send(_ request: AdapterRequest, within budget: Duration) async throws -> AdapterResponse {
        guard budget > .zero else { throw AdapterError.timeout(system, after: manifest.timeouts.total) }
        let started = ContinuousClock.now
        var outgoing = HTTPClientRequest(url: manifest.url(request.path))
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        outgoing.headers.replaceOrAdd(name: "User-Agent", value: "Accord adapter (\(system))")
        switch manifest.authentication {
        case .apiKey(let header, _):
            outgoing.headers.replaceOrAdd(name: header, value: secret ?? "")
        case .oauth2:
            let token = try await accessToken(within: budget)
            outgoing.headers.replaceOrAdd(name: "Authorization", value: "Bearer \(token)")
        case .mutualTLS:
            outgoing.tlsConfiguration = tls
        case .none:
            break
        }
        if let body = request.body { outgoing.body = .bytes(body) }
        return try await exchange(outgoing, within: budget - (ContinuousClock.now - started))
    }

    /// Sends and reads the whole answer (at most 4 MiB) before the deadline.
    func exchange(_ request: HTTPClientRequest, within budget: Duration) async throws -> AdapterResponse {
        let system = self.system
        let timeout = manifest.timeouts.request
        do {
            return try await withThrowingTaskGroup(of: AdapterResponse.self) { group in
                group.addTask {
                    let response = try await Self.http.execute(request, deadline: .now() + .milliseconds(budget.milliseconds))
                    let body = try await response.body.collect(upTo: 4 << 20)
                    return AdapterResponse(status: Int(response.status.code), body: Array(buffer: body))
                }
                group.addTask {
                    try await Task.sleep(for: budget)
                    throw AdapterError.timeout(system, after: timeout)
                }
                defer { group.cancelAll() }
                guard let first = try await group.next() else { throw AdapterError.timeout(system, after: timeout) }
                return first
            }
        } catch let error as AdapterError {
            throw error
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw AdapterError.timeout(system, after: timeout)
        } catch is CancellationError {
            throw AdapterError.timeout(system, after: timeout)
        } catch {
            throw AdapterError.unavailable(system, Self.describe(error))
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return String(describing: error) }
        if let error = error as? NIOSSLError { return "TLS: \(error)" }
        if let error = error as? IOError { return error.description }
        return String(describing: error).prefix(200).description
    }

    /// The OAuth 2.0 client-credentials token, fetched when missing or within 30 s of expiry.
    func accessToken(within budget: Duration) async throws -> String {
        guard case .oauth2(let tokenURL, let clientID, _, let scope) = manifest.authentication, let clientSecret = secret else { return "" }
        if let current = token.withLock({ $0 }), current.expires > .now + .seconds(30) { return current.value }
        var form = URLComponents()
        form.queryItems = [URLQueryItem(name: "grant_type", value: "client_credentials"), URLQueryItem(name: "client_id", value: clientID),
                           URLQueryItem(name: "client_secret", value: clientSecret)] + (scope.map { [URLQueryItem(name: "scope", value: $0)] } ?? [])
        let encoded = (form.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        var request = HTTPClientRequest(url: tokenURL.hasPrefix("/") ? manifest.url(tokenURL) : tokenURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(Array(encoded.utf8))
        let response = try await exchange(request, within: budget)
        struct TokenAnswer: Decodable {
            let access_token: String
            let expires_in: Int?
        }
        switch response.status {
        case 200:
            let answer = try response.decode(TokenAnswer.self, system: system)
            token.withLock { $0 = (answer.access_token, .now + .seconds(answer.expires_in ?? 300)) }
            return answer.access_token
        case 400, 401, 403:
            throw AdapterError.unauthorized(system, "the token endpoint refused client \(clientID) (HTTP \(response.status))")
        default:
            if let failure = Self.classify(response, system: system) { throw failure }
            throw AdapterError.badResponse(system, "the token endpoint answered HTTP \(response.status)")
        }
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
