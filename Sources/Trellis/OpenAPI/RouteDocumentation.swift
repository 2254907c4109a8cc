/// What a route declares about itself for the OpenAPI document: the types its path parameters,
/// query and body decode into, what it answers with, and its tags. Read once, when a pipeline is
/// described; never on the request path.
///
/// `@unchecked Sendable` because its stored types are metatypes (`any Decodable.Type`, `Any.Type`),
/// which this toolchain does not count as `Sendable`; a metatype is an immutable reference to type
/// metadata, and the struct holds nothing else mutable or shared, so no confinement rule applies.
@usableFromInline package struct RouteDocumentation: @unchecked Sendable {
    /// What a route's handler answers with.
    @usableFromInline package enum Answer {
        /// `text/plain` (a `String` or `Substring`).
        case text
        /// `application/json`, the `Encodable` value of this type.
        case json(Any.Type)
        /// `application/octet-stream` bytes.
        case bytes
        /// A bare status (`HTTPStatus`): no body.
        case status
        /// A `Response` the handler builds: status and body known only at run time.
        case response
        /// Nothing: the handler always throws.
        case error
    }

    /// The path parameters' type (`path:`), if declared.
    package var path: (any Decodable.Type)?
    /// The query's type (`query:`), if declared.
    package var query: (any Decodable.Type)?
    /// The body's type (`body:`), if declared.
    package var body: (any Decodable.Type)?
    /// One type for path and query (`inputs:`): fields the template names are path parameters,
    /// the others query parameters.
    package var inputs: (any Decodable.Type)?
    /// Parameters declared one by one (`.path("item_id", as: Int.self)`), in order.
    package var parameters: [DeclaredParameter]
    /// What the handler answers with.
    package var answer: Answer
    /// Tags, outermost group first.
    package var tags: [String] = []
    /// Responses the handler declares besides its success (`.responds(.notFound, …)`).
    package var responses: [DeclaredResponse] = []

    @usableFromInline package init(
        path: (any Decodable.Type)? = nil,
        query: (any Decodable.Type)? = nil,
        body: (any Decodable.Type)? = nil,
        inputs: (any Decodable.Type)? = nil,
        parameters: [DeclaredParameter] = [],
        answer: Answer
    ) {
        self.parameters = parameters
        self.path = path
        self.query = query
        self.body = body
        self.inputs = inputs
        self.answer = answer
    }

    /// The answer of a handler returning `Output`.
    @inlinable package static func answer<Output: ResponseConvertible>(of type: Output.Type) -> Answer {
        switch type {
        case is String.Type, is Substring.Type: .text
        case is [UInt8].Type: .bytes
        case is HTTPStatus.Type: .status
        default: .response
        }
    }

    /// Whether the route decodes anything it declared (and so may answer 422).
    package var decodes: Bool { path != nil || query != nil || body != nil || inputs != nil || !parameters.isEmpty }

    /// This documentation with `tag` added in front (a group's, applied from the inside out).
    @usableFromInline package func tagged(_ tag: String?) -> RouteDocumentation {
        guard let tag, !tags.contains(tag) else { return self }
        var copy = self
        copy.tags.insert(tag, at: 0)
        return copy
    }
}
