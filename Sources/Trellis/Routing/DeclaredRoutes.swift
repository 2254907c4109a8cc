/// Routes that declare what they read — path parameters, query, body — as `Decodable` types: the
/// handler receives them decoded (a value that does not fit is a `422` located at `path`, `query`
/// or `body`, and the handler is not called), the OpenAPI document describes them, and a path
/// template whose `{names}` differ from the path type's fields stops the server at start-up.
///
/// ```swift
/// struct ItemPath: Decodable { let item_id: Int }
/// struct ItemQuery: Decodable { let q: String? }
/// Get("/items/{item_id}", path: ItemPath.self, query: ItemQuery.self) { request, path, query in
///     Item(itemID: path.item_id, q: query.q)
/// }
/// ```
extension MethodRoute {
    /// A route whose handler takes its path parameters decoded as `Path` and returns JSON.
    ///
    /// ```swift
    /// Get("/items/{item_id}", path: ItemPath.self) { request, path in Item(itemID: path.item_id, q: nil) }
    /// ```
    @_disfavoredOverload
    @inlinable public init<Path: Decodable & Sendable, Output: Encodable & Sendable>(
        _ template: String,
        path: Path.Type,
        _ handler: @escaping @Sendable (Input, Path) async throws -> Output
    ) {
        self.init(template, declaring: RouteDocumentation(path: Path.self, answer: .json(Output.self))) { input in
            try JSONResponse.make(try await handler(input, try DeclaredInputs.path(Path.self, of: input.request)))
        }
    }

    /// A route whose handler takes its path parameters decoded as `Path` and returns text, bytes or a `Response`.
    ///
    /// ```swift
    /// Get("/hello/{name}", path: Greeting.self) { request, path in "Hello, \(path.name)!" }
    /// ```
    @inlinable public init<Path: Decodable & Sendable, Output: ResponseConvertible>(
        _ template: String,
        path: Path.Type,
        _ handler: @escaping @Sendable (Input, Path) async throws -> Output
    ) {
        self.init(template, declaring: RouteDocumentation(path: Path.self, answer: RouteDocumentation.answer(of: Output.self))) { input in
            try await handler(input, try DeclaredInputs.path(Path.self, of: input.request)).makeResponse()
        }
    }

    /// A route whose handler takes its query decoded as `Query` and returns JSON.
    ///
    /// ```swift
    /// Get("/search", query: Search.self) { request, query in Results(for: query.q) }
    /// ```
    @_disfavoredOverload
    @inlinable public init<Query: Decodable & Sendable, Output: Encodable & Sendable>(
        _ template: String,
        query: Query.Type,
        _ handler: @escaping @Sendable (Input, Query) async throws -> Output
    ) {
        self.init(template, declaring: RouteDocumentation(query: Query.self, answer: .json(Output.self))) { input in
            try JSONResponse.make(try await handler(input, try DeclaredInputs.query(Query.self, of: input.request)))
        }
    }

    /// A route whose handler takes its query decoded as `Query` and returns text, bytes or a `Response`.
    ///
    /// ```swift
    /// Get("/echo", query: Echo.self) { request, query in query.text }
    /// ```
    @inlinable public init<Query: Decodable & Sendable, Output: ResponseConvertible>(
        _ template: String,
        query: Query.Type,
        _ handler: @escaping @Sendable (Input, Query) async throws -> Output
    ) {
        self.init(template, declaring: RouteDocumentation(query: Query.self, answer: RouteDocumentation.answer(of: Output.self))) { input in
            try await handler(input, try DeclaredInputs.query(Query.self, of: input.request)).makeResponse()
        }
    }

    /// A route whose handler takes its path parameters and query, decoded, and returns JSON (one
    /// `422` lists what is wrong in both).
    ///
    /// ```swift
    /// Get("/items/{item_id}", path: ItemPath.self, query: ItemQuery.self) { request, path, query in
    ///     Item(itemID: path.item_id, q: query.q)
    /// }
    /// ```
    @_disfavoredOverload
    @inlinable public init<Path: Decodable & Sendable, Query: Decodable & Sendable, Output: Encodable & Sendable>(
        _ template: String,
        path: Path.Type,
        query: Query.Type,
        _ handler: @escaping @Sendable (Input, Path, Query) async throws -> Output
    ) {
        self.init(template, declaring: RouteDocumentation(path: Path.self, query: Query.self, answer: .json(Output.self))) { input in
            let (path, query) = try DeclaredInputs.path(Path.self, query: Query.self, of: input.request)
            return try JSONResponse.make(try await handler(input, path, query))
        }
    }

    /// A route whose handler takes its path parameters and query, decoded, and returns text, bytes or a `Response`.
    ///
    /// ```swift
    /// Get("/users/{id}/greeting", path: UserPath.self, query: Style.self) { request, path, query in "…" }
    /// ```
    @inlinable public init<Path: Decodable & Sendable, Query: Decodable & Sendable, Output: ResponseConvertible>(
        _ template: String,
        path: Path.Type,
        query: Query.Type,
        _ handler: @escaping @Sendable (Input, Path, Query) async throws -> Output
    ) {
        self.init(
            template,
            declaring: RouteDocumentation(path: Path.self, query: Query.self, answer: RouteDocumentation.answer(of: Output.self))
        ) { input in
            let (path, query) = try DeclaredInputs.path(Path.self, query: Query.self, of: input.request)
            return try await handler(input, path, query).makeResponse()
        }
    }

    /// A route whose handler takes its path parameters and body, decoded, and returns JSON.
    ///
    /// ```swift
    /// Put("/items/{item_id}", path: ItemPath.self, body: NewItem.self) { request, path, item in Item(itemID: path.item_id, q: item.name) }
    /// ```
    @_disfavoredOverload
    @inlinable public init<Path: Decodable & Sendable, Body: Decodable & Sendable, Output: Encodable & Sendable>(
        _ template: String,
        path: Path.Type,
        body: Body.Type,
        _ handler: @escaping @Sendable (Input, Path, Body) async throws -> Output
    ) {
        self.init(template, declaring: RouteDocumentation(path: Path.self, body: Body.self, answer: .json(Output.self))) { input in
            let path = try DeclaredInputs.path(Path.self, of: input.request)
            return try JSONResponse.make(try await handler(input, path, try await input.request.decode(Body.self)))
        }
    }

    /// A route whose handler takes its path parameters and body, decoded, and returns text, bytes or a `Response`.
    ///
    /// ```swift
    /// Put("/notes/{id}", path: NotePath.self, body: Note.self) { request, path, note in HTTPStatus.noContent }
    /// ```
    @inlinable public init<Path: Decodable & Sendable, Body: Decodable & Sendable, Output: ResponseConvertible>(
        _ template: String,
        path: Path.Type,
        body: Body.Type,
        _ handler: @escaping @Sendable (Input, Path, Body) async throws -> Output
    ) {
        self.init(
            template,
            declaring: RouteDocumentation(path: Path.self, body: Body.self, answer: RouteDocumentation.answer(of: Output.self))
        ) { input in
            let path = try DeclaredInputs.path(Path.self, of: input.request)
            return try await handler(input, path, try await input.request.decode(Body.self)).makeResponse()
        }
    }

    /// A route whose handler takes its path parameters and query as one type, FastAPI's rule: a
    /// field the template names is a path parameter, any other a query parameter. Returns JSON.
    ///
    /// ```swift
    /// struct ItemLookup: Decodable, Sendable { let item_id: Int; let q: String? }
    /// Get("/items/{item_id}", inputs: ItemLookup.self) { request, lookup in Item(itemID: lookup.item_id, q: lookup.q) }
    /// ```
    @_disfavoredOverload
    @inlinable public init<Inputs: Decodable & Sendable, Output: Encodable & Sendable>(
        _ template: String,
        inputs: Inputs.Type,
        _ handler: @escaping @Sendable (Input, Inputs) async throws -> Output
    ) {
        self.init(template, declaring: RouteDocumentation(inputs: Inputs.self, answer: .json(Output.self))) { input in
            try JSONResponse.make(try await handler(input, try DeclaredInputs.inputs(Inputs.self, of: input.request)))
        }
    }

    /// A route whose handler takes its path parameters and query as one type and returns text,
    /// bytes or a `Response`.
    ///
    /// ```swift
    /// Get("/hello/{name}", inputs: Greeting.self) { request, greeting in "Hello, \(greeting.name)\(greeting.punctuation ?? "!")" }
    /// ```
    @inlinable public init<Inputs: Decodable & Sendable, Output: ResponseConvertible>(
        _ template: String,
        inputs: Inputs.Type,
        _ handler: @escaping @Sendable (Input, Inputs) async throws -> Output
    ) {
        self.init(template, declaring: RouteDocumentation(inputs: Inputs.self, answer: RouteDocumentation.answer(of: Output.self))) { input in
            try await handler(input, try DeclaredInputs.inputs(Inputs.self, of: input.request)).makeResponse()
        }
    }

    /// A route whose handler takes its path parameters and query as one type, and its body. Returns JSON.
    ///
    /// ```swift
    /// Put("/items/{item_id}", inputs: ItemLookup.self, body: NewItem.self) { request, lookup, item in … }
    /// ```
    @_disfavoredOverload
    @inlinable public init<Inputs: Decodable & Sendable, Body: Decodable & Sendable, Output: Encodable & Sendable>(
        _ template: String,
        inputs: Inputs.Type,
        body: Body.Type,
        _ handler: @escaping @Sendable (Input, Inputs, Body) async throws -> Output
    ) {
        self.init(template, declaring: RouteDocumentation(body: Body.self, inputs: Inputs.self, answer: .json(Output.self))) { input in
            let inputs = try DeclaredInputs.inputs(Inputs.self, of: input.request)
            return try JSONResponse.make(try await handler(input, inputs, try await input.request.decode(Body.self)))
        }
    }

    /// A route whose handler takes its path parameters and query as one type, and its body, and
    /// returns text, bytes or a `Response`.
    ///
    /// ```swift
    /// Put("/notes/{id}", inputs: NoteLookup.self, body: Note.self) { request, lookup, note in HTTPStatus.noContent }
    /// ```
    @inlinable public init<Inputs: Decodable & Sendable, Body: Decodable & Sendable, Output: ResponseConvertible>(
        _ template: String,
        inputs: Inputs.Type,
        body: Body.Type,
        _ handler: @escaping @Sendable (Input, Inputs, Body) async throws -> Output
    ) {
        self.init(
            template,
            declaring: RouteDocumentation(body: Body.self, inputs: Inputs.self, answer: RouteDocumentation.answer(of: Output.self))
        ) { input in
            let inputs = try DeclaredInputs.inputs(Inputs.self, of: input.request)
            return try await handler(input, inputs, try await input.request.decode(Body.self)).makeResponse()
        }
    }

    /// The same route, documented as also answering `status` (an `HTTPError` its handler throws):
    /// the OpenAPI document lists it, so clients and checkers expect it.
    ///
    /// ```swift
    /// Get("/items/{item_id}", path: ItemPath.self) { request, path in try store.item(path.item_id) }
    ///     .responds(.notFound, "No item has this id.")
    /// ```
    public func responds(_ status: HTTPStatus, _ meaning: String) -> Self {
        var route = self.route
        route.documentation.responses.append(DeclaredResponse(status: status, meaning: meaning, headers: []))
        return Self(route: route)
    }

    /// A route at `template` with its documentation and its converted handler.
    @inlinable init(
        _ template: String,
        declaring documentation: RouteDocumentation,
        _ respond: @escaping @Sendable (Input) async throws -> Response
    ) {
        self.init(route: Route(method: Self.method, path: template, via: GroupMiddleware(), documentation: documentation, respond: respond))
    }
}

/// Decoding of declared path parameters and queries.
@usableFromInline enum DeclaredInputs {
    @inlinable static func path<Path: Decodable>(_ type: Path.Type, of request: Request) throws(ValidationError) -> Path {
        try request.parameters.decode(type)
    }

    /// The query, read from the raw query string in place.
    @inlinable static func query<Query: Decodable>(_ type: Query.Type, of request: Request) throws(ValidationError) -> Query {
        try FormDecoder.decode(type, queryOf: request.target, source: .query)
    }

    /// Path parameters and query as one type; each issue located at `path` or `query` by whether
    /// the route's template names the field.
    @inlinable static func inputs<Inputs: Decodable>(_ type: Inputs.Type, of request: Request) throws(ValidationError) -> Inputs {
        do {
            return try request.parameters.decode(type, thenQueryOf: request.target)
        } catch {
            throw request.parameters.relocating(error)
        }
    }

    /// Both, or one `ValidationError` with the issues of both.
    @inlinable static func path<Path: Decodable, Query: Decodable>(
        _ pathType: Path.Type,
        query queryType: Query.Type,
        of request: Request
    ) throws(ValidationError) -> (Path, Query) {
        let path: Result<Path, ValidationError> = Result { () throws(ValidationError) in try request.parameters.decode(pathType) }
        let query: Result<Query, ValidationError> = Result { () throws(ValidationError) in try DeclaredInputs.query(queryType, of: request) }
        switch (path, query) {
        case (.success(let path), .success(let query)): return (path, query)
        case (.failure(let pathError), .failure(let queryError)): throw ValidationError(issues: pathError.issues + queryError.issues)
        case (.failure(let error), _), (_, .failure(let error)): throw error
        }
    }
}
