/// A middleware written as a closure, like FastAPI's `@app.middleware("http")`: it receives the
/// request and `next` (`call_next`), may act before and after calling it, and returns the response.
///
/// It works at any position: the closure sees the `Request` carried by whatever input flows there.
/// `next` is a non-escaping closure, so it cannot be stored or called after the middleware returns.
/// A closure costs an indirect call per request; write a `PassThroughMiddleware` struct where that matters.
///
/// ```swift
/// Pipeline {
///     Intercept { request, next in
///         var response = try await next(request)
///         response.headers["X-Powered-By"] = "Trellis"
///         return response
///     }
///     Router { Get("/") { _ in "Hello" } }
/// }
/// ```
public struct Intercept: PassThroughMiddleware {
    /// The signature of an intercepting closure.
    public typealias Body = @Sendable (
        _ request: Request,
        _ next: (Request) async throws -> Response
    ) async throws -> Response

    @usableFromInline let body: Body
    /// The name shown in a pipeline's description.
    public let name: String

    /// A middleware that runs `body` for every request.
    ///
    /// ```swift
    /// Intercept("RequestID") { request, next in
    ///     var request = request
    ///     request.headers["X-Request-ID"] = request.headers["X-Request-ID"] ?? "generated"
    ///     return try await next(request)
    /// }
    /// ```
    public init(_ name: String = "Intercept", _ body: @escaping Body) {
        self.name = name
        self.body = body
    }

    /// Runs the closure; its `next` puts the (possibly changed) request back into the flowing input.
    @inlinable public func handle<Next: Responder>(_ input: Next.Input, next: Next) async throws -> Response
    where Next.Input: RequestInput, Next.Output == Response {
        try await body(input.request) { request in
            var forwarded = input
            forwarded.request = request
            return try await next.respond(to: forwarded)
        }
    }

    /// Lists the closure middleware by name.
    public func describe(into description: inout PipelineDescription) { description.addStep(name) }
}
