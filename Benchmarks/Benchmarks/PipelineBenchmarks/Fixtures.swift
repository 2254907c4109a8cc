import Trellis
import TrellisReferenceApp

enum Fixtures {
    static let origins = ReferenceApp.allowedOrigins

    static func router() -> Router<Request> { ReferenceApp.router() }

    static func cors() -> CORS { ReferenceApp.cors() }

    /// (a) The composed pipeline: the reference app itself.
    static func composed() -> ReferenceApp.Application { ReferenceApp.make() }

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
