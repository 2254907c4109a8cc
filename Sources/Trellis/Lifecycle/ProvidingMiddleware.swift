/// A middleware that adds a value to whatever typed input reaches it: `Provide`, `BearerAuth`,
/// `BasicAuth`, or your own. Below it, routes take `With<Value, Input>`, where `Input` is what
/// flowed in above it, so providers stack in any order and each value stays readable.
///
/// Write `value(for:)`; the `@MiddlewareBuilder` (and `Group(_:middleware:)`) bind the middleware to
/// the input at its position, so no generic parameter is spelled out. Throwing an `HTTPError` (or
/// your own `HTTPResponseError`) answers the request with its response, which the middleware above
/// see after `next`; routes below do not run.
///
/// ```swift
/// struct CurrentTenant: ProvidingMiddleware {
///     func value(for request: Request) async throws -> Tenant {
///         guard let id = request.headers["X-Tenant"] else { throw HTTPError(.badRequest, "Name a tenant.") }
///         return Tenant(id: id)
///     }
/// }
/// extension With where Value == Tenant { var tenant: Tenant { value } }   // input.tenant
/// ```
public protocol ProvidingMiddleware: Sendable {
    /// What this middleware adds to the input.
    associatedtype Value: Sendable

    /// Makes the value for `request`, or throws to answer it (a `401`, a `400`, …).
    func value(for request: Request) async throws -> Value

    /// Adds this middleware's lines to a pipeline's description (its name by default).
    func describe(into description: inout PipelineDescription)
}

extension ProvidingMiddleware {
    /// Lists the type's name.
    public func describe(into description: inout PipelineDescription) {
        description.addStep(String(describing: Self.self))
    }
}
