public import AccordCore
import Foundation
import SQLKit

extension SQLRow {
    func text(_ column: String) throws -> String {
        try decode(column: column, as: String.self)
    }

    func optionalText(_ column: String) throws -> String? {
        try decodeNil(column: column) ? nil : decode(column: column, as: String.self)
    }

    func integer(_ column: String) throws -> Int {
        try decode(column: column, as: Int.self)
    }

    func optionalInteger(_ column: String) throws -> Int? {
        try decodeNil(column: column) ? nil : integer(column)
    }

    func date(_ column: String) throws -> Date {
        Date(millisecondsSince1970: try decode(column: column, as: Int64.self))
    }

    func optionalDate(_ column: String) throws -> Date? {
        try decodeNil(column: column) ? nil : date(column)
    }

    /// Decodes a value that must parse, or reports the stored record as corrupt.
    func parsed<T>(_ column: String, _ parse: (String) -> T?) throws -> T {
        let raw = try text(column)
        guard let value = parse(raw) else { throw StorageError.corruptRecord("\(column) = '\(raw.prefix(40))'") }
        return value
    }

    func optionalParsed<T>(_ column: String, _ parse: (String) -> T?) throws -> T? {
        guard let raw = try optionalText(column) else { return nil }
        guard let value = parse(raw) else { throw StorageError.corruptRecord("\(column) = '\(raw.prefix(40))'") }
        return value
    }
}

extension Array {
    /// Splits into runs of at most `size` elements (to keep IN lists and VALUES lists bounded).
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

enum JSONCoding {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StorageError.corruptRecord("\(T.self): \(error)")
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self {
        case .some(let value): try await transform(value)
        case .none: nil
        }
    }
}
