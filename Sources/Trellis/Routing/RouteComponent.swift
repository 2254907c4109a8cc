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

    /// A route at `path` whose handler never returns normally: it always throws (an `HTTPError`,
    /// a user's `HTTPResponseError`, …), so the error's response is the answer.
    ///
    /// ```swift
    /// Get("/boom") { _ in throw OutOfStock() }
    /// Get("/legacy") { _ in throw HTTPError(.gone, "Use /v2.") }
    /// ```
    ///
    /// (Its result type is `Never`, so a closure that returns a value that is not a response is
    /// still an error, and disfavoured, so that error names `ResponseConvertible`.)
    @_disfavoredOverload
    @inlinable public init(_ path: String, _ handler: @escaping @Sendable (Input) async throws -> Never) {
        self.init(
            route: Route(method: Self.method, path: path, via: GroupMiddleware(), documentation: RouteDocumentation(answer: .error)) { input in
                try await handler(input)
            }
        )
    }

    /// A route at `path` whose handler takes the request body decoded as `Body` (JSON or form, by
    /// `Content-Type`; see `Request.decode`): a body that does not fit gets a `422` naming the
    /// field, another content type `415`, malformed JSON `400`, and the handler is not called.
    ///
    /// ```swift
    /// Post("/items", body: Item.self) { request, item in "added \(item.name)" }
    /// ```
    @inlinable public init<Body: Decodable & Sendable, Output: ResponseConvertible>(
        _ path: String,
        body: Body.Type,
        _ handler: @escaping @Sendable (Input, Body) async throws -> Output
    ) {
        self.init(
            route: Route(
                method: Self.method, path: path, via: GroupMiddleware(),
                documentation: RouteDocumentation(body: Body.self, answer: RouteDocumentation.answer(of: Output.self))
            ) { input in
                try await handler(input, try await input.request.decode(Body.self)).makeResponse()
            }
        )
    }

    /// A route at `path` whose handler takes the decoded body and returns an `Encodable` value, sent as JSON.
    ///
    /// ```swift
    /// Post("/items", body: Item.self) { request, item in Created(id: 7, name: item.name) }
    /// ```
    @_disfavoredOverload
    @inlinable public init<Body: Decodable & Sendable, Output: Encodable & Sendable>(
        _ path: String,
        body: Body.Type,
        _ handler: @escaping @Sendable (Input, Body) async throws -> Output
    ) {
        self.init(
            route: Route(
                method: Self.method, path: path, via: GroupMiddleware(), documentation: RouteDocumentation(body: Body.self, answer: .json(Output.self))
            ) { input in
                try JSONResponse.make(try await handler(input, try await input.request.decode(Body.self)))
            }
        )
    }

    /// This one route.
    public var routes: [Route<Input>] { [route] }
}
