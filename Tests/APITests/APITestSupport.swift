import AccordServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A decoded JSON response: the status, and the body as a loose JSON object for assertions.
struct JSONReply {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let bytes: [UInt8]

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:]
    }

    var errorCode: String? {
        (json["error"] as? [String: Any])?["code"] as? String
    }

    subscript(key: String) -> Any? { json[key] }
}

extension TestClientProtocol {
    func call(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil, bytes: [UInt8]? = nil, contentType: String? = nil, user: String? = "k.novak") async throws -> JSONReply {
        var headers: HTTPFields = [:]
        if let user { headers[HTTPField.Name("X-Accord-User")!] = user }
        if json != nil { headers[.contentType] = contentType ?? "application/json" }
        if bytes != nil, let contentType { headers[.contentType] = contentType }
        let body: ByteBuffer? = json.map { ByteBuffer(string: $0) } ?? bytes.map { ByteBuffer(bytes: $0) }
        return try await execute(uri: uri, method: method, headers: headers, body: body) { response in
            JSONReply(status: response.status, headers: response.headers, bytes: Array(response.body.readableBytesView))
        }
    }
}

extension AccordNode {
    /// Runs `body` with an in-process test client of this node's full router.
    func withClient<T: Sendable>(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        let application = Application(router: try await makeRouter())
        return try await application.test(.router) { client in try await body(client) }
    }
}

func jsonString(_ object: Any) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
}

let personJSON = """
    {"name": {"given": "Ahmad", "family": "Karimi"}, "nativeNames": [{"script": "Arab", "given": "احمد", "family": "کریمی"}],
     "dateOfBirth": "1987-03", "sex": "M", "nationality": "AFG",
     "identityDocuments": [{"kind": "passport", "number": "P0123 4567", "issuingCountry": "AFG", "expiresOn": "2030-04-30"}]}
    """
