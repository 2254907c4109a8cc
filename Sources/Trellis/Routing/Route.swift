/// One endpoint: a method, a path pattern such as `/items/{item_id}`, and the handler that answers it.
///
/// Routes are made by `Get`, `Post`, `Put`, `Patch`, `Delete`, `Options` and `On` inside a `Router`
/// or `Group`; the handler's result is converted to a `Response` when the route is made.
///
/// ```swift
/// let route = Route<Request>(method: .get, path: "/") { _ in "Hello" }
/// ```
public struct Route<Input: RequestInput>: Sendable {
    /// The method this route answers.
    public let method: HTTPMethod
    /// The path pattern: `/`-separated literal segments and `{name}` parameters.
    public let path: String
    /// What the group middleware the route runs through add to a pipeline's description: their
    /// names (outermost first) and the headers they declare they set.
    @usableFromInline package let via: GroupMiddleware
    /// Calls the user's handler and converts its result.
    @usableFromInline let handler: @Sendable (Input) async throws -> Response
    /// What the route declares for the OpenAPI document (read when the pipeline is described).
    @usableFromInline package var documentation: RouteDocumentation

    /// A route whose handler returns any `ResponseConvertible` (`String`, `Response`, bytes, …).
    @inlinable public init<Output: ResponseConvertible>(
        method: HTTPMethod,
        path: String,
        handler: @escaping @Sendable (Input) async throws -> Output
    ) {
        self.init(
            method: method, path: path, via: GroupMiddleware(),
            documentation: RouteDocumentation(answer: RouteDocumentation.answer(of: Output.self)),
            respond: { try await handler($0).makeResponse() }
        )
    }

    /// A route whose handler returns an `Encodable` value, sent as `application/json`.
    @_disfavoredOverload
    @inlinable public init<Output: Encodable & Sendable>(
        method: HTTPMethod,
        path: String,
        handler: @escaping @Sendable (Input) async throws -> Output
    ) {
        self.init(
            method: method, path: path, via: GroupMiddleware(), documentation: RouteDocumentation(answer: .json(Output.self)),
            respond: { try JSONResponse.make(try await handler($0)) }
        )
    }

    /// A route from a handler that already answers with a `Response`, behind `via`.
    @inlinable package init(
        method: HTTPMethod,
        path: String,
        via: GroupMiddleware,
        documentation: RouteDocumentation,
        respond: @escaping @Sendable (Input) async throws -> Response
    ) {
        self.method = method
        self.path = path
        self.via = via
        self.documentation = documentation
        self.handler = respond
    }

    /// The same route under a path prefix (tagged with the prefix's last literal segment).
    func prefixed(by prefix: String) -> Route {
        Route(
            method: method, path: RoutePath.join(prefix, path), via: via,
            documentation: documentation.tagged(RoutePath.tag(of: prefix)), respond: handler
        )
    }
}

/// The group middleware a route runs through, as a pipeline's description shows them.
@usableFromInline package struct GroupMiddleware: Sendable {
    /// Their names, outermost first.
    package var names: [String] = []
    /// The response headers they declare they set.
    package var headersSet: [HTTPHeaders.Name] = []
    /// The security schemes they declare.
    package var securitySchemes: [SecurityScheme] = []
    /// The responses they declare they may answer with.
    package var responsesDeclared: [DeclaredResponse] = []

    @usableFromInline package init() {}

    /// `middleware` in front of `inner`.
    @usableFromInline package init<M: Middleware>(_ middleware: M, before inner: GroupMiddleware) {
        var description = PipelineDescription()
        middleware.describe(into: &description)
        names = [description.steps.joined(separator: " → ")] + inner.names
        headersSet = description.headersSet + inner.headersSet
        securitySchemes = description.securitySchemes + inner.securitySchemes
        responsesDeclared = description.responsesDeclared + inner.responsesDeclared
    }
}

/// Path pattern helpers.
@usableFromInline enum RoutePath {
    /// The OpenAPI tag a group's prefix gives its routes: its last literal segment (`/api/users` → `users`).
    @usableFromInline static func tag(of prefix: String) -> String? {
        prefix.split(separator: "/").last { !$0.hasPrefix("{") }.map(String.init)
    }

    /// The `{name}` parameters of a pattern, in order.
    static func parameterNames(_ path: String) -> [String] {
        path.split(separator: "/").compactMap { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? String(segment.dropFirst().dropLast()) : nil
        }
    }

    /// Joins two patterns with exactly one `/` between them.
    @usableFromInline static func join(_ prefix: String, _ path: String) -> String {
        let head = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        let tail = path.hasPrefix("/") ? path : "/" + path
        let joined = head + tail
        return joined.count > 1 && joined.hasSuffix("/") ? String(joined.dropLast()) : joined
    }
}
