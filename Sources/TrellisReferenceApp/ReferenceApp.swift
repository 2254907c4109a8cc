public import Trellis

/// The item `GET /items/{item_id}` returns: `{"item_id": <int>, "q": <string|null>}`.
///
/// ```swift
/// Item(itemID: 42, q: nil)   // {"item_id":42,"q":null}
/// ```
public struct Item: Codable, Sendable, Equatable {
    /// The path parameter.
    public let itemID: Int
    /// The optional query parameter; written as `null` when absent, as FastAPI does.
    public let q: String?

    /// An item.
    public init(itemID: Int, q: String?) {
        self.itemID = itemID
        self.q = q
    }

    enum CodingKeys: String, CodingKey {
        case itemID = "item_id"
        case q
    }

    /// Writes `q` as `null` when absent (a synthesised conformance would leave it out).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(itemID, forKey: .itemID)
        // `String` and `nil` each take the container's direct path (not the generic `Optional` one).
        if let q {
            try container.encode(q, forKey: .q)
        } else {
            try container.encodeNil(forKey: .q)
        }
    }
}

/// The reference app of the brief, defined once for the example server, the tests and the
/// benchmarks: `ProcessTime` outermost, then `CORS` (exposing `X-Process-Time`), then the router
/// with `GET /`, `GET /items/{item_id}` and `POST /echo`.
///
/// ```swift
/// let server = try HTTPServer.start(ReferenceApp.make(), configuration: ServerConfiguration(port: 8080))
/// ```
public enum ReferenceApp {
    /// The app's type, as a function or property that returns it spells it.
    public typealias Application = Pipeline<Applied<Chain<Bound<ProcessTime, Request>, Bound<CORS, Request>>, Router<Request>>>

    /// The origins CORS allows.
    public static let allowedOrigins = ["https://example.com", "http://localhost:3000"]

    /// The whole pipeline.
    public static func make() -> Application { make {} }

    /// The whole pipeline with more routes after the reference ones (for tests that need a route
    /// that fails, streams or sleeps): the same type, the same middleware.
    ///
    /// ```swift
    /// let app = ReferenceApp.make { Get("/boom") { _ -> String in throw Failure() } }
    /// ```
    public static func make(@RouteBuilder<Request> adding extra: () -> [Route<Request>]) -> Application {
        let cors = cors()
        let router = Router {
            Routes()
            Extra(routes: extra())
        }
        return Pipeline {
            ProcessTime()
            cors
            router
        }
    }

    /// Routes handed to `make(adding:)`.
    struct Extra: RouteComponent {
        let routes: [Route<Request>]
    }

    /// The CORS policy: the origins above, credentials, `X-Process-Time` exposed, 600 s preflight cache.
    public static func cors() -> CORS {
        CORS(
            allowOrigins: .list(allowedOrigins),
            allowMethods: [.get, .post, .put, .delete, .options],
            allowHeaders: ["Content-Type", "Authorization", "X-Requested-With"],
            allowCredentials: true,
            expose: ["X-Process-Time"],
            maxAge: 600
        )
    }

    /// The router.
    public static func router() -> Router<Request> { Router { Routes() } }

    /// The routes, to extend in a router of your own: `Router { ReferenceApp.Routes(); Get(…) }`.
    public struct Routes: RouteComponent {
        /// The routes of the reference app.
        public init() {}

        /// `GET /`, `GET /items/{item_id}`, `POST /echo`.
        public var routes: [Route<Request>] {
            [
                Get("/") { _ in "Hello, World!" }.route,
                Get("/items/{item_id}") { request in
                    Item(itemID: try request.parameters.require("item_id", as: Int.self), q: request.query["q"])
                }.route,
                Post("/echo") { request in
                    Response(
                        status: .ok,
                        headers: [.contentType: request.headers[.contentType] ?? "application/octet-stream"],
                        body: try await request.body.collect()
                    )
                }.route,
            ]
        }
    }
}
