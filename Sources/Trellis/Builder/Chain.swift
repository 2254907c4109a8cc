/// Two middleware run one after the other: `First` hands its output to `Second`.
///
/// The `@MiddlewareBuilder` makes these from consecutive lines; they nest to the left, so
/// `A(); B(); C()` becomes `Chain<Chain<A, B>, C>`.
///
/// ```swift
/// let app = Pipeline { ProcessTime(); CORS(); Router { Get("/") { _ in "hi" } } }
/// // Pipeline<Applied<Chain<Bound<ProcessTime, Request>, Bound<CORS, Request>>, Router<Request>>>
/// ```
public struct Chain<First: Middleware, Second: Middleware>: Middleware
where First.NextInput == Second.Input, First.NextOutput == Second.Output {
    /// What this step takes.
    public typealias Input = First.Input
    /// What this step returns.
    public typealias Output = First.Output
    /// What this step hands to `next`.
    public typealias NextInput = Second.NextInput
    /// What `next` returns to this step.
    public typealias NextOutput = Second.NextOutput

    /// The outer middleware.
    @usableFromInline let first: First
    /// The inner middleware.
    @usableFromInline let second: Second

    /// Runs `first`, then `second`.
    @inlinable init(_ first: First, _ second: Second) {
        self.first = first
        self.second = second
    }

    /// Runs `first` with `second` (then `next`) as its downstream.
    // Always inlined: a block of four or more middleware nests `Chain`s, and each level would call
    // `Chain.handle` again with a larger `Next`; the optimizer specialises such a growing recursion
    // only once, so a deeper pipeline could keep one unspecialised level (the specialisation check
    // caught it on the adapters sample). Inlined, there is no recursion through this function.
    @inlinable @inline(__always) public func handle<Next: Responder>(_ input: Input, next: Next) async throws -> Output
    where Next.Input == NextInput, Next.Output == NextOutput {
        try await first.handle(input, next: Applied(second, next))
    }

    /// Describes `first`, then `second`.
    public func describe(into description: inout PipelineDescription) {
        first.describe(into: &description)
        second.describe(into: &description)
    }
}
