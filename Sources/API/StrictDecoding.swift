import AccordCore
import Foundation

/// Decodes a request body with `JSONDecoder` while recording which member of each object the
/// type actually read; any member present in the body that the type never asked for is an
/// unknown member (`api.unknown_member` with its path) — a misspelt `nationalty` must not be
/// dropped in silence. The wrapper forwards every call to Foundation's decoder and changes no
/// decoding rule.
enum StrictDecoding {
    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let recorder = MemberRecorder()
        let decoder = JSONDecoder()
        decoder.userInfo[MemberRecorder.key] = recorder
        let value = try decoder.decode(Recorded<T>.self, from: data).value
        if let unknown = recorder.unknownMembers().first {
            throw APIError(code: "api.unknown_member", reason: "\(unknown): no such member; check its spelling against the API description",
                           diagnostics: [Diagnostic(code: "api.unknown_member", message: "no such member", path: unknown)])
        }
        return value
    }
}

/// Which members were present and which were read, by object path.
final class MemberRecorder: @unchecked Sendable {
    static let key = CodingUserInfoKey(rawValue: "accord.memberRecorder")!
    private let lock = NSLock()
    private var present: [String: Set<String>] = [:]
    private var read: [String: Set<String>] = [:]

    func saw(_ keys: [String], at path: String) {
        lock.withLock { present[path, default: []].formUnion(keys) }
    }

    func read(_ key: String, at path: String) {
        lock.withLock { _ = read[path, default: []].insert(key) }
    }

    func unknownMembers() -> [String] {
        lock.withLock {
            present.flatMap { path, keys in keys.subtracting(read[path] ?? []).map { path.isEmpty ? $0 : "\(path).\($0)" } }.sorted()
        }
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.reduce(into: "") { text, key in
            if let index = key.intValue, key.stringValue.hasPrefix("Index") || key.stringValue == "\(index)" { text += "[\(index)]" } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
    }
}

struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        self.stringValue = "\(intValue)"
        self.intValue = intValue
    }
}

/// Decodes `Value` through a `RecordingDecoder`.
struct Recorded<Value: Decodable>: Decodable {
    let value: Value

    init(from decoder: any Decoder) throws {
        guard let recorder = decoder.userInfo[MemberRecorder.key] as? MemberRecorder else {
            value = try Value(from: decoder)
            return
        }
        value = try Value(from: RecordingDecoder(base: decoder, recorder: recorder))
    }
}

struct RecordingDecoder: Decoder {
    let base: any Decoder
    let recorder: MemberRecorder

    var codingPath: [any CodingKey] { base.codingPath }
    var userInfo: [CodingUserInfoKey: Any] { base.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let container = try base.container(keyedBy: type)
        if let all = try? base.container(keyedBy: AnyCodingKey.self) {
            recorder.saw(all.allKeys.map(\.stringValue), at: MemberRecorder.path(codingPath))
        }
        return KeyedDecodingContainer(RecordingKeyedContainer(base: container, recorder: recorder))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        RecordingUnkeyedContainer(base: try base.unkeyedContainer(), recorder: recorder)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        RecordingSingleValueContainer(base: try base.singleValueContainer(), decoder: self)
    }
}

struct RecordingKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let base: KeyedDecodingContainer<Key>
    let recorder: MemberRecorder

    var codingPath: [any CodingKey] { base.codingPath }
    var allKeys: [Key] { base.allKeys }

    private func note(_ key: Key) { recorder.read(key.stringValue, at: MemberRecorder.path(codingPath)) }

    func contains(_ key: Key) -> Bool {
        note(key)
        return base.contains(key)
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        note(key)
        return try base.decodeNil(forKey: key)
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        note(key)
        if isLeaf(type) { return try base.decode(type, forKey: key) }
        return try base.decode(Recorded<T>.self, forKey: key).value
    }

    /// An optional member is left out, never `null` (the API description has no nullable member).
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        note(key)
        if base.contains(key), try base.decodeNil(forKey: key) {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath + [key], debugDescription: "null is not a value; leave the member out"))
        }
        if isLeaf(type) { return try base.decodeIfPresent(type, forKey: key) }
        return try base.decodeIfPresent(Recorded<T>.self, forKey: key)?.value
    }

    // The standard library's defaults for these turn `null` into nil: refuse it like the generic one.
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try leafIfPresent(type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try leafIfPresent(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try leafIfPresent(type, key) }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try leafIfPresent(type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try leafIfPresent(type, key) }

    private func leafIfPresent<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        note(key)
        if base.contains(key), try base.decodeNil(forKey: key) {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath + [key], debugDescription: "null is not a value; leave the member out"))
        }
        return try base.decodeIfPresent(type, forKey: key)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        note(key)
        let nested = try base.nestedContainer(keyedBy: type, forKey: key)
        if let all = try? base.nestedContainer(keyedBy: AnyCodingKey.self, forKey: key) {
            recorder.saw(all.allKeys.map(\.stringValue), at: MemberRecorder.path(nested.codingPath))
        }
        return KeyedDecodingContainer(RecordingKeyedContainer<NestedKey>(base: nested, recorder: recorder))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        note(key)
        return RecordingUnkeyedContainer(base: try base.nestedUnkeyedContainer(forKey: key), recorder: recorder)
    }

    func superDecoder() throws -> any Decoder { RecordingDecoder(base: try base.superDecoder(), recorder: recorder) }
    func superDecoder(forKey key: Key) throws -> any Decoder {
        note(key)
        return RecordingDecoder(base: try base.superDecoder(forKey: key), recorder: recorder)
    }
}

struct RecordingUnkeyedContainer: UnkeyedDecodingContainer {
    var base: any UnkeyedDecodingContainer
    let recorder: MemberRecorder

    var codingPath: [any CodingKey] { base.codingPath }
    var count: Int? { base.count }
    var isAtEnd: Bool { base.isAtEnd }
    var currentIndex: Int { base.currentIndex }

    mutating func decodeNil() throws -> Bool { try base.decodeNil() }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        isLeaf(type) ? try base.decode(type) : try base.decode(Recorded<T>.self).value
    }
    mutating func decodeIfPresent<T: Decodable>(_ type: T.Type) throws -> T? {
        isLeaf(type) ? try base.decodeIfPresent(type) : try base.decodeIfPresent(Recorded<T>.self)?.value
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        KeyedDecodingContainer(RecordingKeyedContainer(base: try base.nestedContainer(keyedBy: type), recorder: recorder))
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        RecordingUnkeyedContainer(base: try base.nestedUnkeyedContainer(), recorder: recorder)
    }
    mutating func superDecoder() throws -> any Decoder { RecordingDecoder(base: try base.superDecoder(), recorder: recorder) }
}

struct RecordingSingleValueContainer: SingleValueDecodingContainer {
    let base: any SingleValueDecodingContainer
    let decoder: RecordingDecoder

    var codingPath: [any CodingKey] { base.codingPath }
    func decodeNil() -> Bool { base.decodeNil() }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try base.decode(type) }
}

/// Values without members, decoded by Foundation directly (and with its own rules for dates,
/// data, URLs and decimals).
private func isLeaf<T>(_ type: T.Type) -> Bool {
    type is String.Type || type is Bool.Type || type is Int.Type || type is Int64.Type || type is Int32.Type || type is UInt.Type
        || type is Double.Type || type is Float.Type || type is Date.Type || type is Data.Type || type is URL.Type || type is Decimal.Type
        || type is UUID.Type
}
