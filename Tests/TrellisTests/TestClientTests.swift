import Testing
import Trellis
import TrellisTesting

/// What a test writes against an app: JSON in and out, cookies kept, headers on every request,
/// and an `Encodable` returned with a status of its choice.
struct TestClientTests {
    struct NewItem: Codable, Sendable, Equatable {
        let name: String
        let price: Double
    }

    struct Created: Codable, Sendable, Equatable {
        let id: Int
        let name: String
    }

    let app = Pipeline(reporter: .discarding) {
        Router {
            Post("/items", body: NewItem.self) { _, item in
                try Response.json(Created(id: 7, name: item.name), status: .created, headers: [.location: "/items/7"])
            }
            Post("/login") { _ in
                var response = Response(status: .noContent)
                try response.setCookie(Cookie(name: "session", value: "s3cr3t", path: "/", httpOnly: true))
                return response
            }
            Post("/logout") { _ in
                var response = Response(status: .noContent)
                try response.setCookie(Cookie(name: "session", value: "", maxAge: 0))
                return response
            }
            Get("/me") { request in
                "\(request.cookies["session"] ?? "anonymous") \(request.headers[.authorization] ?? "-")"
            }
        }
    }

    @Test func jsonInJsonOutWithAStatusAndKeysInDeclarationOrder() async throws {
        try await app.test { client in
            let response = try await client.post("/items", json: NewItem(name: "lamp", price: 3))
            #expect(response.status == .created)
            #expect(response.headers[.location] == "/items/7")
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.text == #"{"id":7,"name":"lamp"}"#)
            #expect(try response.decode(Created.self) == Created(id: 7, name: "lamp"))
        }
    }

    @Test func cookiesAreKeptAndSentBackAndHeadersGoWithEveryRequest() async throws {
        try await app.test(headers: [.authorization: "Bearer t"]) { client in
            #expect(try await client.get("/me").text == "anonymous Bearer t")
            _ = try await client.post("/login")
            #expect(client.cookies["session"] == "s3cr3t")
            #expect(try await client.get("/me").text == "s3cr3t Bearer t")
            #expect(try await client.get("/me", headers: [.authorization: "Bearer other"]).text == "s3cr3t Bearer other")
            _ = try await client.post("/logout")
            #expect(client.cookies["session"] == nil)
            #expect(try await client.get("/me").text == "anonymous Bearer t")
        }
    }
}

/// An app built in a function and returned as `some Responder<Request, Response>` keeps `test`,
/// its own reporter, and reports an unexpected error once.
struct NamedAppTests {
    struct Boom: Error {}
    static let reports = Locked<[String]>([])

    static func makeApp() -> some Responder<Request, Response> {
        Pipeline(reporter: ErrorReporter { report in reports.withLock { $0.append("\(report.path ?? "")") } }) {
            ProcessTime()
            Router {
                Get("/") { _ in "hello" }
                Get("/boom") { _ -> String in throw Boom() }
            }
        }
    }

    @Test func aFunctionsOpaqueAppIsTestableAndReportsOnce() async throws {
        let (text, status) = try await Self.makeApp().test { client in
            (try await client.get("/").text, try await client.get("/boom").status)
        }
        #expect(text == "hello")
        #expect(status == .internalServerError)
        #expect(Self.reports.withLock { $0 } == ["/boom"])
    }

    @Test func aBareRouterIsTestableToo() async throws {
        let router = Router { Get("/") { _ in "bare" } }
        let text = try await router.test { client in try await client.get("/").text }
        #expect(text == "bare")
    }
}
