import AccordServer
import AccordTesting
import Foundation
import Hummingbird
import Testing
import Yams

/// Docs/openapi.yaml and the router describe the same endpoints: none undocumented, none missing.
@Suite struct OpenAPIConformanceTests {
    static var specification: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Docs/openapi.yaml")
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteExists() async throws {
        let yaml = try String(contentsOf: Self.specification, encoding: .utf8)
        let document = try #require(try Yams.load(yaml: yaml) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: Any])
        let methods = Set(["get", "put", "post", "patch", "delete", "head", "options"])
        var documented: Set<String> = []
        for (path, item) in paths {
            for key in (item as? [String: Any] ?? [:]).keys where methods.contains(key) {
                documented.insert("\(key.uppercased()) \(path)")
            }
        }
        let implemented: Set<String> = try await TestDatabase.sqlite.withNode { node in
            let router = try await node.makeRouter()
            return Set(router.routes.map { "\($0.method.rawValue) \(Self.normalise($0.path.description))" }
                .filter { $0.contains("/api/") || $0.hasSuffix("/health") })
        }
        #expect(implemented.subtracting(documented).isEmpty, "undocumented: \(implemented.subtracting(documented).sorted())")
        #expect(documented.subtracting(implemented).isEmpty, "documented but missing: \(documented.subtracting(implemented).sorted())")
        #expect(implemented.count >= 15)
    }

    /// Hummingbird prints parameters as `{name}` or `:name`; OpenAPI uses `{name}`.
    static func normalise(_ path: String) -> String {
        let withSlash = path.hasPrefix("/") ? path : "/" + path
        return withSlash.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
        }.joined(separator: "/")
    }
}
