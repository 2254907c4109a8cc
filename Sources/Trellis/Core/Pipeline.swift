/// The top-level value of a Trellis app: middleware composed at compile time, ending in a responder.
///
/// A pipeline takes a `Request` and always yields a `Response`: an `HTTPError` thrown anywhere becomes
/// its own response, any other error a bare `500 Internal Server Error`.
///
/// ```swift
/// let app = Pipeline {
///     ProcessTime()
///     CORS(allowOrigins: ["https://example.com"], expose: ["X-Process-Time"])
///     Router {
///         Get("/") { _ in "Hello, World!" }
///     }
/// }
/// let response = await app.respond(to: Request(method: .get, target: "/"))
/// print(app) // the middleware order and the route table
/// ```
public struct Pipeline<Content: Responder>: Responder, CustomStringConvertible
where Content.Input == Request, Content.Output == Response {
    /// What this step takes.
    public typealias Input = Request
    /// What this step returns.
    public typealias Output = Response

    /// The composed middleware and responder.
    public let content: Content
    /// What the pipeline is made of (middleware order, routes, declared headers).
    public let composition: PipelineDescription

    /// Builds a pipeline from a block of middleware ending in a `Router` or other responder.
    ///
    /// ```swift
    /// let app = Pipeline { ProcessTime(); Router { Get("/") { _ in "hi" } } }
    /// ```
    @inlinable public init(@MiddlewareBuilder<Request> _ content: () -> Content) {
        self.init(content: content())
    }

    /// Wraps an already composed responder.
    public init(content: Content) {
        self.content = content
        var composition = PipelineDescription()
        content.describe(into: &composition)
        self.composition = composition
    }

    /// Runs the request through the pipeline; never throws.
    ///
    /// ```swift
    /// let response = await app.respond(to: Request(method: .get, target: "/"))
    /// ```
    @inlinable public func respond(to request: Request) async -> Response {
        do {
            return try await content.respond(to: request)
        } catch {
            return Response(error: error)
        }
    }

    /// Warnings about the composition, e.g. a header `CORS` exposes that no middleware declares it sets.
    ///
    /// ```swift
    /// for warning in app.diagnostics { print("warning:", warning) }
    /// ```
    public var diagnostics: [String] { composition.diagnostics }

    /// The middleware order, the route table and any warnings, one per line.
    public var description: String { composition.description }

    /// Describes the content.
    public func describe(into description: inout PipelineDescription) { content.describe(into: &description) }
}
