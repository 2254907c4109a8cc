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
}
