import Trellis

/// The item `GET /items/{item_id}` returns: `{"item_id": <int>, "q": <string|null>}`.
struct Item: Encodable, Sendable {
    let itemID: Int
    let q: String?

    enum CodingKeys: String, CodingKey {
        case itemID = "item_id"
        case q
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(itemID, forKey: .itemID)
        try container.encode(q, forKey: .q)  // null when absent, as FastAPI does
    }
}

/// The reference app: ProcessTime outermost, then CORS, then the router.
func makeReferenceApp() -> Pipeline<Applied<Chain<Bound<ProcessTime, Request>, Bound<CORS, Request>>, Router<Request>>> {
    Pipeline {
        ProcessTime()
        CORS(
            allowOrigins: ["https://example.com", "http://localhost:3000"],
            allowMethods: [.get, .post, .put, .delete, .options],
            allowHeaders: ["Content-Type", "Authorization", "X-Requested-With"],
            allowCredentials: true,
            expose: ["X-Process-Time"],
            maxAge: 600
        )
        Router {
            Get("/") { _ in "Hello, World!" }
            Get("/items/{item_id}") { request in
                Item(itemID: try request.parameters.require("item_id", as: Int.self), q: request.query["q"])
            }
            Post("/echo") { request in
                Response(
                    status: .ok,
                    headers: [.contentType: request.headers[.contentType] ?? "application/octet-stream"],
                    body: try await request.body.collect()
                )
            }
        }
    }
}
