/// A middleware that may be absent, from an `if` without `else` in a `@MiddlewareBuilder` block.
/// When absent the input passes straight through, so the wrapped middleware must not change types.
///
/// ```swift
/// Pipeline {
///     if configuration.timing { ProcessTime() }
///     Router { … }
/// }
/// ```
public struct Maybe<Wrapped: Middleware>: Middleware
where Wrapped.Input == Wrapped.NextInput, Wrapped.Output == Wrapped.NextOutput {
    /// What this step takes.
    public typealias Input = Wrapped.Input
    /// What this step returns.
    public typealias Output = Wrapped.Output
    /// What this step hands to `next`.
    public typealias NextInput = Wrapped.Input
    /// What `next` returns to this step.
    public typealias NextOutput = Wrapped.Output

    /// The middleware, when the condition held.
    @usableFromInline let wrapped: Wrapped?

    /// Wraps an optional middleware.
    @inlinable init(_ wrapped: Wrapped?) { self.wrapped = wrapped }

    /// Runs the middleware if present, else calls `next` directly.
    @inlinable public func handle<Next: Responder>(_ input: Input, next: Next) async throws -> Output
    where Next.Input == NextInput, Next.Output == NextOutput {
        if let wrapped { return try await wrapped.handle(input, next: next) }
        return try await next.respond(to: input)
    }

    /// Describes the middleware, marked optional.
    public func describe(into description: inout PipelineDescription) {
        if let wrapped { wrapped.describe(into: &description) } else { description.addStep("(skipped)") }
    }
}
