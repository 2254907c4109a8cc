/// A step of a pipeline: takes an input, may act on it, passes it on to `next`, takes what comes back,
/// may act on that, and returns it.
///
/// `Input`/`Output` are what the middleware receives and returns; `NextInput`/`NextOutput` are what it
/// hands downstream and gets back. By default they are the same (a pass-through), but a middleware
/// may change the type flowing downstream: `Authenticate` turns a `Request` into an
/// `Authenticated<User>`, and a route that needs an `Authenticated<User>` only compiles below it.
///
/// ```swift
/// struct RequireJSON: Middleware {
///     typealias Input = Request
///     func handle<Next: Responder>(_ request: Request, next: Next) async throws -> Response
///     where Next.Input == Request, Next.Output == Response {
///         guard request.headers[.contentType] == "application/json" else {
///             throw HTTPError(.unsupportedMediaType, "Send JSON.")
///         }
///         return try await next(request)
///     }
/// }
/// ```
///
/// A middleware that passes any input type through unchanged is easier to reuse as a
/// `PassThroughMiddleware`.
public protocol Middleware<Input, NextInput>: Sendable {
    /// What this middleware receives.
    associatedtype Input: Sendable
    /// What this middleware returns; `Response` by default.
    associatedtype Output: Sendable = Response
    /// What this middleware hands to `next`; `Input` by default.
    associatedtype NextInput: Sendable = Input
    /// What `next` returns; `Output` by default.
    associatedtype NextOutput: Sendable = Output

    /// Handles `input`, calling `next` (at most once, usually exactly once) to run the rest of the pipeline.
    func handle<Next: Responder>(_ input: Input, next: Next) async throws -> Output
    where Next.Input == NextInput, Next.Output == NextOutput

    /// Adds this middleware's lines to a pipeline's description (its name by default).
    func describe(into description: inout PipelineDescription)
}

extension Middleware {
    /// Lists the type's name.
    public func describe(into description: inout PipelineDescription) {
        description.addStep(String(describing: Self.self))
    }
}
