// Overloads that exist only to turn a newcomer's mistake into an error that names the fix. Each is
// unavailable, so a program that needs one does not compile, and disfavoured, so it never competes
// with a real initialiser; each is kept by a compile-fail fixture (Tests/CompileFailTests).

extension MethodRoute {
    /// A handler whose return type is not a response: the real initialisers do not apply, and this
    /// one says what would.
    @_disfavoredOverload
    @available(
        *, unavailable,
        message: "a handler returns a String, bytes, HTTPStatus or Response, or an Encodable value (sent as JSON): make the returned type Encodable, or return Response(…)"
    )
    public init<Output>(_ path: String, _ handler: @escaping @Sendable (Input) async throws -> Output) {
        self.init(route: Route(method: Self.method, path: path, via: GroupMiddleware(), documentation: RouteDocumentation(answer: .error)) { _ in throw HTTPError(.internalServerError) })
    }
}

extension MethodRoute where Input == Request {
    /// A route written straight into `Pipeline { }`: outside a `Router` nothing gives its handler an
    /// input type, so this one takes `Request` only to say where routes go.
    @_disfavoredOverload
    @available(*, unavailable, message: "routes go inside a Router: make `Router { … }` the last line of the Pipeline and put the routes in it")
    public init<Output: ResponseConvertible>(_ path: String, _ handler: @escaping @Sendable (Request) async throws -> Output) {
        self.init(route: Route(method: Self.method, path: path, via: GroupMiddleware(), documentation: RouteDocumentation(answer: .error)) { _ in throw HTTPError(.internalServerError) })
    }
}

/// The message of a provided value read where nothing provides it.
extension With {
    /// A property neither this input nor any above it has, such as a value (`input.user`) whose
    /// middleware is not above the route: the error says what to add.
    @available(
        *, unavailable,
        message: "no such property on this input: a value (input.user, input.session, …) is readable only below the middleware that adds it: put that middleware (BearerAuth, BasicAuth, Provide, …) above this route; name your own value with `extension With where Value == T { var name: T { value } }`"
    )
    public subscript(dynamicMember name: String) -> NotProvidedAboveThisRoute { NotProvidedAboveThisRoute() }
}

extension Request {
    /// A property a `Request` does not have, such as a provided value (`input.user`, `input.session`)
    /// read in a route whose input has no provider above it: the error says what to add.
    @available(
        *, unavailable,
        message: "no such property: a provided value (input.user, input.session, …) exists only below the middleware that adds it (BearerAuth, BasicAuth, Provide, …): put it above the Router or in Group(_:middleware:), and take its input with Router.taking(With<Value, Request>.self)"
    )
    // `StaticString`, not `String`: a key path cannot go through it (its index is not `Hashable`),
    // so below a provider `With`'s own subscript reports the mistake, at the line that made it.
    public subscript(dynamicMember name: StaticString) -> NotProvidedAboveThisRoute { NotProvidedAboveThisRoute() }
}

/// The type of a value read where no middleware above provides it (`input.user` in a route without
/// `BearerAuth` above it). Nothing can create one: a program that reads one does not compile, and
/// the compiler's message says which middleware to add.
@dynamicMemberLookup
public struct NotProvidedAboveThisRoute: ResponseConvertible {
    fileprivate init() {}
    /// Lets `input.user.name` report only the first, useful error.
    public subscript(dynamicMember name: String) -> NotProvidedAboveThisRoute { self }
    /// Unreachable.
    public func makeResponse() -> Response { Response(status: .internalServerError) }
}
