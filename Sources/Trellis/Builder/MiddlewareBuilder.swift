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

    /// A first providing middleware (`Provide`, `BearerAuth`, …) is bound to the block's input.
    @inlinable public static func buildPartialBlock<P: ProvidingMiddleware>(first provider: P) -> Provided<P, Input>
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
    @available(*, deprecated, message: "this middleware takes another input than the middleware above it hand on (InputMismatch<ThisLineTakes<…>, LinesAboveHandOn<…>> in the error names both): add the middleware that provides the missing value above it (Provide, BearerAuth, …), or move it below that one")
    public static func buildPartialBlock<A: Middleware, B: Middleware>(accumulated first: A, next second: B)
        -> InputMismatch<ThisLineTakes<B.Input>, LinesAboveHandOn<A.NextInput>>
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

    /// A providing middleware after a middleware is bound to what that middleware hands on, and
    /// adds its value to it.
    @inlinable public static func buildPartialBlock<A: Middleware, P: ProvidingMiddleware>(accumulated first: A, next provider: P)
        -> Chain<A, Provided<P, A.NextInput>>
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

    // MARK: Mistakes that name their fix

    /// A route written straight into the block.
    @available(*, unavailable, message: "routes go inside a Router: make `Router { … }` the last line of the Pipeline and put the routes in it")
    public static func buildPartialBlock<R: RouteComponent>(first route: R) -> RoutesMustBeInsideRouter {
        RoutesMustBeInsideRouter()
    }

    /// A route written straight into the block, below middleware.
    @available(*, unavailable, message: "routes go inside a Router: make `Router { … }` the last line of the Pipeline and put the routes in it")
    public static func buildPartialBlock<A, R: RouteComponent>(accumulated: A, next route: R) -> RoutesMustBeInsideRouter {
        RoutesMustBeInsideRouter()
    }

    /// The rest of a block after a misplaced route.
    public static func buildPartialBlock<Next>(accumulated: RoutesMustBeInsideRouter, next: Next) -> RoutesMustBeInsideRouter {
        RoutesMustBeInsideRouter()
    }

    /// A block with a misplaced route.
    public static func buildFinalResult(_ block: RoutesMustBeInsideRouter) -> RoutesMustBeInsideRouter { block }

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
    @available(*, deprecated, message: "the Router takes another input than the middleware above it hand on (InputMismatch<ThisLineTakes<…>, LinesAboveHandOn<…>> in the error names both): add the middleware that provides the missing value above the Router (Provide, BearerAuth, …), or make the Router take what they hand on with Router.taking(<what they hand on>.self)")
    public static func buildFinalResult<A: Middleware, R: Responder>(_ block: Terminated<A, R>)
        -> InputMismatch<ThisLineTakes<R.Input>, LinesAboveHandOn<A.NextInput>>
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
    @usableFromInline let middleware: Outer
    @usableFromInline let responder: Inner
    @inlinable init(middleware: Outer, responder: Inner) {
        self.middleware = middleware
        self.responder = responder
    }
}

/// What a `@MiddlewareBuilder` block yields when a line takes another input than the lines above it
/// hand on: `InputMismatch<ThisLineTakes<With<Session, Request>>, LinesAboveHandOn<Request>>`. It is
/// not a `Responder`, so the compiler rejects the pipeline and its message names both: add the
/// middleware that provides the missing value above that line (`Provide`, `BearerAuth`, …), or make
/// the router take what arrives (`Router.taking(With<Session, Request>.self)`).
public struct InputMismatch<Needed, Provided>: Sendable {
    init() {}
}

/// The input the mismatched line takes, in an `InputMismatch`.
public enum ThisLineTakes<Input> {}

/// The input the lines above hand on, in an `InputMismatch`.
public enum LinesAboveHandOn<Input> {}

/// What a `@MiddlewareBuilder` block with a route (`Get`, `Group`, …) written straight into it yields:
/// routes go inside `Router { … }`. No `Pipeline` accepts it.
public struct RoutesMustBeInsideRouter: Sendable {
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
