/// Dispatches requests to routes by method and path; the innermost responder of a pipeline.
///
/// - Paths are matched segment by segment through a prefix tree (`{name}` captures a segment,
///   percent-decoded); lookup cost does not grow with the number of routes.
/// - An unknown path gets `404 Not Found`; a known path with another method gets
///   `405 Method Not Allowed` with an `Allow` header.
/// - `HEAD` is answered for every `GET` route, with the same headers and no body.
/// - One trailing slash is not significant: `/items/42/` matches `/items/{item_id}`.
/// - `OPTIONS *` gets `204 No Content` with `Allow` listing every method the router serves.
/// - These answers, and every error with a response of its own (`HTTPError`, a decoding `422`, a
///   user's `HTTPResponseError`) thrown by a handler, come back from the router as responses, so
///   the middleware above see them after `next`; other errors propagate (and become a 500).
/// - The matched pattern is available as `request.route` (to the handler, and above after `next`).
///
/// ```swift
/// Router {
///     Get("/") { _ in "Hello, World!" }
///     Get("/items/{item_id}") { request in
///         Item(itemID: try request.parameters.require("item_id", as: Int.self), q: request.query["q"])
///     }
/// }
/// // Below a middleware that produces another input, name it:
/// Router.taking(Authenticated<User>.self) { Get("/me") { input in input.user.name } }
/// ```
public struct Router<Input: RequestInput>: Responder {
    /// What this step returns.
    public typealias Output = Response

    /// The routes and their prefix tree, built once and shared: copying a `Router` (the pipeline
    /// moves it through each request's frames) retains one object.
    @usableFromInline final class Table: Sendable {
        @usableFromInline let routes: [Route<Input>]
        @usableFromInline let trie: RouteTrie

        init(routes: [Route<Input>]) {
            self.routes = routes
            self.trie = RouteTrie(patterns: routes.map { ($0.method, $0.path) })
        }
    }

    @usableFromInline let table: Table
    @inlinable var routes: [Route<Input>] { table.routes }
    @inlinable var trie: RouteTrie { table.trie }

    /// A router whose handlers take `inputType`, the type the middleware above it produce.
    ///
    /// (A static method rather than a second initialiser, so that a mistake inside `Router { … }`
    /// is reported as itself instead of as a missing argument of another overload.)
    ///
    /// ```swift
    /// Router.taking(Authenticated<User>.self) { Get("/me") { input in input.user.name } }
    /// ```
    public static func taking(_ inputType: Input.Type, @RouteBuilder<Input> _ content: () -> [Route<Input>]) -> Router {
        Router(routes: content())
    }

    init(routes: [Route<Input>]) {
        table = Table(routes: routes)
    }

    /// Dispatches `input` to its route. Always inlined into the middleware before it: after the
    /// handler, one executor check serves both (see `settleOnCallerExecutor()`, which an answer
    /// without a handler makes so that the middleware's own check is redundant on every path).
    @inlinable @inline(__always) public func respond(to input: Input) async throws -> Response {
        let answer: Response
        if input.request.method == .options && input.request.targetLayout.isAsterisk {
            // OPTIONS * asks about the server as a whole (RFC 9110 §9.3.7).
            answer = Response(status: .noContent, headers: [.allow: table.trie.allMethods])
        } else {
            // The path's bytes read where they lie, from the request's stored parts: no `Substring`
            // made, and no call on `input.request` that could copy the whole request (one did,
            // about 300 instructions, while `request` was a getter).
            switch table.trie.match(method: input.request.method, path: input.request.targetLayout.path, of: input.request.targetText) {
            case .route(let index, let parameters, let isHead):
                input.request.context.setRoute(table.routes[index].path, generation: input.request.generation)
                var response: Response
                do {
                    if parameters.namesThenValues.isEmpty {
                        // Handed on as it came: no copy of the input to change.
                        response = try await table.routes[index].handler(input)
                    } else {
                        var input = input
                        input.request.parameters = parameters
                        // The next request's parameters on this thread take this array: no allocation.
                        defer { input.request.parameters.recycleStorage() }
                        response = try await table.routes[index].handler(input)
                    }
                } catch let error as any HTTPResponseError {
                    response = Response(error: error)
                }
                if isHead { response = Self.headResponse(from: response) }
                return response
            case .methodNotAllowed(let allow):
                answer = Response(error: HTTPError(.methodNotAllowed, "Method Not Allowed", headers: [.allow: allow]))
            case .notFound:
                answer = Response(error: HTTPError(.notFound))
            case .badPath:
                answer = Response(error: HTTPError(.badRequest, "Malformed percent-encoding in the request path."))
            }
        }
        await settleOnCallerExecutor()
        return answer
    }

    /// The `HEAD` answer: the `GET` response's headers with its length, and no body. A streamed
    /// body's length is unknown: it is kept (a server never runs it for `HEAD`) so that the server
    /// sends no framing header rather than a wrong `Content-Length: 0`.
    @usableFromInline static func headResponse(from response: Response) -> Response {
        guard let length = response.body.knownLength else { return response }
        var head = response
        head.headers[.contentLength] = String(length)
        head.body = .empty
        return head
    }

    /// Lists the router and its route table.
    public func describe(into description: inout PipelineDescription) {
        description.addStep("Router<\(Input.self)> (\(routes.count) routes)")
        var headersSet: [HTTPHeaders.Name] = []
        for route in routes {
            for name in route.via.headersSet where !headersSet.contains(name) { headersSet.append(name) }
            let via = route.via.names.isEmpty ? "" : "  via " + route.via.names.joined(separator: " → ")
            let method = route.method.rawValue.padding(toLength: 7)
            description.addRoute("\(method) \(route.path)\(via)")
            description.addOperation(route.method, route.path, documentation: route.documentation, via: route.via)
            if let problem = RouteCheck.problem(of: route.method, route.path, route.documentation) { description.addProblem(problem) }
        }
        // Headers a group's middleware set count as set: CORS may expose them without a warning.
        for name in headersSet { description.declareSets(name) }
        for duplicate in trie.duplicates {
            description.addWarning("route \(duplicate) is defined twice; only the first one answers.")
        }
    }
}

extension Router where Input == Request {
    /// A router directly below middleware that pass the `Request` on unchanged (the common case).
    ///
    /// ```swift
    /// Router { Get("/") { _ in "Hello, World!" } }
    /// ```
    public init(@RouteBuilder<Request> _ content: () -> [Route<Request>]) {
        self.init(routes: content())
    }
}

extension String {
    func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}

/// Start-up checks of what a route declares.
enum RouteCheck {
    /// Why a declared path type does not fit the route's template (nil when it does).
    static func problem(of method: HTTPMethod, _ path: String, _ documentation: RouteDocumentation) -> String? {
        if !documentation.parameters.isEmpty, let problem = problem(of: documentation.parameters, template: path) {
            return "\(method.rawValue) \(path): \(problem)"
        }
        if let inputsType = documentation.inputs {
            let fields: [String]
            do {
                fields = try SchemaRegistry().fields(of: inputsType).map(\.name)
            } catch {
                return "\(method.rawValue) \(path): \(error)"
            }
            let missing = RoutePath.parameterNames(path).filter { !fields.contains($0) }
            guard !missing.isEmpty else { return nil }
            return "\(method.rawValue) \(path): the path declares \(missing.map { "{\($0)}" }.joined(separator: ", ")) but \(inputsType) "
                + "has no field of that name (its fields: \(fields.joined(separator: ", "))); add the field or rename the parameter."
        }
        guard let pathType = documentation.path else { return nil }
        let fields: [String]
        do {
            fields = try SchemaRegistry().fields(of: pathType).map(\.name)
        } catch {
            return "\(method.rawValue) \(path): \(error)"
        }
        let names = RoutePath.parameterNames(path)
        guard Set(fields) != Set(names) else { return nil }
        let template = names.map { "{\($0)}" }.joined(separator: ", ")
        return "\(method.rawValue) \(path): the path declares \(template.isEmpty ? "no parameters" : template) but \(pathType) has the fields "
            + "\(fields.joined(separator: ", ")); rename one side so each {name} in the path is a field of \(pathType)."
    }

    /// Why parameters declared one by one do not fit `template`: a name declared twice in one
    /// place, a declared path parameter the template lacks, or (once any is declared) a template
    /// parameter left undeclared.
    private static func problem(of parameters: [DeclaredParameter], template: String) -> String? {
        var seen: [String] = []
        for parameter in parameters {
            let key = "\(parameter.source.rawValue) \(parameter.source == .header ? HTTPSyntax.lowercased(parameter.name) : parameter.name)"
            if seen.contains(key) { return "the \(parameter.source.rawValue) parameter '\(parameter.name)' is declared twice; declare it once." }
            seen.append(key)
        }
        let names = RoutePath.parameterNames(template)
        let declared = parameters.filter { $0.source == .path }.map(\.name)
        if let stray = declared.first(where: { !names.contains($0) }) {
            return "the path parameter '\(stray)' is declared but the path has no {\(stray)}; add it to the path or declare .query(\"\(stray)\") instead."
        }
        if !declared.isEmpty, let missing = names.first(where: { !declared.contains($0) }) {
            return "the path has {\(missing)} but no .path(\"\(missing)\", as: …) among the declared parameters; declare it."
        }
        return nil
    }
}
