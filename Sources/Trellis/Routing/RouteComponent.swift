/// Something a `Router` or `Group` block can hold: one route (`Get`, `Post`, …) or a `Group` of them.
///
/// ```swift
/// struct Health: RouteComponent {
///     var routes: [Route<Request>] { [Route(method: .get, path: "/health") { _ in "ok" }] }
/// }
/// ```
public protocol RouteComponent<Input>: Sendable {
    /// The input the routes' handlers take.
    associatedtype Input: RequestInput
    /// The routes, with their full paths relative to the enclosing block.
    var routes: [Route<Input>] { get }
}

/// A route for one method; `Get`, `Post` and the others conform and share their initialisers.
///
/// ```swift
/// Get("/") { _ in "Hello, World!" }                      // text/plain
/// Get("/items/{id}") { request in Item(id: 1) }          // application/json
/// Post("/echo") { request in Response(body: request.body) }
/// ```
public protocol MethodRoute: RouteComponent {
    /// The method the route answers.
    static var method: HTTPMethod { get }
    /// Wraps a built route.
    init(route: Route<Input>)
    /// The route.
    var route: Route<Input> { get }
}

extension MethodRoute {
    /// A route at `path` whose handler returns a `String`, bytes, `HTTPStatus` or `Response`.
    ///
    /// ```swift
    /// Get("/") { _ in "Hello, World!" }
    /// ```
    @inlinable public init<Output: ResponseConvertible>(
        _ path: String,
        _ handler: @escaping @Sendable (Input) async throws -> Output
    ) {
        self.init(route: Route(method: Self.method, path: path, handler: handler))
    }

    /// A route at `path` whose handler returns an `Encodable` value, sent as `application/json`.
    ///
    /// ```swift
    /// Get("/items/{item_id}") { request in Item(itemID: try request.parameters.require("item_id", as: Int.self)) }
    /// ```
    @_disfavoredOverload
    @inlinable public init<Output: Encodable & Sendable>(
        _ path: String,
        _ handler: @escaping @Sendable (Input) async throws -> Output
    ) {
        self.init(route: Route(method: Self.method, path: path, handler: handler))
    }

    /// This one route.
    public var routes: [Route<Input>] { [route] }
}
