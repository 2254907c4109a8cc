/// One parameter a route declares — a path parameter, a query parameter or a header — read and
/// converted before the handler runs, which receives it typed, in the order declared (FastAPI's
/// `def read_item(item_id: int, q: str | None = None)`):
///
/// ```swift
/// Get("/items/{item_id}", .path("item_id", as: Int.self), .query("q", as: String?.self)) { request, itemID, q in
///     Item(itemID: itemID, q: q)
/// }
/// ```
///
/// A value that does not convert, or a required one that is absent, is a `422` located at
/// `["path", name]`, `["query", name]` or `["header", name]` (one response lists every parameter
/// that is wrong), and the handler is not called. The OpenAPI document lists each parameter with
/// its schema, and a path parameter the template does not name stops the server at start-up.
/// Reading costs what reading by hand does (`request.parameters["item_id"]`, then `Int(_:)`): no
/// decoder, no allocation but the value's own.
public struct Parameter<Value: ParameterValue>: Sendable {
    /// The parameter's name: the `{name}` in the template, the query's field, or the header's name.
    public let name: String
    @usableFromInline let location: ParameterLocation

    @usableFromInline init(name: String, location: ParameterLocation) {
        self.name = name
        self.location = location
    }

    /// The path parameter `{name}` of the route's template.
    ///
    /// ```swift
    /// Get("/items/{item_id}", .path("item_id", as: Int.self)) { request, itemID in "item \(itemID)" }
    /// ```
    public static func path(_ name: String, as type: Value.Type = Value.self) -> Parameter {
        Parameter(name: name, location: .path)
    }

    /// The query parameter `name` (its last value when repeated); optional when `Value` is.
    ///
    /// ```swift
    /// Get("/search", .query("q", as: String.self), .query("limit", as: Int?.self)) { request, q, limit in … }
    /// ```
    public static func query(_ name: String, as type: Value.Type = Value.self) -> Parameter {
        Parameter(name: name, location: .query)
    }

    /// The header `name` (its first field when repeated); optional when `Value` is.
    ///
    /// ```swift
    /// Get("/items", .header("X-Tenant", as: String.self)) { request, tenant in … }
    /// ```
    public static func header(_ name: String, as type: Value.Type = Value.self) -> Parameter {
        Parameter(name: name, location: .header(HTTPHeaders.Name(name)))
    }

    /// The value in `request`; when there is none, `nil`, and the issue that says why is added
    /// to `issues` (so that one `422` lists every parameter that is wrong).
    @inlinable func read(from request: Request, into issues: inout [ValidationError.Issue]) -> Value? {
        guard let text = text(in: request) else {
            if let absent = Value.valueWhenAbsent { return absent }
            issues += ValidationError(source, path: [.key(name)], message: "Field required", type: "missing").issues
            return nil
        }
        if let value = Value(parameterText: text) { return value }
        issues += ValidationError.unparsable(text, as: Value.self, source: source, name: name).issues
        return nil
    }

    /// The parameter's text in `request`, or `nil` when absent.
    @usableFromInline func text(in request: Request) -> String? {
        switch location {
        case .path: request.parameters[name]
        // Read where the query lies (`request.target` made a string of a long target each time).
        case .query: request.query.last(name)
        case .header(let name): request.headers[name]
        }
    }

    /// Where a `422` about this parameter points.
    @usableFromInline var source: ValidationError.Source {
        switch location {
        case .path: .path
        case .query: .query
        case .header: .header
        }
    }

    /// What the OpenAPI document and the start-up checks know of it.
    @usableFromInline var declaration: DeclaredParameter {
        DeclaredParameter(name: name, source: source, type: Value.self, required: Value.valueWhenAbsent.map { _ in false } ?? true)
    }
}

/// Where a declared parameter is read from. Not nested in `Parameter`: a type nested in a generic
/// type is one type per `Value`, which nothing here needs (and, in Swift 6.3, release builds of a
/// parameter-pack route crashed the compiler on exactly such an enum).
@usableFromInline enum ParameterLocation: Sendable {
    case path
    case query
    case header(HTTPHeaders.Name)
}

/// A parameter as the OpenAPI document lists it.
///
/// `@unchecked Sendable`: every stored property is a `let`, and the only one this toolchain does
/// not count as `Sendable` is a metatype (immutable type metadata, as in `RouteDocumentation`);
/// nothing in it is mutable or shared, so no confinement rule applies.
@usableFromInline package struct DeclaredParameter: @unchecked Sendable {
    package let name: String
    package let source: ValidationError.Source
    package let type: any Decodable.Type
    package let required: Bool

    @usableFromInline package init(name: String, source: ValidationError.Source, type: any Decodable.Type, required: Bool) {
        self.name = name
        self.source = source
        self.type = type
        self.required = required
    }
}
