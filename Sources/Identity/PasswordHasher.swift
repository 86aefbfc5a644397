import HummingbirdBcrypt

/// Slow, salted password hashing behind a protocol (tests use a low cost).
public protocol PasswordHasher: Sendable {
    func hash(_ password: String) -> String
    func verify(_ password: String, hash: String) -> Bool
}

/// bcrypt from hummingbird-auth.
public struct BcryptPasswordHasher: PasswordHasher {
    public let cost: UInt8

    public init(cost: UInt8 = 12) {
        self.cost = cost
    }

    public func hash(_ password: String) -> String { Bcrypt.hash(password, cost: cost) }
    public func verify(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }
}
