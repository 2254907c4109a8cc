/// Routes under a common path prefix, optionally behind their own middleware.
///
/// A group's middleware may change the input type: the routes inside then take what it produces.
///
/// ```swift
/// Router {
///     Group("/api") {
///         Get("/status") { _ in "ok" }
///         Group("/me", middleware: Authenticate { token in users[token] }) {
///             Get("/") { (input: Authenticated<User>) in input.user.name }
///         }
///     }
/// }
/// ```
public struct Group<Input: RequestInput>: RouteComponent {
    /// The group's routes with the prefix applied.
    public let routes: [Route<Input>]

    /// Routes under `prefix`.
    ///
    /// ```swift
    /// Group("/v1") { Get("/users") { _ in "[]" } }
    /// ```
    public init(_ prefix: String, @RouteBuilder<Input> _ content: () -> [Route<Input>]) {
        routes = content().map { $0.prefixed(by: prefix) }
    }

    /// Routes under `prefix` that run through `middleware` first; they take what it hands on.
    ///
    /// ```swift
    /// Group("/admin", middleware: Authenticate(verify)) { Get("/") { input in input.user.name } }
    /// ```
    @inlinable public init<M: Middleware>(
        _ prefix: String,
        middleware: M,
        @RouteBuilder<M.NextInput> _ content: () -> [Route<M.NextInput>]
    ) where M.Input == Input, M.Output == Response, M.NextOutput == Response, M.NextInput: RequestInput {
        routes = content().map { inner in
            let handler = HandlerResponder(inner.handler)
            return Route(
                method: inner.method,
                path: RoutePath.join(prefix, inner.path),
                via: GroupMiddleware(middleware, before: inner.via),
                documentation: inner.documentation.tagged(RoutePath.tag(of: prefix)),
                respond: { input in try await middleware.handle(input, next: handler) }
            )
        }
    }

    /// Routes under `prefix` that run through a pass-through middleware (`ProcessTime`, `CORS`, …) first.
    ///
    /// ```swift
    /// Group("/public", middleware: CORS()) { Get("/feed") { _ in "…" } }
    /// ```
    @inlinable public init<P: PassThroughMiddleware>(
        _ prefix: String,
        middleware: P,
        @RouteBuilder<Input> _ content: () -> [Route<Input>]
    ) {
        self.init(prefix, middleware: Bound<P, Input>(middleware), content)
    }

    /// Routes under `prefix` that get a value from a providing middleware (`Provide`, `BearerAuth`,
    /// …) on top of the group's input, as `With<Value, Input>`.
    ///
    /// ```swift
    /// Group("/orders", middleware: Provide { _ in try await pool.open() } release: { session, _ in await session.close() }) {
    ///     Get("/") { input in try await input.value.orders() }
    /// }
    /// ```
    @inlinable public init<P: ProvidingMiddleware>(
        _ prefix: String,
        middleware provider: P,
        @RouteBuilder<With<P.Value, Input>> _ content: () -> [Route<With<P.Value, Input>>]
    ) {
        self.init(prefix, middleware: Provided<P, Input>(provider), content)
    }

    @usableFromInline static func name<M: Middleware>(of middleware: M) -> String {
        var description = PipelineDescription()
        middleware.describe(into: &description)
        return description.steps.joined(separator: " → ")
    }
}

/// Adapts a route's handler to the `Responder` a group's middleware calls as `next`; an error with
/// a response of its own comes back as that response, as it does from a `Router`.
@usableFromInline struct HandlerResponder<Input: Sendable>: Responder {
    @usableFromInline let handler: @Sendable (Input) async throws -> Response
    @inlinable init(_ handler: @escaping @Sendable (Input) async throws -> Response) { self.handler = handler }
    @inlinable func respond(to input: Input) async throws -> Response {
        do {
            return try await handler(input)
        } catch let error as any HTTPResponseError {
            return Response(error: error)
        }
    }
}
