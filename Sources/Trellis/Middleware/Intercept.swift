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
    @usableFromInline let name: String
    @usableFromInline let headersSet: [HTTPHeaders.Name]

    /// A middleware that runs `body` for every request. Name the response headers it sets in
    /// `sets`, so that `CORS(expose:)` of one of them is not reported as exposing a header nothing sets.
    ///
    /// ```swift
    /// Intercept("Stamp", sets: ["X-Stamp"]) { request, next in
    ///     var response = try await next(request)
    ///     response.headers["X-Stamp"] = "1"
    ///     return response
    /// }
    /// ```
    public init(_ name: String = "Intercept", sets headersSet: [HTTPHeaders.Name] = [], _ body: @escaping Body) {
        self.name = name
        self.headersSet = headersSet
        self.body = body
    }

    /// Runs the closure; its `next` puts the (possibly changed) request back into the flowing input.
    @inlinable public func handle<Next: NextResponder>(_ input: Next.Input, next: Next) async throws -> Response {
        try await body(input.request) { request in
            var forwarded = input
            forwarded.request = request
            return try await next.respond(to: forwarded)
        }
    }

    /// Lists the closure middleware by name.
    public func describe(into description: inout PipelineDescription) {
        description.addStep(headersSet.isEmpty ? name : "\(name)(sets \(headersSet.map(\.rawName).joined(separator: ", ")))")
        for header in headersSet { description.declareSets(header) }
    }
}
