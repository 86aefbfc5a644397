public import Hummingbird
import Synchronization

/// Answers a request for a known path with a method it does not take with 405 and an `Allow`
/// header (RFC 9110 §15.5.6) instead of 404: `TRACE /health`, `DELETE /api/v1/cases/{n}`.
/// The route table is given once every route is registered (`RouteTable.set`).
public struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    public final class RouteTable: Sendable {
        private let routes = Mutex<[(method: String, segments: [Substring])]>([])

        public init() {}

        /// Every route as (method, path), paths with `{name}` or `:name` parameters.
        public func set(_ entries: [(method: String, path: String)]) {
            routes.withLock { $0 = entries.map { ($0.method, $0.path.split(separator: "/")) } }
        }

        func methods(for path: String) -> [String] {
            let segments = path.split(separator: "/")
            return routes.withLock { routes in
                routes.filter { route in
                    route.segments.count == segments.count && zip(route.segments, segments).allSatisfy { pattern, segment in
                        pattern == segment || pattern.hasPrefix("{") || pattern.hasPrefix(":") || pattern == "*"
                    }
                }.map(\.method)
            }
        }
    }

    let table: RouteTable

    public init(table: RouteTable) {
        self.table = table
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            guard response.status == .notFound, let refusal = refusal(request) else { return response }
            return refusal
        } catch let error as HTTPError where error.status == .notFound {
            if let refusal = refusal(request) { return refusal }
            throw error
        }
    }

    private func refusal(_ request: Request) -> Response? {
        var allowed = Set(table.methods(for: request.uri.path))
        guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { return nil }
        if allowed.contains("GET") { allowed.insert("HEAD") }
        var response = JSONResponse.error(APIError.methodNotAllowed)
        response.status = .methodNotAllowed
        response.headers[.allow] = allowed.sorted().joined(separator: ", ")
        return response
    }
}
