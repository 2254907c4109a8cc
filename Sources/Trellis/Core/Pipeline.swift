/// The top-level value of a Trellis app: middleware composed at compile time, ending in a responder.
///
/// A pipeline takes a `Request` and always yields a `Response`: an `HTTPError` (or other
/// `HTTPResponseError`) thrown anywhere becomes its own response, any other error a bare
/// `500 Internal Server Error` that the `reporter` hears about (one line on standard error by
/// default). Error bodies are plain text, or FastAPI's `{"detail": "…"}` with `errorFormat: .json`.
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
    /// How error responses spell their body.
    public let errorFormat: ErrorFormat
    /// Where unexpected errors, failed cleanups and failed background tasks are reported.
    public let reporter: ErrorReporter

    /// Builds a pipeline from a block of middleware ending in a `Router` or other responder.
    ///
    /// ```swift
    /// let app = Pipeline { ProcessTime(); Router { Get("/") { _ in "hi" } } }
    /// let api = Pipeline(errorFormat: .json, reporter: .standardError) { Router { Get("/") { _ in "hi" } } }
    /// ```
    @inlinable public init(
        errorFormat: ErrorFormat = .plainText,
        reporter: ErrorReporter = .standardError,
        @MiddlewareBuilder<Request> _ content: () -> Content
    ) {
        self.init(content: content(), errorFormat: errorFormat, reporter: reporter)
    }

    /// Wraps an already composed responder.
    public init(content: Content, errorFormat: ErrorFormat = .plainText, reporter: ErrorReporter = .standardError) {
        self.content = content
        self.errorFormat = errorFormat
        self.reporter = reporter
        var composition = PipelineDescription()
        content.describe(into: &composition)
        composition.complete(errorFormat: errorFormat)
        self.composition = composition
    }

    /// Runs the request through the pipeline; never throws. An unexpected error (one that became a
    /// 500, here or in a middleware) is reported with the request's method and path.
    ///
    /// (Cleanups and background tasks run after the response is written: a server or the
    /// `TestClient` runs them through `request.context.finish`.)
    ///
    /// ```swift
    /// let response = await app.respond(to: Request(method: .get, target: "/"))
    /// ```
    @inlinable @inline(__always) public func respond(to request: Request) async -> Response {
        if errorFormat == .plainText {
            return await run(request)
        }
        let response = await ErrorFormat.$current.withValue(errorFormat) { await run(request) }
        // As the plain-text path ends after the router's check: the server's code after this one
        // then needs no check of its own.
        await settleOnCallerExecutor()
        return response
    }

    @inlinable @inline(__always) func run(_ request: Request) async -> Response {
        let response: Response
        do {
            response = try await content.respond(to: request)
        } catch {
            response = Response(error: error)
        }
        if response.failure != nil { report(response, for: request) }
        return response
    }

    @usableFromInline func report(_ response: Response, for request: Request) {
        guard response.isUnexpectedError, let error = response.error else { return }
        reporter.report(ErrorReport(stage: .handler, method: request.method, path: request.path, error: error, requestID: request.id))
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

/// What the server and the test client need from a `Pipeline` they were handed as an opaque
/// `some Responder<Request, Response>`: its reporter, and its answer without a second wrapping
/// (which would report an unexpected error twice).
package protocol PipelineResponder: Sendable {
    /// Where the pipeline reports unexpected errors.
    var reporter: ErrorReporter { get }
    /// What the pipeline is made of, its start-up problems included.
    var composition: PipelineDescription { get }
    /// The pipeline's answer; never throws.
    func respond(to request: Request) async -> Response
}

extension Pipeline: PipelineResponder {}

extension PipelineDescription {
    /// The mistakes that stop `responder` from being served (a `Pipeline`'s own, found when it was
    /// made; another responder's, found by describing it now).
    @usableFromInline package static func problems(of responder: some Responder) -> [String] {
        if let pipeline = responder as? any PipelineResponder { return pipeline.composition.problems }
        var description = PipelineDescription()
        responder.describe(into: &description)
        description.complete(errorFormat: .plainText)
        return description.problems
    }
}
