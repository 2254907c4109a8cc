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
public struct Provide<Value: Sendable>: ProvidingMiddleware {
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

    /// Acquires the value and registers its release for after the response.
    @inlinable public func value(for request: Request) async throws -> Value {
        let value = try await acquire(request)
        if let release {
            request.addCleanup { outcome in try await release(value, outcome) }
        }
        return value
    }

    /// Lists the provider by name.
    public func describe(into description: inout PipelineDescription) { description.addStep(name) }
}
