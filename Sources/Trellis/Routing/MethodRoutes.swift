/// A `GET` route; the router also answers `HEAD` for it (same headers, no body).
///
/// ```swift
/// Get("/items/{item_id}") { request in try request.parameters.require("item_id") }
/// ```
public struct Get<Input: RequestInput>: MethodRoute {
    /// `GET`
    public static var method: HTTPMethod { .get }
    /// The route.
    public let route: Route<Input>
    /// Wraps a built route.
    @inlinable public init(route: Route<Input>) { self.route = route }
}

/// A `POST` route.
///
/// ```swift
/// Post("/echo") { request in Response(body: request.body) }
/// ```
public struct Post<Input: RequestInput>: MethodRoute {
    /// `POST`
    public static var method: HTTPMethod { .post }
    /// The route.
    public let route: Route<Input>
    /// Wraps a built route.
    @inlinable public init(route: Route<Input>) { self.route = route }
}

/// A `PUT` route.
///
/// ```swift
/// Put("/items/{id}") { request in HTTPStatus.noContent }
/// ```
public struct Put<Input: RequestInput>: MethodRoute {
    /// `PUT`
    public static var method: HTTPMethod { .put }
    /// The route.
    public let route: Route<Input>
    /// Wraps a built route.
    @inlinable public init(route: Route<Input>) { self.route = route }
}

/// A `PATCH` route.
///
/// ```swift
/// Patch("/items/{id}") { request in HTTPStatus.noContent }
/// ```
public struct Patch<Input: RequestInput>: MethodRoute {
    /// `PATCH`
    public static var method: HTTPMethod { .patch }
    /// The route.
    public let route: Route<Input>
    /// Wraps a built route.
    @inlinable public init(route: Route<Input>) { self.route = route }
}

/// A `DELETE` route.
///
/// ```swift
/// Delete("/items/{id}") { request in HTTPStatus.noContent }
/// ```
public struct Delete<Input: RequestInput>: MethodRoute {
    /// `DELETE`
    public static var method: HTTPMethod { .delete }
    /// The route.
    public let route: Route<Input>
    /// Wraps a built route.
    @inlinable public init(route: Route<Input>) { self.route = route }
}

/// An `OPTIONS` route (a CORS preflight is answered by `CORS` before routing).
///
/// ```swift
/// Options("/items") { _ in Response(status: .noContent, headers: [.allow: "GET, POST"]) }
/// ```
public struct Options<Input: RequestInput>: MethodRoute {
    /// `OPTIONS`
    public static var method: HTTPMethod { .options }
    /// The route.
    public let route: Route<Input>
    /// Wraps a built route.
    @inlinable public init(route: Route<Input>) { self.route = route }
}

/// A route for any method, including extension methods.
///
/// ```swift
/// On(.init("PURGE"), "/cache") { _ in HTTPStatus.noContent }
/// ```
public struct On<Input: RequestInput>: RouteComponent {
    /// The route.
    public let route: Route<Input>

    /// A route whose handler returns a `String`, bytes, `HTTPStatus` or `Response`.
    @inlinable public init<Output: ResponseConvertible>(
        _ method: HTTPMethod,
        _ path: String,
        _ handler: @escaping @Sendable (Input) async throws -> Output
    ) {
        route = Route(method: method, path: path, handler: handler)
    }

    /// A route whose handler returns an `Encodable` value, sent as JSON.
    @_disfavoredOverload
    @inlinable public init<Output: Encodable & Sendable>(
        _ method: HTTPMethod,
        _ path: String,
        _ handler: @escaping @Sendable (Input) async throws -> Output
    ) {
        route = Route(method: method, path: path, handler: handler)
    }

    /// This one route.
    public var routes: [Route<Input>] { [route] }
}
