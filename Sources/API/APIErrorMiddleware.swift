public import AccordCore
import Exchange
import Foundation
public import Hummingbird
import Logging
import NIOCore

/// Turns every error thrown below it into a JSON error response with a stable code:
/// `{"error": {"code": "...", "message": "...", "details": [...]}}`. Internal errors are logged
/// with the request ID and answered without detail, so nothing leaks.
///
/// Installed on the whole router (so that unknown endpoints under the prefix also answer in JSON)
/// and active only for paths under `pathPrefix`.
public struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    public let pathPrefix: String

    public init(pathPrefix: String = "/api/") {
        self.pathPrefix = pathPrefix
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix(pathPrefix) else { return try await next(request, context) }
        do {
            return try await next(request, context)
        } catch {
            let mapped = Self.map(error)
            if mapped.category == .internal {
                context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            }
            return JSONResponse.error(mapped)
        }
    }

    static func map(_ error: any Error) -> any AccordError {
        switch error {
        case let error as any AccordError:
            return error
        case is NIOTooManyBytesError:
            return APIError.payloadTooLarge(limit: AccordRequestContext.maximumJSONBytes)
        case let error as HTTPError where error.status == .notFound:
            return APIError.notFound
        case let error as HTTPError where error.status == .methodNotAllowed:
            return APIError.methodNotAllowed
        case let error as HTTPError where error.status == .contentTooLarge:
            return APIError.payloadTooLarge(limit: AccordRequestContext.maximumJSONBytes)
        case let error as HTTPError where (400..<500).contains(error.status.code):
            return APIError(code: "api.bad_request", reason: error.body ?? error.status.reasonPhrase)
        default:
            return APIError.internalError
        }
    }
}

/// JSON responses with Accord's encoding (ISO 8601 times with milliseconds, sorted keys).
public enum JSONResponse {
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Whole milliseconds, exactly (a signed decision's times must read back to the same value).
        encoder.dateEncodingStrategy = Timestamp.encodingStrategy
        return encoder
    }()

    public static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    public static func error(_ error: any AccordError) -> Response {
        let body = ErrorBody(error: .init(
            code: error.code,
            message: error.reason,
            details: error.diagnostics.isEmpty ? nil : error.diagnostics.map { .init(code: $0.code, message: $0.message, path: $0.path) }
        ))
        var response = (try? make(body, status: error.category.httpStatus)) ?? Response(status: .internalServerError)
        if error.category == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer realm=\"accord\"" }
        return response
    }

    struct ErrorBody: Encodable {
        struct Detail: Encodable {
            let code: String
            let message: String
            let path: String?
        }

        struct Content: Encodable {
            let code: String
            let message: String
            let details: [Detail]?
        }

        let error: Content
    }
}
