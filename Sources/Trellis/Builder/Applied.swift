/// A middleware applied to the responder below it: itself a responder.
///
/// The `@MiddlewareBuilder` makes one when a block of middleware ends in a `Router` or handler.
///
/// ```swift
/// let app = Pipeline { ProcessTime(); Router { Get("/") { _ in "hi" } } }
/// // Pipeline<Applied<Bound<ProcessTime, Request>, Router<Request>>>
/// ```
public struct Applied<Outer: Middleware, Inner: Responder>: Responder
where Outer.NextInput == Inner.Input, Outer.NextOutput == Inner.Output {
    /// What this step takes.
    public typealias Input = Outer.Input
    /// What this step returns.
    public typealias Output = Outer.Output

    /// The middleware.
    @usableFromInline let middleware: Outer
    /// What the middleware calls as `next`.
    @usableFromInline let responder: Inner

    /// Applies `middleware` to `responder`.
    @inlinable init(_ middleware: Outer, _ responder: Inner) {
        self.middleware = middleware
        self.responder = responder
    }

    /// Runs the middleware with the responder as `next`. An error with a response of its own
    /// (`HTTPResponseError`) that the middleware throws comes back as that response, so the
    /// middleware above see it as `next`'s result; any other error propagates. Always inlined,
    /// as `Bound`'s and `Router`'s are: a call of its own would cost an executor check after it.
    @inlinable @inline(__always) public func respond(to input: Input) async throws -> Output {
        do {
            return try await middleware.handle(input, next: responder)
        } catch {
            if let response = ErrorRendering.response(for: error, as: Output.self) { return response }
            throw error
        }
    }

    /// Describes the middleware, then the responder.
    public func describe(into description: inout PipelineDescription) {
        middleware.describe(into: &description)
        responder.describe(into: &description)
    }
}
