/// Composes a block of middleware ending in a responder into one nested concrete type.
///
/// Consecutive lines nest pairwise (`buildPartialBlock`): middleware become `Chain`s, a
/// `PassThroughMiddleware` is wrapped in a `Bound` to the input type at its position, and the final
/// `Router` or handler is wrapped with everything above it in an `Applied`. Each step checks that
/// what one middleware hands on is what the next one takes, so a route that needs an
/// `Authenticated<User>` fails to compile unless a middleware above it produces one.
///
/// ```swift
/// let app = Pipeline {          // Pipeline<Applied<Chain<Bound<ProcessTime, Request>, Bound<CORS, Request>>, Router<Request>>>
///     ProcessTime()
///     CORS(expose: ["X-Process-Time"])
///     Router { Get("/") { _ in "Hello, World!" } }
/// }
/// ```
///
/// `if`, `if`/`else` and `#if` work; a block that does not end in a responder does not compile.
@resultBuilder
public enum MiddlewareBuilder<Input: Sendable> {
    // Deliberately no `buildExpression`: without it each line is type-checked on its own, once. With
    // overloaded `buildExpression`s the compiler re-solves a `Router { … }` body once per overload,
    // which tripled the type-checking time of a 100-route router.

    // MARK: First line

    /// The first middleware takes the block's input.
    @inlinable public static func buildPartialBlock<M: Middleware>(first middleware: M) -> M where M.Input == Input {
        middleware
    }

    /// A first pass-through middleware is bound to the block's input.
    @inlinable public static func buildPartialBlock<P: PassThroughMiddleware>(first middleware: P) -> Bound<P, Input>
    where Input: RequestInput {
        Bound(middleware)
    }

    /// A first `Provide` is bound to the block's input.
    @inlinable public static func buildPartialBlock<Value>(first provider: Provide<Value>) -> Provided<Value, Input>
    where Input: RequestInput {
        Provided(provider)
    }

    /// A block may be just a responder.
    @inlinable public static func buildPartialBlock<R: Responder>(first responder: R) -> R where R.Input == Input {
        responder
    }

    // MARK: Following lines

    /// A middleware after a middleware: what the first hands on, the second must take.
    @inlinable public static func buildPartialBlock<A: Middleware, B: Middleware>(accumulated first: A, next second: B)
        -> Chain<A, B>
    {
        Chain(first, second)
    }

    /// A middleware that does not take what the one above it hands on: the block becomes an
    /// `InputMismatch` naming both types, which no `Pipeline` accepts.
    @_disfavoredOverload
    @available(*, deprecated, message: "this middleware's input type is not what the middleware above it hand on")
    public static func buildPartialBlock<A: Middleware, B: Middleware>(accumulated first: A, next second: B)
        -> InputMismatch<B.Input, A.NextInput>
    {
        InputMismatch()
    }

    /// Once a block has a mismatch, the rest of it is carried along so the error names the first one.
    public static func buildPartialBlock<Needed, Provided, Next>(accumulated mismatch: InputMismatch<Needed, Provided>, next: Next)
        -> InputMismatch<Needed, Provided>
    {
        mismatch
    }

    /// A pass-through middleware after a middleware is bound to what that middleware hands on.
    @inlinable public static func buildPartialBlock<A: Middleware, P: PassThroughMiddleware>(accumulated first: A, next middleware: P)
        -> Chain<A, Bound<P, A.NextInput>>
    where A.NextInput: RequestInput, A.NextOutput == Response {
        Chain(first, Bound(middleware))
    }

    /// A `Provide` after a middleware is bound to what that middleware hands on.
    @inlinable public static func buildPartialBlock<A: Middleware, Value>(accumulated first: A, next provider: Provide<Value>)
        -> Chain<A, Provided<Value, A.NextInput>>
    where A.NextInput: RequestInput, A.NextOutput == Response {
        Chain(first, Provided(provider))
    }

    /// The responder ends the block. Whether it takes what the middleware above hand on is checked
    /// in `buildFinalResult`, where the compiler can name both types in its error.
    @inlinable public static func buildPartialBlock<A: Middleware, R: Responder>(accumulated middleware: A, next responder: R)
        -> Terminated<A, R>
    {
        Terminated(middleware: middleware, responder: responder)
    }

    /// Nothing may follow the responder.
    @available(*, unavailable, message: "the Router (or other Responder) must be the last line of a Pipeline block")
    public static func buildPartialBlock<A, R, Next>(accumulated block: Terminated<A, R>, next: Next) -> Terminated<A, R> {
        block
    }

    /// Nothing may follow the responder.
    @available(*, unavailable, message: "the Router (or other Responder) must be the last line of a Pipeline block")
    public static func buildPartialBlock<R: Responder, Next>(accumulated responder: R, next: Next) -> R {
        responder
    }

    // MARK: Control flow

    /// `if` without `else`: the middleware may be absent.
    @inlinable public static func buildOptional<M: Middleware>(_ middleware: M?) -> Maybe<M> { Maybe(middleware) }

    /// The `if` branch of an `if`/`else`.
    @inlinable public static func buildEither<First: Middleware, Second: Middleware>(first middleware: First)
        -> Either<First, Second>
    {
        .first(middleware)
    }

    /// The `else` branch of an `if`/`else`.
    @inlinable public static func buildEither<First: Middleware, Second: Middleware>(second middleware: Second)
        -> Either<First, Second>
    {
        .second(middleware)
    }

    // MARK: Result

    /// A complete block: its responder takes what the middleware above it hand on.
    @inlinable public static func buildFinalResult<A: Middleware, R: Responder>(_ block: Terminated<A, R>) -> Applied<A, R>
    where A.Input == Input, A.NextInput == R.Input, A.NextOutput == R.Output {
        Applied(block.middleware, block.responder)
    }

    /// A responder that does not take what the middleware above it hand on: the result is an
    /// `InputMismatch`, which no `Pipeline` accepts, so the error names both types.
    @_disfavoredOverload
    @available(*, deprecated, message: "the last line's input type is not what the middleware above it hand on")
    public static func buildFinalResult<A: Middleware, R: Responder>(_ block: Terminated<A, R>)
        -> InputMismatch<R.Input, A.NextInput>
    {
        InputMismatch()
    }

    /// A block with a mismatch stays one, so the `Pipeline` error names both types.
    public static func buildFinalResult<Needed, Provided>(_ mismatch: InputMismatch<Needed, Provided>)
        -> InputMismatch<Needed, Provided>
    {
        mismatch
    }

    /// A block that is only a responder.
    @inlinable public static func buildFinalResult<R: Responder>(_ responder: R) -> R where R.Input == Input {
        responder
    }

    /// A block of middleware only has nothing to answer with.
    @available(
        *, unavailable,
        message: "a Pipeline block must end in a Router or another Responder; add `Router { … }` as its last line"
    )
    public static func buildFinalResult<M: Middleware>(_ middleware: M) -> MissingResponder<Input> {
        MissingResponder()
    }
}

/// Middleware followed by the responder that ends a `@MiddlewareBuilder` block, before
/// `buildFinalResult` checks that the responder takes what the middleware hand on and makes them an
/// `Applied`. Never part of a finished pipeline.
public struct Terminated<Outer: Middleware, Inner: Responder>: Sendable {
    /// The middleware above the responder.
    public let middleware: Outer
    /// The responder.
    public let responder: Inner
    /// Pairs them.
    @inlinable public init(middleware: Outer, responder: Inner) {
        self.middleware = middleware
        self.responder = responder
    }
}

/// What a `@MiddlewareBuilder` block yields when its responder needs `Needed` but the middleware above
/// it hand on `Provided`. It is not a `Responder`, so the compiler rejects the pipeline and names both
/// types: add a middleware that produces `Needed` (e.g. `Authenticate`), or make the responder take `Provided`.
public struct InputMismatch<Needed, Provided>: Sendable {
    init() {}
}

/// Stands in for the responder a block without one lacks, so the compiler reports only the builder's
/// message. It can never be created outside the unavailable builder method.
public struct MissingResponder<Input: Sendable>: Responder {
    /// What this step returns.
    public typealias Output = Response
    init() {}
    /// Unreachable: a block without a responder does not compile.
    public func respond(to input: Input) async throws -> Response { throw HTTPError(.internalServerError) }
}
