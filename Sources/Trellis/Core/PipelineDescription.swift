/// What a pipeline is made of, in order: its middleware, its routes, and the response headers its
/// middleware declare they set or expose. `Pipeline.description` prints it and
/// `Pipeline.diagnostics` reports what does not add up.
///
/// ```swift
/// print(app.description)
/// // Pipeline:
/// //   ProcessTime(X-Process-Time)
/// //   CORS(origins: https://example.com http://localhost:3000, methods: GET POST PUT DELETE OPTIONS, headers: Content-Type Authorization X-Requested-With Accept Accept-Language Content-Language, credentials, expose: X-Process-Time, max-age: 600 s)
/// //   Router<Request> (3 routes)
/// // Routes:
/// //   GET     /
/// //   GET     /items/{item_id}
/// //   POST    /echo
/// for warning in app.diagnostics { print("warning:", warning) }
/// ```
public struct PipelineDescription: Sendable, CustomStringConvertible {
    /// Middleware and responders, outermost first.
    public private(set) var steps: [String] = []
    /// Route table lines, e.g. `"GET /items/{item_id}"`.
    public private(set) var routes: [String] = []
    /// Response headers some step declares it sets (as declared).
    public private(set) var headersSet: [HTTPHeaders.Name] = []
    /// Response headers some step exposes to browsers, with the step that exposes them.
    public private(set) var headersExposed: [(name: HTTPHeaders.Name, by: String)] = []
    /// Problems a step reported about itself (e.g. a route defined twice).
    public private(set) var warnings: [String] = []

    /// An empty description.
    public init() {}

    /// Adds a middleware or responder name.
    ///
    /// ```swift
    /// description.addStep("RateLimit(100/s)")
    /// ```
    public mutating func addStep(_ name: String) { steps.append(name) }

    /// Records a warning about the composition.
    public mutating func addWarning(_ text: String) { warnings.append(text) }

    /// Adds a route table line.
    package mutating func addRoute(_ line: String) { routes.append(line) }

    /// Declares that a step sets `name` on responses (so `CORS` may expose it).
    ///
    /// ```swift
    /// description.declareSets(.xProcessTime)
    /// ```
    public mutating func declareSets(_ name: HTTPHeaders.Name) { headersSet.append(name) }

    /// Declares that `step` exposes `name` to browsers.
    package mutating func declareExposes(_ name: HTTPHeaders.Name, by step: String) { headersExposed.append((name, step)) }

    /// Problems found in the composition, as warning sentences: an exposed header no step declares it sets.
    public var diagnostics: [String] {
        warnings + headersExposed.compactMap { exposed in
            headersSet.contains(exposed.name)
                ? nil
                : "\(exposed.by) exposes '\(exposed.name.rawName)' but no middleware in the pipeline declares that it sets it."
        }
    }

    /// `Pipeline:` and the steps one per line (outermost first), then `Routes:` and the route
    /// table, then one `warning:` line per diagnostic.
    public var description: String {
        var lines: [String] = []
        lines.append("Pipeline:")
        lines += steps.map { "  " + $0 }
        if !routes.isEmpty {
            lines.append("Routes:")
            lines += routes.map { "  " + $0 }
        }
        lines += problems.map { "error: " + $0 }
        lines += diagnostics.map { "warning: " + $0 }
        return lines.joined(separator: "\n")
    }

    // MARK: What the OpenAPI document is built from

    /// Every route, with what it declares and what the middleware in front of it add.
    package private(set) var operations: [DescribedOperation] = []
    /// The security schemes middleware declared, in order (outermost first).
    public private(set) var securitySchemes: [SecurityScheme] = []
    /// Mistakes that stop a server from starting with this pipeline (a path template whose
    /// parameters differ from its declared path type, a type the OpenAPI document cannot describe).
    public private(set) var problems: [String] = []
    /// Run once the whole pipeline has been described (`OpenAPIDocs` builds its document here);
    /// each returns problems.
    package private(set) var completions: [@Sendable (PipelineDescription, ErrorFormat) -> [String]] = []

    /// Declares that requests through this step must authenticate with `scheme` (an auth middleware
    /// calls it from `describe(into:)`): the OpenAPI document lists the scheme and a `401` for
    /// every route behind it.
    ///
    /// ```swift
    /// public func describe(into description: inout PipelineDescription) {
    ///     description.addStep("ApiKeyAuth")
    ///     description.declareSecurity(.apiKey(header: "X-API-Key"))
    /// }
    /// ```
    public mutating func declareSecurity(_ scheme: SecurityScheme) {
        if !securitySchemes.contains(scheme) { securitySchemes.append(scheme) }
    }

    /// Responses middleware declare they may answer with instead of the route (`Timeout`'s 503,
    /// `BodyLimit`'s 413, a redirect), in order.
    public private(set) var responsesDeclared: [DeclaredResponse] = []

    /// Declares that this step may answer with `status` instead of the route behind it: the
    /// OpenAPI document lists it for every route behind the step.
    ///
    /// ```swift
    /// description.declareResponse(.serviceUnavailable, "The request took too long.")
    /// ```
    public mutating func declareResponse(_ status: HTTPStatus, _ meaning: String, headers: [HTTPHeaders.Name] = []) {
        responsesDeclared.append(DeclaredResponse(status: status, meaning: meaning, headers: headers))
    }

    /// Records a mistake that stops the server from starting.
    package mutating func addProblem(_ text: String) { problems.append(text) }

    /// Records a route as the document will show it; headers and security declared so far (by
    /// the steps in front of the router) apply to it, with those of its groups.
    package mutating func addOperation(_ method: HTTPMethod, _ path: String, documentation: RouteDocumentation, via: GroupMiddleware) {
        var headers = headersSet
        for name in via.headersSet where !headers.contains(name) { headers.append(name) }
        var security = securitySchemes
        for scheme in via.securitySchemes where !security.contains(scheme) { security.append(scheme) }
        operations.append(
            DescribedOperation(
                method: method, path: path, documentation: documentation, headersSet: headers, security: security,
                responses: responsesDeclared + via.responsesDeclared
            )
        )
    }

    /// Asks to be called once the pipeline is described.
    package mutating func onComplete(_ body: @escaping @Sendable (PipelineDescription, ErrorFormat) -> [String]) {
        completions.append(body)
    }

    /// Runs the completions and records their problems (`Pipeline.init` calls this once).
    package mutating func complete(errorFormat: ErrorFormat) {
        let finished = self
        for completion in completions { problems += completion(finished, errorFormat) }
    }
}

/// One route as the OpenAPI document shows it.
package struct DescribedOperation: Sendable {
    package let method: HTTPMethod
    package let path: String
    package let documentation: RouteDocumentation
    /// Response headers middleware in front of it declare they set.
    package let headersSet: [HTTPHeaders.Name]
    /// Security schemes of the middleware in front of it.
    package let security: [SecurityScheme]
    /// Responses the middleware in front of it may answer with.
    package let responses: [DeclaredResponse]
}

/// A response a middleware may answer with instead of the route behind it.
///
/// ```swift
/// description.declareResponse(.contentTooLarge, "The body is larger than 16384 bytes.")
/// ```
public struct DeclaredResponse: Sendable, Equatable {
    /// A response with `status`, its meaning and the headers it carries.
    ///
    /// ```swift
    /// DeclaredResponse(status: .notFound, meaning: "No such item.", headers: [])
    /// ```
    public init(status: HTTPStatus, meaning: String, headers: [HTTPHeaders.Name]) {
        self.status = status
        self.meaning = meaning
        self.headers = headers
    }

    /// The status.
    public let status: HTTPStatus
    /// What it means, for the document's `description`.
    public let meaning: String
    /// Headers it carries (`Location`, `Retry-After`).
    public let headers: [HTTPHeaders.Name]
}

/// How a client authenticates, as an OpenAPI security scheme.
///
/// ```swift
/// description.declareSecurity(.bearer)
/// ```
public struct SecurityScheme: Sendable, Equatable {
    /// The scheme's key under `components/securitySchemes`.
    public let name: String
    /// Its definition (`{"type": "http", "scheme": "bearer"}`).
    public let definition: OpenAPIValue
    /// The header a `401` asks for credentials with (`WWW-Authenticate`), if the scheme uses one.
    public let challenges: Bool

    /// A scheme named `name` defined by `definition`.
    ///
    /// ```swift
    /// SecurityScheme(name: "session", definition: ["type": "apiKey", "in": "cookie", "name": "session"])
    /// ```
    public init(name: String, definition: OpenAPIValue, challenges: Bool = false) {
        self.name = name
        self.definition = definition
        self.challenges = challenges
    }

    /// `Authorization: Bearer <token>` (`BearerAuth`).
    public static let bearer = SecurityScheme(name: "HTTPBearer", definition: ["type": "http", "scheme": "bearer"], challenges: true)
    /// `Authorization: Basic <credentials>` (`BasicAuth`).
    public static let basic = SecurityScheme(name: "HTTPBasic", definition: ["type": "http", "scheme": "basic"], challenges: true)

    /// A key in a request header.
    ///
    /// ```swift
    /// SecurityScheme.apiKey(header: "X-API-Key")
    /// ```
    public static func apiKey(header: String) -> SecurityScheme {
        SecurityScheme(name: "APIKeyHeader", definition: ["type": "apiKey", "in": "header", "name": .string(header)])
    }
}
