public import AccordCore
import Foundation
public import Hummingbird
import Exchange
import NIOCore

/// JSON answers of the federation port, and its error envelope `{"error": {"code", "message"}}`.
enum FederationResponses {
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = Timestamp.encodingStrategy
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    static func bytes(_ bytes: [UInt8], contentType: String) -> Response {
        Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    struct ErrorBody: Codable {
        struct Detail: Codable {
            let code: String
            let message: String
        }

        let error: Detail
    }

    static func error(_ error: any Error) -> Response {
        let accord = error as? any AccordError
        let code = accord?.code ?? "gateway.internal"
        let message = accord?.reason ?? "internal error"
        let status = HTTPResponse.Status(code: accord?.category.httpStatusCode ?? 500)
        return (try? json(ErrorBody(error: .init(code: code, message: message)), status: status)) ?? Response(status: .internalServerError)
    }
}

/// Turns every thrown error of a federation route into the JSON error envelope.
struct FederationErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return FederationResponses.error(GatewayError.payloadTooLarge)
        } catch is NIOTooManyBytesError {
            return FederationResponses.error(GatewayError.payloadTooLarge)
        } catch let error as HTTPError {
            throw error
        } catch {
            return FederationResponses.error(error)
        }
    }
}
