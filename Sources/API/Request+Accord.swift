public import AccordCore
public import Casework
import Foundation
public import HTTPTypes
public import Hummingbird
import Exchange

extension Request {
    /// The bearer token of the `Authorization` header.
    var bearerToken: String? {
        guard let header = headers[.authorization], header.lowercased().hasPrefix("bearer ") else { return nil }
        return String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }

    /// The `X-Accord-Purpose` header: why the caller reads personal data.
    var purpose: String? { headers[HTTPField.Name.accordPurpose].map { String($0.prefix(200)) } }

    /// The client address as forwarded by the reverse proxy in front of the node.
    var origin: String {
        headers[.xForwardedFor].flatMap { $0.split(separator: ",").first.map { String($0.trimmingCharacters(in: .whitespaces).prefix(64)) } } ?? "api"
    }

    /// Decodes a JSON body into `T`, mapping every failure to a stable code with the field path.
    func decodeJSON<T: Decodable>(_ type: T.Type, context: some RequestContext) async throws -> T {
        try Self.decodeJSON(type, from: try await jsonBody())
    }

    /// The body, checked to be one well-formed JSON document within the limits (no member twice).
    func jsonBody() async throws -> Data {
        if let contentType = headers[.contentType], !contentType.lowercased().hasPrefix("application/json") {
            throw APIError.unsupportedMediaType(contentType)
        }
        let buffer = try await body.collect(upTo: AccordRequestContext.maximumJSONBytes)
        let data = Data(buffer.readableBytesView)
        guard !data.isEmpty else { throw APIError.malformedJSON("the body is empty") }
        do {
            try StrictJSON.validate(Array(data), limits: JSONLimits(maximumBytes: AccordRequestContext.maximumJSONBytes, maximumDepth: 32))
        } catch where error.code == "exchange.json_duplicate_key" {
            let path = error.diagnostics.first?.path ?? ""
            throw APIError(code: "api.duplicate_member", reason: "\(path): the member appears twice; send it once",
                           diagnostics: [Diagnostic(code: "api.duplicate_member", message: "the member appears twice", path: path)])
        } catch {
            throw APIError.malformedJSON(error.reason)
        }
        return data
    }

    /// `data` as `type`, every member known (`api.unknown_member`), every mistake with its path.
    static func decodeJSON<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try StrictDecoding.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw APIError.from(error)
        }
    }

    /// Refuses query parameters the endpoint does not define (`api.unknown_parameter`): a
    /// misspelt filter must not be ignored in silence.
    func requireOnlyQuery(_ names: Set<String>) throws {
        for (name, _) in uri.queryParameters where !names.contains(String(name)) {
            throw APIError(code: "api.unknown_parameter", reason: "\(name.prefix(40)): no such query parameter",
                           diagnostics: [Diagnostic(code: "api.unknown_parameter", message: "no such query parameter", path: String(name.prefix(40)))])
        }
    }

    /// A query parameter that must parse when present.
    /// Present but empty (`?personID=`) is an error too, never "no filter".
    func query<T>(_ name: String, code: String, expected: String, _ parse: (String) -> T?) throws -> T? {
        guard let raw = uri.queryParameters[name[...]].map(String.init) else { return nil }
        guard let value = parse(raw) else {
            throw CaseworkError.invalid([Diagnostic(code: code, message: "\(name): '\(raw.prefix(40))' is not \(expected)", path: name)])
        }
        return value
    }

    func queryInt(_ name: String, range: ClosedRange<Int>) throws -> Int? {
        guard let raw = uri.queryParameters[name[...]].map(String.init) else { return nil }
        guard let value = Int(raw), range.contains(value) else {
            throw APIError.invalidParameter(name, "expected an integer in \(range.lowerBound)…\(range.upperBound)")
        }
        return value
    }

    func queryText(_ name: String) -> String? {
        uri.queryParameters[name[...]].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
    }
}

extension APIError {
    static func from(_ error: DecodingError) -> APIError {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.reduce(into: "") { result, key in
                if let index = key.intValue { result += "[\(index)]" } else { result += result.isEmpty ? key.stringValue : ".\(key.stringValue)" }
            }
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return .malformedJSON(context.debugDescription)
        case .dataCorrupted(let context):
            return .invalidJSON(path: path(context), context.debugDescription)
        case .typeMismatch(let type, let context):
            return .invalidJSON(path: path(context), "expected \(Self.jsonType(type))")
        case .valueNotFound(let type, let context):
            return .invalidJSON(path: path(context), "expected \(Self.jsonType(type)), found null")
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return .invalidJSON(path: parent.isEmpty ? key.stringValue : "\(parent).\(key.stringValue)", "is required")
        @unknown default:
            return .malformedJSON("undecodable")
        }
    }

    private static func jsonType(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "an integer"
        case is Bool.Type: "true or false"
        default: type is any Collection.Type ? "an array" : "an object"
        }
    }
}

extension HTTPField.Name {
    static let accordPurpose = HTTPField.Name("X-Accord-Purpose")!
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}

extension Parameters {
    /// A path parameter that is a case number, checked including its check character.
    /// The API takes case numbers in their canonical form only (`ASY-2026-000042-0`); the
    /// console is the place that forgives lower case and spaces.
    func caseNumber() throws -> CaseNumber {
        let raw = get("caseNumber") ?? ""
        guard raw == raw.uppercased(), !raw.contains(where: \.isWhitespace) else { throw CaseworkError.invalidCaseNumber(raw) }
        return try CaseNumber(parsing: raw)
    }

    func identifier<Owner>(_ name: String, as type: Identifier<Owner>.Type, notFound: (String) -> CaseworkError) throws -> Identifier<Owner> {
        let raw = get(name) ?? ""
        guard let id = Identifier<Owner>(raw) else { throw notFound(raw) }
        return id
    }
}
