public import Foundation

/// A typed identifier: `Identifier<Case>` and `Identifier<Person>` are different types, so an API
/// can never be handed the wrong kind of ID. Encoded as the lowercase UUID string.
public struct Identifier<Owner>: Hashable, Sendable, Comparable {
    public let uuid: UUID

    public init(_ uuid: UUID = UUID()) {
        self.uuid = uuid
    }

    /// Parses the canonical textual form; returns nil for anything else.
    public init?(_ text: String) {
        guard let uuid = UUID(uuidString: text) else { return nil }
        self.uuid = uuid
    }

    public var rawValue: String { uuid.uuidString.lowercased() }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension Identifier: CustomStringConvertible {
    public var description: String { rawValue }
}

extension Identifier: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = Identifier(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a UUID: \(text.prefix(64))")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Produces identifiers; injected so tests can make them deterministic.
public protocol IdentifierGenerator: Sendable {
    func next() -> UUID
}

public struct RandomIdentifierGenerator: IdentifierGenerator {
    public init() {}
    public func next() -> UUID { UUID() }
}
