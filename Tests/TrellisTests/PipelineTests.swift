import Testing
import Trellis
import TrellisTesting

struct PipelineTests {
    @Test func seedPipelineIsOneReadableNestedType() {
        let name = "\(type(of: makeSeedApp()))"
        #expect(name == "Pipeline<Applied<Chain<Bound<ProcessTime, Request>, Bound<CORS, Request>>, Router<Request>>>")
    }

    /// The text the example prints at start-up, pinned whole (as swift-parsing pins its error
    /// texts), so neither its format nor the doc comments that quote it can drift.
    @Test func referenceAppDescriptionIsPinned() {
        #expect(
            makeSeedApp().description == """
                Pipeline:
                  ProcessTime(X-Process-Time)
                  CORS(origins: https://example.com http://localhost:3000, methods: GET POST PUT DELETE OPTIONS, headers: Content-Type Authorization X-Requested-With Accept Accept-Language Content-Language, credentials, expose: X-Process-Time, max-age: 600 s)
                  Router<Request> (3 routes)
                Routes:
                  GET     /
                  GET     /items/{item_id}
                  POST    /echo
                """
        )
    }

    @Test func descriptionListsMiddlewareInOrderAndRoutes() {
        let text = makeSeedApp().description
        let lines = text.split(separator: "\n").map(String.init)
        let processTime = lines.firstIndex { $0.contains("ProcessTime") }
        let cors = lines.firstIndex { $0.contains("CORS(") }
        let router = lines.firstIndex { $0.contains("Router<Request>") }
        #expect(processTime != nil && cors != nil && router != nil)
        if let processTime, let cors, let router { #expect(processTime < cors && cors < router) }
        #expect(text.contains("GET     /items/{item_id}"))
        #expect(text.contains("POST    /echo"))
    }

    @Test func httpErrorBecomesItsResponse() async throws {
        let response = try await makeFailingApp().test { try await $0.get("/teapot") }
        #expect(response.status.code == 418)
        #expect(response.text == "short and stout")
    }

    @Test func otherErrorsBecome500WithoutDetail() async throws {
        let response = try await makeFailingApp().test { try await $0.get("/boom") }
        #expect(response.status == .internalServerError)
        #expect(response.text == "Internal Server Error")
        #expect(!response.text.contains("hunter2"))
    }

    @Test func errorOutsideAnyCatchingMiddlewareStillYieldsAResponse() async throws {
        let app = Pipeline { Router { Get("/") { _ -> String in throw HTTPError(.forbidden, "no") } } }
        let response = await app.respond(to: Request(method: .get, target: "/"))
        #expect(response.status == .forbidden)
    }

    @Test func middlewareRunInOrderBeforeAndAfter() async throws {
        let app = Pipeline {
            Intercept { request, next in
                var request = request
                request.headers.append("X-Trail", "a-in")
                var response = try await next(request)
                response.headers.append("X-Trail", "a-out")
                return response
            }
            Intercept { request, next in
                var request = request
                request.headers.append("X-Trail", "b-in")
                var response = try await next(request)
                response.headers.append("X-Trail", "b-out")
                return response
            }
            Router { Get("/") { request in request.headers.values(for: "X-Trail").joined(separator: ",") } }
        }
        let response = try await app.test { try await $0.get("/") }
        #expect(response.text == "a-in,b-in")
        #expect(response.headers.values(for: "X-Trail") == ["b-out", "a-out"])
    }

    @Test func streamedBodyIsCollectedByTheTestClient() async throws {
        let app = Pipeline {
            Router {
                Get("/stream") { _ in
                    Response(body: .stream { writer in
                        for part in ["a", "b", "c"] { try await writer.write(part) }
                    })
                }
            }
        }
        #expect(try await app.test { try await $0.get("/stream") }.text == "abc")
    }
}

/// `CORS(expose:)` warns only about headers nothing declares: middleware in a `Group`, an
/// `Intercept` naming what it sets, and a user middleware declaring its header all count.
struct DiagnosticsTests {
    struct Stamp: PassThroughMiddleware {
        func handle<Next: NextResponder>(_ input: Next.Input, next: Next) async throws -> Response {
            var response = try await next(input)
            response.headers["X-Stamp"] = "1"
            return response
        }
        func describe(into description: inout PipelineDescription) {
            description.addStep("Stamp")
            description.declareSets("X-Stamp")
        }
    }

    @Test func headersSetInsideGroupsInterceptsAndUserMiddlewareAreNotReported() {
        let app = Pipeline {
            CORS(expose: ["X-Process-Time", "X-Intercepted", "X-Stamp"])
            Intercept("Mark", sets: ["X-Intercepted"]) { request, next in
                var response = try await next(request)
                response.headers["X-Intercepted"] = "1"
                return response
            }
            Router {
                Group("/timed", middleware: ProcessTime()) { Get("/") { _ in "t" } }
                Group("/stamped", middleware: Stamp()) { Get("/") { _ in "s" } }
            }
        }
        #expect(app.diagnostics.isEmpty, "\(app.diagnostics)")
        #expect(app.description.contains("Mark(sets X-Intercepted)"))
    }

    @Test func anExposedHeaderNothingSetsIsStillReported() {
        let app = Pipeline {
            CORS(expose: ["X-Nobody"])
            Router { Get("/") { _ in "x" } }
        }
        #expect(app.diagnostics == ["CORS exposes 'X-Nobody' but no middleware in the pipeline declares that it sets it."])
    }

    @Test func corsAnyMethodIsSpelledLikeAnyOrigin() async throws {
        let app = Pipeline {
            CORS(allowOrigins: .any, allowMethods: .any, allowHeaders: .any)
            Router { Get("/") { _ in "x" } }
        }
        let response = await app.respond(to: Request(method: .options, target: "/", headers: [
            .origin: "https://a.example", .accessControlRequestMethod: "PURGE",
        ]))
        #expect(response.status == .ok)
        #expect(response.headers[.accessControlAllowMethods] == "PURGE")
        #expect(app.description.contains("CORS(origins: *, methods: any, headers: any, expose: none, max-age: 600 s)"))
    }
}
