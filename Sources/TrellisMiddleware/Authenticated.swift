public import Trellis
/// A request that a middleware has authenticated: the `Request` plus the `User` it belongs to.
///
/// Request properties are available directly (`input.headers`, `input.parameters`, …).
///
/// ```swift
/// Router.taking(Authenticated<User>.self) {
///     Get("/me") { input in "Hello, \(input.user.name) (\(input.method))" }
/// }
/// ```
@dynamicMemberLookup
public struct Authenticated<User: Sendable>: RequestInput {
    /// The request.
    public var request: Request
    /// Who sent it.
    public let user: User

    /// Pairs a request with its user.
    @inlinable public init(request: Request, user: User) {
        self.request = request
        self.user = user
    }

    /// Reads a property of the request: `input.headers`, `input.query`, ….
    @inlinable public subscript<Value>(dynamicMember keyPath: KeyPath<Request, Value>) -> Value {
        request[keyPath: keyPath]
    }
}
