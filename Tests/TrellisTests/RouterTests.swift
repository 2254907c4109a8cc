import Testing
import Trellis
import TrellisMiddleware
import TrellisTesting

struct RouterTests {
    let app = makeSeedApp()

    @Test func staticRouteAnswersText() async throws {
        let response = try await app.test { try await $0.get("/") }
        #expect(response.status == .ok)
        #expect(response.text == "Hello, World!")
        #expect(response.headers[.contentType] == "text/plain; charset=utf-8")
    }

    @Test func typedParameterAndQueryToJSON() async throws {
        let response = try await app.test { try await $0.get("/items/42?q=x") }
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "application/json")
        #expect(response.text == #"{"item_id":42,"q":"x"}"#)
        let noQuery = try await app.test { try await $0.get("/items/7") }
        #expect(noQuery.text == #"{"item_id":7,"q":null}"#, "a missing q is null, as FastAPI writes it")
    }

    @Test func badTypedParameterIs422WithAClearMessage() async throws {
        let response = try await app.test { try await $0.get("/items/abc") }
        #expect(response.status == .unprocessableContent)
        #expect(response.headers[.contentType] == "application/json")
        #expect(
            response.text
                == #"{"detail":[{"loc":["path","item_id"],"msg":"Input should be a valid integer, got 'abc'","type":"int_parsing"}]}"#
        )
        let overflow = try await app.test { try await $0.get("/items/99999999999999999999999") }
        #expect(overflow.status == .unprocessableContent)
    }

    @Test func aRequestAHandlerKeepsKeepsItsParametersWhileLaterRequestsReuseStorage() async throws {
        let kept = Locked<[Request]>([])
        let app = Router {
            Get("/shops/{shop}/items/{item}") { request in
                kept.withLock { $0.append(request) }
                return try request.parameters.require("shop") + "/" + request.parameters.require("item")
            }
        }
        try await app.test { client in
            for index in 0..<20 {
                let response = try await client.get("/shops/s\(index)/items/i\(index)")
                #expect(response.text == "s\(index)/i\(index)")
            }
        }
        let requests = kept.withLock { $0 }
        #expect(requests.count == 20)
        for (index, request) in requests.enumerated() {
            #expect(request.parameters["shop"] == "s\(index)" && request.parameters["item"] == "i\(index)")
        }
    }

    @Test func unknownPathIs404() async throws {
        let response = try await app.test { try await $0.get("/items") }
        #expect(response.status == .notFound)
        #expect(try await app.test { try await $0.get("/items/1/2") }.status == .notFound)
    }

    @Test func wrongMethodIs405WithAllow() async throws {
        let response = try await app.test { try await $0.post("/items/1") }
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers[.allow] == "GET, HEAD")
        let echo = try await app.test { try await $0.get("/echo") }
        #expect(echo.status == .methodNotAllowed)
        #expect(echo.headers[.allow] == "POST")
    }

    @Test func headIsAutomaticForGetWithHeadersAndNoBody() async throws {
        let response = try await app.test { try await $0.head("/") }
        #expect(response.status == .ok)
        #expect(response.body.isEmpty)
        #expect(response.headers[.contentType] == "text/plain; charset=utf-8")
        #expect(response.headers[.contentLength] == "13")
    }

    @Test func echoReturnsBodyAndContentType() async throws {
        let response = try await app.test {
            try await $0.post("/echo", headers: [.contentType: "application/x-thing"], body: [0, 1, 2, 255])
        }
        #expect(response.body == [0, 1, 2, 255])
        #expect(response.headers[.contentType] == "application/x-thing")
    }

    @Test func trailingSlashIsNotSignificant() async throws {
        #expect(try await app.test { try await $0.get("/items/5/") }.text == #"{"item_id":5,"q":null}"#)
        #expect(try await app.test { try await $0.get("/items/5//") }.status == .notFound)
    }

    @Test func pathParametersArePercentDecoded() async throws {
        let app = Pipeline { Router { Get("/files/{name}") { request in try request.parameters.require("name") } } }
        #expect(try await app.test { try await $0.get("/files/a%20b%2Fc") }.text == "a b/c")
        #expect(try await app.test { try await $0.get("/files/caf%C3%A9") }.text == "café")
        #expect(try await app.test { try await $0.get("/fil%65s/x") }.text == "x", "literal segments match decoded")
    }

    @Test func malformedPercentEncodingIs400() async throws {
        let app = Pipeline { Router { Get("/files/{name}") { request in try request.parameters.require("name") } } }
        #expect(try await app.test { try await $0.get("/files/%zz") }.status == .badRequest)
        #expect(try await app.test { try await $0.get("/files/%FF") }.status == .badRequest, "not UTF-8")
    }

    @Test func duplicateQueryKeysAreKeptInOrder() async throws {
        let app = Pipeline {
            Router { Get("/q") { request in request.query.all("tag").joined(separator: ",") + "|" + (request.query["tag"] ?? "") } }
        }
        #expect(try await app.test { try await $0.get("/q?tag=a&tag=b+c&tag=%26") }.text == "a,b c,&|a")
    }

    @Test func literalWinsOverParameterAndBacktracks() async throws {
        let app = Pipeline {
            Router {
                Get("/items/new") { _ in "new" }
                Get("/items/{id}") { request in "id " + (try request.parameters.require("id")) }
                Get("/items/new/edit/{x}") { _ in "edit" }
                Get("/items/{id}/parts") { _ in "parts" }
            }
        }
        #expect(try await app.test { try await $0.get("/items/new") }.text == "new")
        #expect(try await app.test { try await $0.get("/items/7") }.text == "id 7")
        #expect(try await app.test { try await $0.get("/items/new/parts") }.text == "parts", "backtracks into the parameter")
    }

    @Test func groupsPrefixAndRunTheirOwnTypedMiddleware() async throws {
        let app = Pipeline {
            Router {
                Get("/") { _ in "root" }
                Group("/api") {
                    Get("/status") { _ in "ok" }
                    Group("/me", middleware: Authenticate { token in token == "t" ? User(name: "ada") : nil }) {
                        Get("/") { input in input.user.name }
                    }
                }
            }
        }
        #expect(try await app.test { try await $0.get("/api/status") }.text == "ok")
        #expect(try await app.test { try await $0.get("/api/me") }.status == .unauthorized)
        #expect(try await app.test { try await $0.get("/api/me", headers: [.authorization: "Bearer t"]) }.text == "ada")
        #expect(app.description.contains("/api/me  via BearerAuth<User>"))
    }

    @Test func handlersMayReturnBytesStatusOrResponse() async throws {
        let app = Pipeline {
            Router {
                Get("/bytes") { _ in [UInt8]([1, 2]) }
                Delete("/thing") { _ in HTTPStatus.noContent }
                Put("/made") { _ in Response(status: .created, body: Array("made".utf8)) }
                On(HTTPMethod("PURGE"), "/cache") { _ in "purged" }
            }
        }
        let bytes = try await app.test { try await $0.get("/bytes") }
        #expect(bytes.headers[.contentType] == "application/octet-stream" && bytes.body == [1, 2])
        #expect(try await app.test { try await $0.delete("/thing") }.status == .noContent)
        #expect(try await app.test { try await $0.put("/made") }.status == .created)
        #expect(try await app.test { try await $0.execute(HTTPMethod("PURGE"), "/cache") }.text == "purged")
    }

    @Test func manyRoutesAllResolve() async throws {
        let app = Pipeline {
            Router {
                for index in 0..<300 {
                    Get("/r\(index)/{id}") { request in "\(index):" + (try request.parameters.require("id")) }
                }
            }
        }
        for index in [0, 150, 299] {
            #expect(try await app.test { try await $0.get("/r\(index)/x") }.text == "\(index):x")
        }
    }

    @Test func duplicateRouteIsReported() {
        let app = Pipeline { Router { Get("/") { _ in "a" }; Get("/") { _ in "b" } } }
        #expect(app.diagnostics.contains("route GET / is defined twice; only the first one answers."))
    }

    @Test func optionsAsteriskListsEveryMethod() async throws {
        let response = try await app.test { try await $0.options("*") }
        #expect(response.status == .noContent)
        #expect(response.headers[.allow] == "GET, HEAD, OPTIONS, POST")
    }

    @Test func absoluteFormTargetRoutesByPath() async throws {
        let response = try await app.test { try await $0.get("http://example.com/items/3?q=z") }
        #expect(response.text == #"{"item_id":3,"q":"z"}"#)
    }

    @Test func largeGeneratedRouterAnswersEveryRoute() async throws {
        let app = makeLargePipeline()
        let response = try await app.test { try await $0.get("/resource37/12", headers: [.authorization: "Bearer token"]) }
        #expect(response.status == .ok)
        #expect(response.text == #"{"index":37,"id":12}"#)
        #expect(try await app.test { try await $0.get("/resource36/abc", headers: [.authorization: "Bearer token"]) }.text == "abc")
        let missing = try await app.test { try await $0.get("/resource37/12") }
        #expect(missing.status == .unauthorized)
    }
}
