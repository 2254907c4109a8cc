import Testing
import Trellis
import TrellisTesting

struct Item: Codable, Sendable, Equatable {
    let itemID: Int
    let q: String?
    enum CodingKeys: String, CodingKey {
        case itemID = "item_id"
        case q
    }
}

let seedApp = Pipeline {
    ProcessTime()
    CORS(allowOrigins: ["https://example.com", "http://localhost:3000"],
         allowMethods: [.get, .post, .put, .delete, .options],
         allowHeaders: ["Content-Type", "Authorization", "X-Requested-With"],
         allowCredentials: true,
         expose: ["X-Process-Time"], maxAge: 600)
    Router {
        Get("/") { _ in "Hello, World!" }
        Get("/items/{item_id}") { request in Item(itemID: try request.parameters.require("item_id", as: Int.self), q: request.query["q"]) }
        Post("/echo") { request in Response(status: .ok, headers: [.contentType: request.headers[.contentType] ?? "application/octet-stream"], body: request.body) }
    }
}

@Test func smoke() async throws {
    print(type(of: seedApp))
    print(seedApp)
    try await seedApp.test { client in
        let r = try await client.get("/items/42?q=x")
        print(r.status, r.headers, r.text)
    }
}
