import AccordCore
public import Foundation

/// The kinds of national system a node can reach.
public enum AdapterKind: String, Sendable, Codable, CaseIterable {
    case nationalID = "national_id"
    case civilRegistry = "civil_registry"
    case border
    case police
}

/// A field of a person that an adapter may send to the system it reaches. A manifest lists the
/// ones its system needs; the kit removes every other field before the adapter sees the person.
public enum PersonField: String, Sendable, Codable, CaseIterable, Comparable {
    case nationalID = "nationalId"
    case givenNames
    case familyName
    case nativeName
    case dateOfBirth
    case placeOfBirth
    case sex
    case nationality
    case documents

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Everything a node knows about how to reach one external system: read from
/// `Adapters/<System>/manifest.yaml` (or an installation's own manifest folder) and validated
/// with file and line before the node starts.
public struct AdapterManifest: Sendable, Equatable {
    public enum Authentication: Sendable, Equatable {
        /// A client certificate and key (PEM files); `trustRoots` are the CA certificates the
        /// system's server certificate must chain to (the system's own CA, not the public ones).
        case mutualTLS(certificateFile: String, keyFile: String, trustRootsFile: String)
        /// OAuth 2.0 client credentials (RFC 6749 §4.4): a token from `tokenURL`, cached until it expires.
        case oauth2(tokenURL: String, clientID: String, secret: Secret, scope: String?)
        /// A key sent in a header on every request.
        case apiKey(header: String, key: Secret)
        /// Only for systems on a closed network segment that authenticate the caller otherwise.
        case none

        public var name: String {
            switch self {
            case .mutualTLS: "mutualTLS"
            case .oauth2: "oauth2"
            case .apiKey: "apiKey"
            case .none: "none"
            }
        }
    }

    /// Where a secret is: never in the manifest itself.
    public enum Secret: Sendable, Equatable {
        case file(String)
        case environment(String)

        /// The secret's value, trimmed; nil when the file or variable is missing or empty.
        public func value() -> String? {
            let text: String?
            switch self {
            case .file(let path): text = try? String(contentsOfFile: path, encoding: .utf8)
            case .environment(let name): text = ProcessInfo.processInfo.environment[name]
            }
            guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
            return trimmed
        }

        public var describedLocation: String {
            switch self {
            case .file(let path): "file \(path)"
            case .environment(let name): "environment variable \(name)"
            }
        }
    }

    public struct Timeouts: Sendable, Equatable {
        /// Opening a connection.
        public var connect: Duration
        /// One attempt, from sending to the last byte of the answer.
        public var request: Duration
        /// Every attempt and back-off together: what a caller waits at most.
        public var total: Duration

        public init(connect: Duration = .seconds(2), request: Duration = .seconds(5), total: Duration = .seconds(12)) {
            self.connect = connect
            self.request = request
            self.total = total
        }
    }

    public struct Retries: Sendable, Equatable {
        /// Attempts in all (1: no retry).
        public var attempts: Int
        public var initialBackoff: Duration
        public var maximumBackoff: Duration

        public init(attempts: Int = 3, initialBackoff: Duration = .milliseconds(100), maximumBackoff: Duration = .seconds(2)) {
            self.attempts = attempts
            self.initialBackoff = initialBackoff
            self.maximumBackoff = maximumBackoff
        }
    }

    public struct Breaker: Sendable, Equatable {
        /// Consecutive failed calls that open the breaker.
        public var failureThreshold: Int
        /// How long it stays open before one trial call is let through.
        public var openFor: Duration

        public init(failureThreshold: Int = 5, openFor: Duration = .seconds(30)) {
            self.failureThreshold = failureThreshold
            self.openFor = openFor
        }
    }

    public struct RateLimit: Sendable, Equatable {
        public var perSecond: Double
        public var burst: Int

        public init(perSecond: Double = 20, burst: Int = 40) {
            self.perSecond = perSecond
            self.burst = burst
        }
    }

    /// A short name used in metrics, audit entries and messages (`mar-national-id`).
    public var system: String
    public var kind: AdapterKind
    /// For people: "Morocco — national ID register (MOSIP)".
    public var name: String
    public var baseURL: URL
    public var authentication: Authentication
    public var timeouts: Timeouts
    public var retries: Retries
    public var breaker: Breaker
    public var rateLimit: RateLimit
    /// How long an answer is reused for the same question; zero: never.
    public var cacheFor: Duration
    /// Data minimisation: the only person fields sent.
    public var fields: Set<PersonField>
    /// System-specific settings (a MOSIP partner ID, an OpenCRVS receiver ID …), validated by the adapter.
    public var settings: [String: String]

    public init(
        system: String, kind: AdapterKind, name: String, baseURL: URL, authentication: Authentication, timeouts: Timeouts = Timeouts(), retries: Retries = Retries(),
        breaker: Breaker = Breaker(), rateLimit: RateLimit = RateLimit(), cacheFor: Duration = .zero, fields: Set<PersonField>, settings: [String: String] = [:]
    ) {
        self.system = system
        self.kind = kind
        self.name = name
        self.baseURL = baseURL
        self.authentication = authentication
        self.timeouts = timeouts
        self.retries = retries
        self.breaker = breaker
        self.rateLimit = rateLimit
        self.cacheFor = cacheFor
        self.fields = fields
        self.settings = settings
    }

    /// `baseURL` joined with `path` (which starts with `/`).
    public func url(_ path: String) -> String {
        var base = baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return base + path
    }
}
