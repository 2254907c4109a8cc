/// One of two middleware, from an `if`/`else` in a `@MiddlewareBuilder` block. Both branches take and
/// hand on the same types.
///
/// ```swift
/// Pipeline {
///     if production { CORS(allowOrigins: ["https://example.com"]) } else { CORS() }
///     Router { … }
/// }
/// ```
public enum Either<First: Middleware, Second: Middleware>: Middleware
where
    First.Input == Second.Input, First.Output == Second.Output,
    First.NextInput == Second.NextInput, First.NextOutput == Second.NextOutput
{
    /// What this step takes.
    public typealias Input = First.Input
    /// What this step returns.
    public typealias Output = First.Output
    /// What this step hands to `next`.
    public typealias NextInput = First.NextInput
    /// What `next` returns to this step.
    public typealias NextOutput = First.NextOutput

    /// The `if` branch.
    case first(First)
    /// The `else` branch.
    case second(Second)

    /// Runs whichever branch was taken.
    @inlinable public func handle<Next: Responder>(_ input: Input, next: Next) async throws -> Output
    where Next.Input == NextInput, Next.Output == NextOutput {
        switch self {
        case .first(let middleware): try await middleware.handle(input, next: next)
        case .second(let middleware): try await middleware.handle(input, next: next)
        }
    }

    /// Describes the branch taken.
    public func describe(into description: inout PipelineDescription) {
        switch self {
        case .first(let middleware): middleware.describe(into: &description)
        case .second(let middleware): middleware.describe(into: &description)
        }
    }
}
