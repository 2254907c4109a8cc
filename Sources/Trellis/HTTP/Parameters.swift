/// Path parameters captured by the router, e.g. `item_id` in `/items/{item_id}`; values are percent-decoded.
///
/// ```swift
/// Get("/items/{item_id}") { request in
///     let id = try request.parameters.require("item_id", as: Int.self) // 422 for /items/abc
///     return "item \(id)"
/// }
/// ```
public struct Parameters: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    /// The names, then the values in the same order: one array, so that a route's captured
    /// parameters cost one allocation (the router fills it once) and a decoder can carry them in
    /// one word.
    @usableFromInline package var namesThenValues: [String]

    /// No parameters.
    @inlinable public init() {
        namesThenValues = []
    }

    /// Parameters from one list of the names followed by the values in the same order.
    @inlinable package init(namesThenValues: [String]) {
        self.namesThenValues = namesThenValues
    }

    /// Parameters from a literal, mostly for tests: `["id": "42"]`.
    public init(dictionaryLiteral elements: (String, String)...) {
        namesThenValues = elements.map(\.0) + elements.map(\.1)
    }

    /// Empties the parameters and keeps their storage for the next route match on this thread
    /// (`ThreadSpares`): the router calls it once the handler has returned.
    @usableFromInline package mutating func recycleStorage() { ThreadSpares.keep(&namesThenValues) }

    /// The parameter names, in the route's order.
    @usableFromInline var names: ArraySlice<String> { namesThenValues[..<(namesThenValues.count / 2)] }

    /// Adds a captured parameter.
    @inlinable public mutating func append(_ name: String, _ value: String) {
        namesThenValues.insert(name, at: namesThenValues.count / 2)
        namesThenValues.append(value)
    }

    /// The raw (decoded) value of `name`, or `nil` if the route has no such parameter.
    ///
    /// ```swift
    /// request.parameters["item_id"] // "42"
    /// ```
    public subscript(name: String) -> String? {
        guard let index = names.firstIndex(of: name) else { return nil }
        return namesThenValues[index + namesThenValues.count / 2]
    }

    /// The value of `name`; throws a 500 `HTTPError` if the route has no such parameter (a programming error).
    ///
    /// ```swift
    /// let slug = try request.parameters.require("slug")
    /// ```
    public func require(_ name: String) throws(HTTPError) -> String {
        guard let value = self[name] else {
            throw HTTPError(.internalServerError, "Route has no path parameter '\(name)'.")
        }
        return value
    }

    /// The value of `name` converted to `T`; throws a 422 `ValidationError` located at
    /// `["path", name]` when the text does not convert (a 500 `HTTPError` when the route has no
    /// such parameter).
    ///
    /// ```swift
    /// let id = try request.parameters.require("item_id", as: Int.self)
    /// // /items/abc → 422 {"detail":[{"loc":["path","item_id"],"msg":"Input should be a valid integer, got 'abc'","type":"int_parsing"}]}
    /// ```
    ///
    /// Inlinable, so that it is specialised for `T` where it is called: unspecialised, the
    /// conversion went through `T`'s witness table and looked up `Optional<T>`'s metadata (about
    /// 400 instructions a call for `Int`).
    @inlinable public func require<T: LosslessStringConvertible>(_ name: String, as type: T.Type) throws -> T {
        let text = try require(name)
        guard let value = T(text) else { throw ValidationError.unparsable(text, as: T.self, source: .path, name: name) }
        return value
    }

    /// Decodes the path parameters into `T` (a struct with one field per `{name}`, converted as
    /// `FormDecoder` converts form fields); a value that does not fit throws a `422`
    /// `ValidationError` located at `["path", name]`.
    ///
    /// ```swift
    /// struct ItemPath: Decodable { let item_id: Int }
    /// let path = try request.parameters.decode(ItemPath.self)
    /// ```
    public func decode<T: Decodable>(_ type: T.Type) throws(ValidationError) -> T {
        try FormDecoder.decode(type, namesThenValues: namesThenValues, source: .path)
    }

    /// Decodes `T` from the path parameters, then the query of `target` for the fields they do not name
    /// (a declared route's `inputs:`).
    @usableFromInline package func decode<T: Decodable>(_ type: T.Type, thenQueryOf target: String) throws(ValidationError) -> T {
        try FormDecoder.decode(type, namesThenValues: namesThenValues, thenQueryOf: target, source: .query)
    }

    /// `error` with each issue about a field these parameters name moved to `path`.
    @usableFromInline package func relocating(_ error: ValidationError) -> ValidationError {
        ValidationError(issues: error.issues.map { issue in
            guard case .key(let name)? = issue.path.first, names.contains(name) else { return issue }
            return ValidationError.Issue(source: .path, path: issue.path, message: issue.message, type: issue.type)
        })
    }
}
