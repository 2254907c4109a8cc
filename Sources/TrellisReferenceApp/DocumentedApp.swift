public import Trellis

extension ReferenceApp {
    /// The reference app as the example server serves it: `OpenAPIDocs` (`/openapi.json`, `/docs`)
    /// in front of the seed pipeline, with `GET /items/{item_id}` declaring its integer path
    /// parameter and optional `q` (so the document describes them and a bad id is a 422 at
    /// `["path", "item_id"]`; declared one by one, they cost less than the seed's reads by hand).
    /// The benchmarks run `make()`, the seed pipeline with the same answers and no document.
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
                Get("/items/{item_id}", .path("item_id", as: Int.self), .query("q", as: String?.self)) { _, itemID, q in
                    Item(itemID: itemID, q: q)
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
