import Trellis

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
        try container.encode(q, forKey: .q)
    }
}

enum Fixtures {
    static let origins = ["https://example.com", "http://localhost:3000"]

    static func router() -> Router<Request> {
        Router {
            Get("/") { _ in "Hello, World!" }
            Get("/items/{item_id}") { request in
                Item(itemID: try request.parameters.require("item_id", as: Int.self), q: request.query["q"])
            }
            Post("/echo") { request in
                Response(headers: [.contentType: request.headers[.contentType] ?? "application/octet-stream"], body: try await request.body.collect())
            }
        }
    }

    static func cors() -> CORS {
        CORS(
            allowOrigins: .list(origins),
            allowMethods: [.get, .post, .put, .delete, .options],
            allowHeaders: ["Content-Type", "Authorization", "X-Requested-With"],
            allowCredentials: true,
            expose: ["X-Process-Time"],
            maxAge: 600
        )
    }

    /// (a) The composed pipeline.
    static func composed() -> Pipeline<Applied<Chain<Bound<ProcessTime, Request>, Bound<CORS, Request>>, Router<Request>>> {
        let router = router()
        let cors = cors()
        return Pipeline {
            ProcessTime()
            cors
            router
        }
    }

    static let requests: [(String, Request)] = [
        ("GET /", Request(method: .get, target: "/", headers: [.host: "localhost"])),
        ("GET /items/42?q=x", Request(method: .get, target: "/items/42?q=x", headers: [.host: "localhost"])),
        ("GET / +Origin", Request(method: .get, target: "/", headers: [.host: "localhost", .origin: "http://localhost:3000"])),
        (
            "preflight",
            Request(
                method: .options, target: "/echo",
                headers: [
                    .host: "localhost", .origin: "https://example.com", .accessControlRequestMethod: "POST",
                    .accessControlRequestHeaders: "Content-Type, Authorization",
                ]
            )
        ),
    ]

    static let typicalRequestBytes: [UInt8] = Array(
        (
            "GET /items/42?q=search+terms&page=2 HTTP/1.1\r\n"
                + "Host: api.example.com\r\n"
                + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0\r\n"
                + "Accept: application/json, text/plain, */*\r\n"
                + "Accept-Language: en-US,en;q=0.9\r\n"
                + "Accept-Encoding: gzip, deflate, br\r\n"
                + "Origin: https://example.com\r\n"
                + "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig\r\n"
                + "Connection: keep-alive\r\n\r\n"
        ).utf8
    )
}
