import Testing
import Trellis
import TrellisTesting

/// Each rule of `CORS`, checked on actual responses as well as preflights.
struct CORSTests {
    let app = makeSeedApp()
    let allowed = "https://example.com"

    func preflight(
        _ origin: String = "https://example.com",
        method: String = "POST",
        headers: String? = nil,
        path: String = "/echo"
    ) async throws -> TestResponse {
        var fields: HTTPHeaders = [.origin: origin, .accessControlRequestMethod: method]
        if let headers { fields.append(.accessControlRequestHeaders, headers) }
        return try await app.test { try await $0.options(path, headers: fields) }
    }

    // MARK: Actual requests

    @Test func allowedOriginGetsEchoedOriginNotStarWithCredentials() async throws {
        let response = try await app.test { try await $0.get("/", headers: [.origin: allowed]) }
        #expect(response.status == .ok)
        #expect(response.headers[.accessControlAllowOrigin] == allowed)
        #expect(response.headers[.accessControlAllowCredentials] == "true")
    }

    @Test func anOriginThatLiesInALargerTextIsComparedAndEchoedByItsOwnBytes() async throws {
        // As a server parses it: the value is a slice of the request head's text.
        let head = "GET / HTTP/1.1\r\nOrigin: https://example.com.evil\r\nOrigin2: https://example.co\r\n"
        func origin(_ value: String) throws -> HTTPHeaders {
            let start = try #require(head.firstRange(of: value)).lowerBound
            return HTTPHeaders([HTTPHeaders.Field(name: .origin, valueSlice: head[start..<head.index(start, offsetBy: value.count)])])
        }
        let exact = try await app.test { try await $0.get("/", headers: origin("https://example.com")) }
        #expect(exact.headers[.accessControlAllowOrigin] == allowed)
        for lookalike in ["https://example.com.evil", "https://example.co"] {
            let response = try await app.test { try await $0.get("/", headers: origin(lookalike)) }
            #expect(response.headers[.accessControlAllowOrigin] == nil, "\(lookalike)")
        }
    }

    @Test func exposeHeadersIsOnTheActualResponse() async throws {
        let response = try await app.test { try await $0.get("/", headers: [.origin: allowed]) }
        #expect(response.headers[.accessControlExposeHeaders] == "X-Process-Time")
        #expect(response.headers[.xProcessTime] != nil)
    }

    @Test func actualResponseVariesByOrigin() async throws {
        let response = try await app.test { try await $0.get("/", headers: [.origin: allowed]) }
        #expect(response.headers.values(for: .vary) == ["Origin"])
    }

    @Test func secondAllowedOriginIsEchoedToo() async throws {
        let response = try await app.test { try await $0.get("/", headers: [.origin: "http://localhost:3000"]) }
        #expect(response.headers[.accessControlAllowOrigin] == "http://localhost:3000")
    }

    @Test func disallowedOriginGetsNoCORSHeadersButStillVaries() async throws {
        let response = try await app.test { try await $0.get("/", headers: [.origin: "https://evil.example"]) }
        #expect(response.status == .ok)
        #expect(response.text == "Hello, World!")
        #expect(!response.headers.contains { $0.name.canonicalName.hasPrefix("access-control-") })
        #expect(response.headers[.vary] == "Origin")
    }

    @Test func originMatchIsExactNotPrefixOrCaseFolded() async throws {
        for origin in ["https://example.com.evil.net", "https://EXAMPLE.com", "https://example.com/", "http://example.com"] {
            let response = try await app.test { try await $0.get("/", headers: [.origin: origin]) }
            #expect(response.headers[.accessControlAllowOrigin] == nil, "origin \(origin)")
        }
    }

    @Test func requestWithoutOriginGetsNoAccessControlHeaders() async throws {
        let response = try await app.test { try await $0.get("/") }
        #expect(!response.headers.contains { $0.name.canonicalName.hasPrefix("access-control-") })
        #expect(response.headers[.vary] == "Origin", "the answer depends on Origin, so caches must key on it")
    }

    @Test func corsHeadersOnNotFound() async throws {
        let response = try await app.test { try await $0.get("/nowhere", headers: [.origin: allowed]) }
        #expect(response.status == .notFound)
        #expect(response.headers[.accessControlAllowOrigin] == allowed)
        #expect(response.headers[.accessControlExposeHeaders] == "X-Process-Time")
    }

    @Test func corsHeadersOnMethodNotAllowed() async throws {
        let response = try await app.test { try await $0.delete("/", headers: [.origin: allowed]) }
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers[.allow] == "GET, HEAD")
        #expect(response.headers[.accessControlAllowOrigin] == allowed)
    }

    @Test func corsHeadersOnValidationError() async throws {
        let response = try await app.test { try await $0.get("/items/abc", headers: [.origin: allowed]) }
        #expect(response.status == .unprocessableContent)
        #expect(response.headers[.accessControlAllowOrigin] == allowed)
    }

    @Test func corsHeadersOnInternalError() async throws {
        let response = try await makeFailingApp().test { try await $0.get("/boom", headers: [.origin: allowed]) }
        #expect(response.status == .internalServerError)
        #expect(response.headers[.accessControlAllowOrigin] == allowed)
        #expect(response.headers[.accessControlAllowCredentials] == "true")
    }

    @Test func existingVaryIsExtendedNotReplaced() async throws {
        let app = Pipeline {
            CORS(allowOrigins: ["https://a.test"])
            Router { Get("/") { _ in Response(headers: [.vary: "Accept-Encoding"], body: []) } }
        }
        let response = try await app.test { try await $0.get("/", headers: [.origin: "https://a.test"]) }
        #expect(response.headers.values(for: .vary) == ["Accept-Encoding", "Origin"])
    }

    @Test func fieldsTheHandlerSetAreReplacedOnceAndTheSameFieldsAreAddedWhenItSetNone() async throws {
        let cors = CORS(allowOrigins: ["https://a.test"], allowCredentials: true, expose: ["X-New"])
        let own = Pipeline {
            cors
            Router {
                Get("/") { _ in
                    var headers: HTTPHeaders = [.accessControlAllowOrigin: "*", .accessControlExposeHeaders: "X-Old"]
                    headers.append(.accessControlAllowOrigin, "https://b.test")
                    headers.append(.accessControlAllowCredentials, "false")
                    return Response(headers: headers, body: [])
                }
            }
        }
        let plain = Pipeline {
            cors
            Router { Get("/") { _ in Response(body: []) } }
        }
        for response in [
            try await own.test { try await $0.get("/", headers: [.origin: "https://a.test"]) },
            try await plain.test { try await $0.get("/", headers: [.origin: "https://a.test"]) },
        ] {
            #expect(response.headers.values(for: .accessControlAllowOrigin) == ["https://a.test"])
            #expect(response.headers.values(for: .accessControlAllowCredentials) == ["true"])
            #expect(response.headers.values(for: .accessControlExposeHeaders) == ["X-New"])
            #expect(response.headers.values(for: .vary) == ["Origin"])
        }
    }

    @Test func duplicateOriginFieldsAreNotTrusted() async throws {
        var headers: HTTPHeaders = [.origin: allowed]
        headers.append(.origin, "https://evil.example")
        let response = try await app.test { try await $0.get("/", headers: headers) }
        #expect(response.headers[.accessControlAllowOrigin] == nil)
    }

    @Test func plainOptionsWithoutRequestMethodGoesToRouting() async throws {
        let response = try await app.test { try await $0.options("/", headers: [.origin: allowed]) }
        #expect(response.status == .methodNotAllowed, "not a preflight: the router answers")
        #expect(response.headers[.accessControlAllowOrigin] == allowed)
        #expect(response.headers[.accessControlAllowMethods] == nil)
    }

    @Test func optionsWithRequestMethodButNoOriginGoesToRouting() async throws {
        let response = try await app.test {
            try await $0.options("/", headers: [.accessControlRequestMethod: "GET"])
        }
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers[.accessControlAllowMethods] == nil)
    }

    // MARK: Preflight

    @Test func allowedPreflightGetsAllTheAllowHeaders() async throws {
        let response = try await preflight(headers: "Content-Type, Authorization")
        #expect(response.status == .ok)
        #expect(response.headers[.accessControlAllowOrigin] == allowed)
        #expect(response.headers[.accessControlAllowMethods] == "GET, POST, PUT, DELETE, OPTIONS")
        let allowHeaders = response.headers[.accessControlAllowHeaders] ?? ""
        for name in ["Content-Type", "Authorization", "X-Requested-With"] { #expect(allowHeaders.contains(name)) }
        #expect(response.headers[.accessControlMaxAge] == "600")
        #expect(response.headers[.accessControlAllowCredentials] == "true")
        #expect(response.headers[.vary] == "Origin")
    }

    @Test func preflightDoesNotReachTheRouter() async throws {
        // There is no OPTIONS route for /echo: the preflight is answered by CORS itself.
        let response = try await preflight(path: "/echo")
        #expect(response.status == .ok)
        #expect(response.text == "OK")
    }

    @Test func aRejectedPreflightFollowsTheErrorFormat() async throws {
        let json = Pipeline(errorFormat: .json, reporter: .discarding) {
            CORS(allowOrigins: ["https://example.com"])
            Router { Get("/") { _ in "hi" } }
        }
        let response = try await json.test {
            try await $0.execute(.options, "/", headers: [.origin: "https://evil.example", .accessControlRequestMethod: "GET"])
        }
        #expect(response.status == .badRequest)
        #expect(response.headers[.contentType] == "application/json")
        #expect(response.text == #"{"detail":"Disallowed CORS origin"}"#)
    }

    @Test func preflightWithDisallowedOriginIs400WithoutAllowHeaders() async throws {
        let response = try await preflight("https://evil.example")
        #expect(response.status == .badRequest)
        #expect(response.text == "Disallowed CORS origin")
        #expect(response.headers[.accessControlAllowOrigin] == nil)
        #expect(response.headers[.accessControlAllowMethods] == nil)
    }

    @Test func preflightWithDisallowedMethodIs400() async throws {
        let response = try await preflight(method: "PATCH")
        #expect(response.status == .badRequest)
        #expect(response.text == "Disallowed CORS method")
    }

    @Test func preflightMethodIsCaseSensitive() async throws {
        let response = try await preflight(method: "post")
        #expect(response.status == .badRequest)
    }

    @Test func preflightWithDisallowedHeaderIs400() async throws {
        let response = try await preflight(headers: "X-Secret")
        #expect(response.status == .badRequest)
        #expect(response.text == "Disallowed CORS headers")
    }

    @Test func preflightListsEveryFailure() async throws {
        let response = try await preflight("https://evil.example", method: "PATCH", headers: "X-Secret")
        #expect(response.text == "Disallowed CORS origin, method, headers")
    }

    @Test func preflightHeaderMatchingIsCaseInsensitive() async throws {
        let response = try await preflight(headers: "authorization,x-REQUESTED-with , content-type")
        #expect(response.status == .ok)
    }

    @Test func safelistedHeadersAreAlwaysAllowed() async throws {
        let app = Pipeline {
            CORS(allowOrigins: ["https://a.test"], allowMethods: [.post])
            Router { Post("/") { _ in "ok" } }
        }
        let response = try await app.test {
            try await $0.options(
                "/",
                headers: [.origin: "https://a.test", .accessControlRequestMethod: "POST", .accessControlRequestHeaders: "content-type, accept"]
            )
        }
        #expect(response.status == .ok)
        #expect(response.headers[.accessControlAllowHeaders]?.contains("Content-Type") == true)
    }

    @Test func preflightIsTimedByProcessTimeButExposesNothing() async throws {
        let response = try await preflight()
        #expect(response.headers[.xProcessTime] != nil)
        #expect(response.headers[.accessControlExposeHeaders] == nil)
    }

    // MARK: Other configurations

    @Test func wildcardWithoutCredentialsSendsStarAndNoVary() async throws {
        let app = Pipeline { CORS(expose: ["X-Process-Time"]); Router { Get("/") { _ in "hi" } } }
        let response = try await app.test { try await $0.get("/", headers: [.origin: "https://anyone.test"]) }
        #expect(response.headers[.accessControlAllowOrigin] == "*")
        #expect(response.headers[.accessControlAllowCredentials] == nil)
        #expect(response.headers[.vary] == nil)
        #expect(response.headers[.accessControlExposeHeaders] == "X-Process-Time")
        let plain = try await app.test { try await $0.get("/") }
        #expect(plain.headers[.accessControlAllowOrigin] == nil)
    }

    @Test func wildcardWithCredentialsEchoesTheOrigin() async throws {
        let app = Pipeline { CORS(allowCredentials: true); Router { Get("/") { _ in "hi" } } }
        let response = try await app.test { try await $0.get("/", headers: [.origin: "https://anyone.test"]) }
        #expect(response.headers[.accessControlAllowOrigin] == "https://anyone.test")
        #expect(response.headers[.vary] == "Origin")
        let preflight = try await app.test {
            try await $0.options("/", headers: [.origin: "https://anyone.test", .accessControlRequestMethod: "GET"])
        }
        #expect(preflight.headers[.accessControlAllowOrigin] == "https://anyone.test")
    }

    @Test func wildcardPreflightSendsStar() async throws {
        let app = Pipeline { CORS(); Router { Get("/") { _ in "hi" } } }
        let response = try await app.test {
            try await $0.options("/", headers: [.origin: "https://anyone.test", .accessControlRequestMethod: "GET"])
        }
        #expect(response.status == .ok)
        #expect(response.headers[.accessControlAllowOrigin] == "*")
        #expect(response.headers[.accessControlMaxAge] == "600")
    }

    @Test func predicateOrigins() async throws {
        let app = Pipeline {
            CORS(allowOrigins: .predicate { $0.hasSuffix(".example.org") && $0.hasPrefix("https://") })
            Router { Get("/") { _ in "hi" } }
        }
        let good = try await app.test { try await $0.get("/", headers: [.origin: "https://api.example.org"]) }
        let bad = try await app.test { try await $0.get("/", headers: [.origin: "http://api.example.org"]) }
        #expect(good.headers[.accessControlAllowOrigin] == "https://api.example.org")
        #expect(bad.headers[.accessControlAllowOrigin] == nil)
        #expect(good.headers[.vary] == "Origin" && bad.headers[.vary] == "Origin")
    }

    @Test func anyHeadersMirrorsTheRequestedOnes() async throws {
        let app = Pipeline {
            CORS(allowOrigins: ["https://a.test"], allowHeaders: .any, allowCredentials: true)
            Router { Get("/") { _ in "hi" } }
        }
        let response = try await app.test {
            try await $0.options(
                "/",
                headers: [.origin: "https://a.test", .accessControlRequestMethod: "GET", .accessControlRequestHeaders: "X-One, x-two"]
            )
        }
        #expect(response.status == .ok)
        #expect(response.headers[.accessControlAllowHeaders] == "x-one, x-two")
    }

    @Test func noMaxAgeMeansNoMaxAgeHeader() async throws {
        let app = Pipeline { CORS(maxAge: nil); Router { Get("/") { _ in "hi" } } }
        let response = try await app.test {
            try await $0.options("/", headers: [.origin: "https://a.test", .accessControlRequestMethod: "GET"])
        }
        #expect(response.headers[.accessControlMaxAge] == nil)
    }

    @Test func nullOriginIsOnlyAllowedWhenListed() async throws {
        let denied = try await app.test { try await $0.get("/", headers: [.origin: "null"]) }
        #expect(denied.headers[.accessControlAllowOrigin] == nil)
        let app = Pipeline { CORS(allowOrigins: ["null"]); Router { Get("/") { _ in "hi" } } }
        let allowed = try await app.test { try await $0.get("/", headers: [.origin: "null"]) }
        #expect(allowed.headers[.accessControlAllowOrigin] == "null")
    }

    @Test func exposedHeaderWithoutASetterIsReported() {
        let app = Pipeline { CORS(expose: ["X-Process-Time", "X-Trace"]); ProcessTime(); Router { Get("/") { _ in "hi" } } }
        #expect(app.diagnostics == ["CORS exposes 'X-Trace' but no middleware in the pipeline declares that it sets it."])
        #expect(app.description.contains("warning: CORS exposes 'X-Trace'"))
        #expect(makeSeedApp().diagnostics.isEmpty)
    }

    @Test func anyOriginNeverReflectsNull() async throws {
        let credentialed = Pipeline { CORS(allowCredentials: true); Router { Get("/") { _ in "hi" } } }
        let actual = try await credentialed.test { try await $0.get("/", headers: [.origin: "null"]) }
        #expect(actual.headers[.accessControlAllowOrigin] == nil)
        #expect(actual.headers[.accessControlAllowCredentials] == nil)
        let preflight = try await credentialed.test {
            try await $0.options("/", headers: [.origin: "null", .accessControlRequestMethod: "GET"])
        }
        #expect(preflight.headers[.accessControlAllowOrigin] == nil)
        let other = try await credentialed.test { try await $0.get("/", headers: [.origin: "https://a.test"]) }
        #expect(other.headers[.accessControlAllowOrigin] == "https://a.test")
        // Without credentials `.any` answers `*`, which is not a reflection of `null`.
        let open = Pipeline { CORS(); Router { Get("/") { _ in "hi" } } }
        let star = try await open.test { try await $0.get("/", headers: [.origin: "null"]) }
        #expect(star.headers[.accessControlAllowOrigin] == "*")
    }

    @Test func anyOriginWithCredentialsIsADiagnostic() {
        let app = Pipeline { CORS(allowCredentials: true); Router { Get("/") { _ in "hi" } } }
        #expect(app.diagnostics.count == 1)
        #expect(app.diagnostics.first?.contains("any origin with credentials") == true)
        #expect(Pipeline { CORS(); Router { Get("/") { _ in "hi" } } }.diagnostics.isEmpty)
    }
}
