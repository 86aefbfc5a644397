import HummingbirdBcrypt
import Synchronization

/// Slow, salted password hashing behind a protocol (tests use a low cost).
public protocol PasswordHasher: Sendable {
    func hash(_ password: String) -> String
    func verify(_ password: String, hash: String) -> Bool
    /// A valid hash at the hasher's own cost, verified for unknown users so that a sign-in
    /// takes as long whether or not the account exists.
    var decoyHash: String { get }
}

/// bcrypt from hummingbird-auth.
public struct BcryptPasswordHasher: PasswordHasher {
    public let cost: UInt8

    public init(cost: UInt8 = 12) {
        self.cost = cost
    }

    public func hash(_ password: String) -> String { Bcrypt.hash(password, cost: cost) }
    public func verify(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }

    public var decoyHash: String {
        if let hash = Self.decoys.withLock({ $0[cost] }) { return hash }
        let hash = Bcrypt.hash(Self.randomSecret(), cost: cost)
        Self.decoys.withLock { $0[cost] = hash }
        return hash
    }

    private static let decoys = Mutex<[UInt8: String]>([:])

    private static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<24).map { _ in Character(Unicode.Scalar(UInt8.random(in: 97...122, using: &generator))) })
    }
}
