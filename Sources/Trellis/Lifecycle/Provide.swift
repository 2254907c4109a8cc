/// Provides a value to everything below it for one request, and releases it after the response:
/// the analogue of a FastAPI dependency with `yield`.
///
/// `acquire` runs when the request reaches this step; what flows on is a `With<Value, Input>`, so
/// routes below take the value as part of their typed input and a route that needs it anywhere
/// else does not compile. `release` runs after the response has passed back out through every
/// middleware and has been written (or the client went away, or a handler threw), with the
/// outcome, in reverse order of acquisition, exactly once. A release that throws is reported and
/// changes nothing else.
///
/// ```swift
/// Pipeline {
///     ProcessTime()
///     Provide { request in try await database.openSession() } release: { session, outcome in
///         await session.close(commit: outcome.error == nil)
///     }
///     Router.taking(With<Session, Request>.self) {
///         Get("/items") { input in try await input.value.allItems() }
///     }
/// }
/// ```
public struct Provide<Value: Sendable>: Sendable {
    /// Produces the value for a request.
    public typealias Acquire = @Sendable (Request) async throws -> Value
    /// Releases the value after the response, with the request's outcome.
    public typealias Release = @Sendable (Value, RequestOutcome) async throws -> Void

    @usableFromInline let acquire: Acquire
    @usableFromInline let release: Release?
    /// The name shown in a pipeline's description.
    public let name: String

    /// A provider that makes a value per request with `acquire` and, optionally, cleans it up with `release`.
    ///
    /// ```swift
    /// Provide { _ in Clock() }
    /// Provide("Session", { _ in try await pool.open() }, release: { session, _ in await session.close() })
    /// ```
    public init(_ name: String? = nil, _ acquire: @escaping Acquire, release: Release? = nil) {
        self.name = name ?? "Provide<\(Value.self)>"
        self.acquire = acquire
        self.release = release
    }
}

/// A `Provide` step bound to the input flowing at its position: takes `Base`, hands on `With<Value, Base>`.
///
/// The `@MiddlewareBuilder` makes one from a `Provide` line, so no generic parameter is spelled out.
///
/// ```swift
/// let step = Provided<Int, Request>(Provide { _ in 42 })
/// ```
public struct Provided<Value: Sendable, Base: RequestInput>: Middleware {
    /// What this step takes.
    public typealias Input = Base
    /// What this step returns.
    public typealias Output = Response
    /// What this step hands on.
    public typealias NextInput = With<Value, Base>
    /// What `next` returns.
    public typealias NextOutput = Response

    /// The provider.
    public let provider: Provide<Value>

    /// Binds `provider` to `Base`.
    @inlinable public init(_ provider: Provide<Value>) { self.provider = provider }

    /// Acquires the value, registers its release, and runs the rest of the pipeline with it.
    @inlinable public func handle<Next: Responder>(_ input: Base, next: Next) async throws -> Response
    where Next.Input == With<Value, Base>, Next.Output == Response {
        let value = try await provider.acquire(input.request)
        if let release = provider.release {
            input.request.addCleanup { outcome in try await release(value, outcome) }
        }
        return try await next.respond(to: With(base: input, value: value))
    }

    /// Lists the provider by name.
    public func describe(into description: inout PipelineDescription) { description.addStep(provider.name) }
}
