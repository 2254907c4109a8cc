import Trellis

/// The item the seed app's `/items/{item_id}` route returns.
struct Item: Codable, Sendable, Equatable {
    let itemID: Int
    let q: String?
    enum CodingKeys: String, CodingKey {
        case itemID = "item_id"
        case q
    }
}

/// A user for authentication tests.
struct User: Sendable, Equatable {
    let name: String
}

/// The reference app from the issue: ProcessTime → CORS → Router.
func makeSeedApp() -> Pipeline<Applied<Chain<Bound<ProcessTime, Request>, Bound<CORS, Request>>, Router<Request>>> {
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
            Get("/boom") { _ -> String in throw SecretError() }
            Get("/teapot") { _ -> String in throw HTTPError(HTTPStatus(code: 418), "short and stout") }
        }
    }
}

struct SecretError: Error, CustomStringConvertible {
    var description: String { "database password is hunter2" }
}
