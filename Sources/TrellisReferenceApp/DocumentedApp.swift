public import Trellis

/// `GET /items/{item_id}`'s path: the item's id, an integer.
///
/// ```swift
/// Get("/items/{item_id}", path: ItemPath.self, query: ItemQuery.self) { request, path, query in … }
/// ```
public struct ItemPath: Decodable, Sendable {
    /// The item's id.
    public let item_id: Int
}

/// `GET /items/{item_id}`'s query: an optional `q`.
///
/// ```swift
/// Get("/items/{item_id}", path: ItemPath.self, query: ItemQuery.self) { request, path, query in … }
/// ```
public struct ItemQuery: Decodable, Sendable {
    /// The optional query parameter.
    public let q: String?
}

extension ReferenceApp {
    /// The reference app as the example server serves it: `OpenAPIDocs` (`/openapi.json`, `/docs`)
    /// in front of the seed pipeline, with `GET /items/{item_id}` declaring its integer path
    /// parameter and optional `q` as types (so the document describes them and a bad id is a 422
    /// at `["path", "item_id"]`). The benchmarks run `make()`, the seed pipeline with the same
    /// answers and no document.
    ///
    /// ```swift
    /// let server = try HTTPServer.start(ReferenceApp.makeDocumented(), configuration: ServerConfiguration(port: 8080))
    /// ```
    public static func makeDocumented() -> some Responder<Request, Response> {
        let cors = cors()
        return Pipeline {
            OpenAPIDocs(info: OpenAPIInfo(title: "Trellis reference app", version: "1.0.0", description: "FastAPI's middleware story on Trellis."))
            ProcessTime()
            cors
            Router {
                Get("/") { _ in "Hello, World!" }
                Get("/items/{item_id}", path: ItemPath.self, query: ItemQuery.self) { _, path, query in
                    Item(itemID: path.item_id, q: query.q)
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
}
