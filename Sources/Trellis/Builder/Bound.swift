/// A `PassThroughMiddleware` bound to the input type flowing at its position.
///
/// The `@MiddlewareBuilder` wraps `ProcessTime()` or `CORS(…)` in one of these, so
/// `Pipeline { ProcessTime(); … }` needs no generic parameter spelled out.
///
/// ```swift
/// let app = Pipeline { ProcessTime(); Router { Get("/") { _ in "hi" } } }
/// // Pipeline<Applied<Bound<ProcessTime, Request>, Router<Request>>>
/// ```
public struct Bound<Wrapped: PassThroughMiddleware, Input: RequestInput>: Middleware {
    /// What this step returns.
    public typealias Output = Response
    /// What this step hands to `next`.
    public typealias NextInput = Input
    /// What `next` returns to this step.
    public typealias NextOutput = Response

    /// The pass-through middleware.
    @usableFromInline let wrapped: Wrapped

    /// Binds `wrapped` to `Input`.
    @inlinable init(_ wrapped: Wrapped) { self.wrapped = wrapped }

    /// Runs the wrapped middleware. Always inlined, as `Chain`'s is: a forwarding call of its
    /// own would cost an async frame per request.
    @inlinable @inline(__always) public func handle<Next: Responder>(_ input: Input, next: Next) async throws -> Response
    where Next.Input == Input, Next.Output == Response {
        try await wrapped.handle(input, next: NextStep(next))
    }

    /// Describes the wrapped middleware.
    public func describe(into description: inout PipelineDescription) { wrapped.describe(into: &description) }
}

/// The rest of a pipeline as a `PassThroughMiddleware` sees it: `next` under the name that spares its
/// `where` clause.
@usableFromInline struct NextStep<Base: Responder>: NextResponder where Base.Input: RequestInput, Base.Output == Response {
    @usableFromInline typealias Input = Base.Input
    @usableFromInline let base: Base
    @inlinable init(_ base: Base) { self.base = base }
    @inlinable @inline(__always) func respond(to input: Base.Input) async throws -> Response { try await base.respond(to: input) }
    @usableFromInline func describe(into description: inout PipelineDescription) { base.describe(into: &description) }
}
