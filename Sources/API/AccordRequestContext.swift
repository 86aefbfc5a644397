public import Hummingbird

/// The request context of a node. Callers are resolved per request from the bearer token
/// (`CaseworkAPI.caller`) or the console session.
public struct AccordRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: Source) {
        self.coreContext = .init(source: source)
    }

    /// JSON bodies larger than this are refused; document uploads have their own limit.
    public var maxUploadSize: Int { Self.maximumJSONBytes }

    public static let maximumJSONBytes = 1024 * 1024
}
