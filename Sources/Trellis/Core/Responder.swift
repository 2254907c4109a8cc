/// The innermost handler of a pipeline, or the rest of a pipeline as seen by a middleware (`next`).
///
/// A middleware receives `next` as a concrete generic `Responder`, so once the pipeline is
/// specialised every call through it is a direct call.
///
/// ```swift
/// struct Hello: Responder {
///     func respond(to request: Request) async throws -> Response { .text("Hello") }
/// }
/// ```
public protocol Responder<Input, Output>: Sendable {
    /// What the responder takes.
    associatedtype Input: Sendable
    /// What it gives back; `Response` by default.
    associatedtype Output: Sendable = Response

    /// Produces the output for `input`.
    func respond(to input: Input) async throws -> Output

    /// Adds this responder's lines to a pipeline's description (its name by default).
    func describe(into description: inout PipelineDescription)
}

extension Responder {
    /// Lists the type's name.
    public func describe(into description: inout PipelineDescription) {
        description.addStep(String(describing: Self.self))
    }
}

extension Responder where Output == Response {
    /// Calls `respond(to:)`, so a middleware can write `try await next(input)`, like FastAPI's `call_next`.
    ///
    /// ```swift
    /// var response = try await next(input)
    /// ```
    @inlinable @inline(__always) public func callAsFunction(_ input: Input) async throws -> Response {
        try await respond(to: input)
    }
}

extension Responder {
    /// `next(input)` where nothing says `next` returns a `Response`: a `handle` method without its
    /// `where` clause. The error names the fix.
    @_disfavoredOverload
    @available(
        *, unavailable,
        message: "`next` returns a Response only where the method says so: write `func handle<Next: NextResponder>(_ input: Next.Input, next: Next)`, or add `where Next.Input: RequestInput, Next.Output == Response`; for another output call next.respond(to:)"
    )
    public func callAsFunction(_ input: Input) async throws -> Output {
        try await respond(to: input)
    }
}

/// What a `PassThroughMiddleware` calls as `next`: the rest of the pipeline, taking the input that
/// flows there and returning a `Response`. Naming it spares the `where` clause.
///
/// ```swift
/// struct ServerHeader: PassThroughMiddleware {
///     func handle<Next: NextResponder>(_ input: Next.Input, next: Next) async throws -> Response {
///         var response = try await next(input)
///         response.headers["Server"] = "Trellis"
///         return response
///     }
/// }
/// ```
public protocol NextResponder<Input>: Responder where Input: RequestInput, Output == Response {}
