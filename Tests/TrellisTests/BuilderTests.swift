import Testing
import Trellis
import TrellisTesting

struct BuilderTests {
    func app(timing: Bool, strict: Bool) -> some Responder<Request, Response> {
        Pipeline {
            if timing { ProcessTime() }
            if strict {
                CORS(allowOrigins: ["https://a.test"])
            } else {
                CORS()
            }
            Router { Get("/") { _ in "hi" } }
        }
    }

    @Test func optionalMiddlewareIsSkippedWhenAbsent() async throws {
        let on = try await app(timing: true, strict: true).respond(to: Request(method: .get, target: "/"))
        let off = try await app(timing: false, strict: true).respond(to: Request(method: .get, target: "/"))
        #expect(on.headers[.xProcessTime] != nil)
        #expect(off.headers[.xProcessTime] == nil)
    }

    @Test func eitherBranchRuns() async throws {
        let request = Request(method: .get, target: "/", headers: [.origin: "https://b.test"])
        let strict = try await app(timing: false, strict: true).respond(to: request)
        let open = try await app(timing: false, strict: false).respond(to: request)
        #expect(strict.headers[.accessControlAllowOrigin] == nil)
        #expect(open.headers[.accessControlAllowOrigin] == "*")
    }

    @Test func compileTimeConditionsWork() async throws {
        let app = Pipeline {
            #if DEBUG
            ProcessTime(header: "X-Debug-Time")
            #else
            ProcessTime(header: "X-Release-Time")
            #endif
            Router { Get("/") { _ in "hi" } }
        }
        let response = try await app.test { try await $0.get("/") }
        #expect(response.headers["X-Debug-Time"] != nil || response.headers["X-Release-Time"] != nil)
    }

    @Test func aPipelineMayBeJustARouter() async throws {
        let app = Pipeline { Router { Get("/") { _ in "only" } } }
        #expect("\(type(of: app))" == "Pipeline<Router<Request>>")
        #expect(try await app.test { try await $0.get("/") }.text == "only")
    }

    @Test func interceptCanShortCircuit() async throws {
        let app = Pipeline {
            Intercept("Maintenance") { request, next in
                request.path.hasPrefix("/admin") ? Response.text("down", status: .serviceUnavailable) : try await next(request)
            }
            Router { Get("/admin") { _ in "admin" }; Get("/") { _ in "home" } }
        }
        #expect(try await app.test { try await $0.get("/admin") }.status == .serviceUnavailable)
        #expect(try await app.test { try await $0.get("/") }.text == "home")
        #expect(app.description.contains("Maintenance"))
    }
}
