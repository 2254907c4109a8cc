import Testing
import Trellis
import TrellisMiddleware
import TrellisTesting

/// Collects access-log lines.
final class LineCollector: Sendable {
    private let lines = Locked<[String]>([])
    var sink: AccessLog.Sink { AccessLog.Sink { line in self.lines.withLock { $0.append(String(decoding: line, as: UTF8.self)) } } }
    var all: [String] { lines.withLock { $0 } }
}

struct TrustedHostTests {
    let app = Pipeline {
        TrustedHost(["example.com", "*.example.org", "www.shop.test", "::1", "127.0.0.1"])
        Router { Get("/") { _ in "ok" } }
    }

    func get(host: String?, target: String = "/") async throws -> TestResponse {
        var headers: HTTPHeaders = [:]
        if let host { headers[.host] = host }
        return try await app.test { try await $0.execute(Request(method: .get, target: target, headers: headers)) }
    }

    @Test func allowedHostsPassWithPortsCaseAndIPv6() async throws {
        for host in ["example.com", "EXAMPLE.com:8080", "api.example.org", "a.b.example.org:443", "[::1]:8080", "[::1]", "127.0.0.1:80"] {
            #expect(try await get(host: host).status == .ok, "\(host)")
        }
    }

    @Test func badMissingOrDisallowedHostIs400() async throws {
        for host in ["evil.com", "example.org", "example.com.evil.com", "xexample.com", "example.com:99999", "example.com:", "exa mple.com",
            "[::1", "[::2]:80", "example.com:80:80", ""] {
            let response = try await get(host: host)
            #expect(response.status == .badRequest, "\(host)")
            #expect(response.text == "Invalid host header")
        }
        #expect(try await get(host: nil).status == .badRequest)
    }

    @Test func wwwRedirectKeepsPathAndQuery() async throws {
        let response = try await get(host: "shop.test", target: "/cart?id=3")
        #expect(response.status == .temporaryRedirect)
        #expect(response.headers[.location] == "http://www.shop.test/cart?id=3")
        let off = Pipeline { TrustedHost(["www.shop.test"], wwwRedirect: false); Router { Get("/") { _ in "ok" } } }
        #expect(try await off.test { try await $0.execute(.get, "/", headers: [.host: "shop.test"]) }.status == .badRequest)
    }
}

struct HTTPSRedirectTests {
    func app(proxies: TrustedProxies = .none, permanent: Bool = false, port: Int? = nil) -> some PipelineTesting {
        Pipeline { HTTPSRedirect(permanent: permanent, proxies: proxies, httpsPort: port); Router { Get("/a") { _ in "secure" } } }
    }

    @Test func plainRequestsAreRedirectedKeepingPathAndQuery() async throws {
        let response = try await app().run(.get, "/a?x=1&y=%20", headers: [.host: "example.com:80"], body: [])
        #expect(response.status == .temporaryRedirect)
        #expect(response.headers[.location] == "https://example.com/a?x=1&y=%20")
        let permanent = try await app(permanent: true, port: 8443).run(.get, "/a", headers: [.host: "[::1]:8080"], body: [])
        #expect(permanent.status == .permanentRedirect)
        #expect(permanent.headers[.location] == "https://[::1]:8443/a")
    }

    @Test func forwardedProtoIsIgnoredFromAnUntrustedClient() async throws {
        // In-process requests have no client address: never trusted.
        let spoofed = try await app(proxies: TrustedProxies(["0.0.0.0/0"])).run(
            .get, "/a", headers: [.host: "example.com", .xForwardedProto: "https"], body: [])
        #expect(spoofed.status == .temporaryRedirect)
    }

    @Test func missingHostIs400() async throws {
        let response = try await Pipeline { HTTPSRedirect(); Router { Get("/a") { _ in "x" } } }.test {
            try await $0.execute(Request(method: .get, target: "/a"))
        }
        #expect(response.status == .badRequest)
    }

    @Test func trustedProxiesParseRanges() {
        let proxies = TrustedProxies(["10.0.0.0/8", "::1", "fd00::/8", "bogus", "10.0.0.0/40"])
        #expect(proxies.invalidEntries == ["bogus", "10.0.0.0/40"])
        #expect(proxies.contains(ClientAddress(host: "10.200.1.2", port: 1)))
        #expect(!proxies.contains(ClientAddress(host: "11.0.0.1", port: 1)))
        #expect(proxies.contains(ClientAddress(host: "::1", port: 1)))
        #expect(proxies.contains(ClientAddress(host: "fd12:3456::1", port: 1)))
        #expect(proxies.contains(ClientAddress(host: "::ffff:10.1.1.1", port: 1)), "IPv4-mapped")
        #expect(!proxies.contains(nil))
    }
}

struct RequestIDTests {
    let log = LineCollector()

    func app() -> some PipelineTesting {
        Pipeline(reporter: .discarding) {
            RequestID()
            AccessLog(format: .json, sink: log.sink)
            Router {
                Get("/") { request in "\(request.id ?? "none") \(request.headers[.xRequestID] ?? "none")" }
                Get("/boom") { _ -> String in throw SecretError() }
            }
        }
    }

    @Test func aFiveHundredCarriesTheIDToo() async throws {
        let response = try await app().run(.get, "/boom", headers: [.xRequestID: "trace-500"], body: [])
        #expect(response.status == .internalServerError)
        #expect(response.headers[.xRequestID] == "trace-500")
    }

    @Test func keepsAValidIncomingID() async throws {
        let response = try await app().run(.get, "/", headers: [.xRequestID: "abc-123.X:y"], body: [])
        #expect(response.text == "abc-123.X:y abc-123.X:y")
        #expect(response.headers[.xRequestID] == "abc-123.X:y")
        #expect(log.all.first?.contains(#""request_id":"abc-123.X:y""#) == true)
    }

    @Test func replacesAnInvalidOrMissingID() async throws {
        for bad in ["", String(repeating: "a", count: 129), "has space", "quo\"te", "new\nline"] {
            let response = try await app().run(.get, "/", headers: [.xRequestID: bad], body: [])
            let id = response.headers[.xRequestID] ?? ""
            #expect(id.count == 32 && id != bad, "\(bad)")
            #expect(response.text == "\(id) \(id)")
        }
        let none = try await app().run(.get, "/", headers: [:], body: [])
        #expect(none.headers[.xRequestID]?.count == 32)
        #expect(RequestID.generate() != RequestID.generate())
    }

    @Test func generatedIdsAreDistinctAcrossConcurrentRequestsAndLowercaseHex() async {
        let ids = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<4 { group.addTask { (0..<5_000).map { _ in RequestID.generate() } } }
            return await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(Set(ids).count == 20_000)
        #expect(ids.allSatisfy { $0.utf8.count == 32 && $0.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) } })
    }
}

struct AccessLogTests {
    @Test func commonFormatEscapesTheTargetAndNeverPrintsCredentials() async throws {
        let log = LineCollector()
        let app = Pipeline(reporter: .discarding) {
            AccessLog(sink: log.sink)
            Router {
                Get("/a") { _ in "hello" }
                Get("/boom") { _ -> String in throw SecretError() }
            }
        }
        _ = try await app.run(
            .get, "/a?q=\"x\"\u{1}",
            headers: [.authorization: "Bearer TOPSECRET", .cookie: "session=COOKIESECRET"],
            body: []
        )
        _ = try await app.run(.get, "/boom", headers: [:], body: [])
        let lines = log.all
        #expect(lines.count == 2)
        let first = try #require(lines.first)
        #expect(first.hasPrefix("- - - ["), "no client in-process: \(first)")
        #expect(first.contains(/^- - - \[(0[1-9]|[12]\d|3[01])\/[A-Z][a-z]{2}\/20\d{2}:([01]\d|2[0-3]):[0-5]\d:[0-5]\d \+0000\]\x20/), "the common time: \(first)")
        #expect(first.contains(#""GET /a?q=\x22x\x22\x01 HTTP/1.1" 200 5 "#), "\(first)")
        #expect(!first.contains("TOPSECRET") && !first.contains("COOKIESECRET"))
        #expect(first.hasSuffix(" -\n"))
        #expect(lines[1].contains(#""GET /boom HTTP/1.1" 500 "#))
    }

    @Test func aStreamIsLoggedOnceWrittenWithItsRealSize() async throws {
        let log = LineCollector()
        let app = Pipeline {
            AccessLog(sink: log.sink)
            Router {
                Get("/stream") { _ in
                    Response(body: .stream { writer in
                        #expect(log.all.isEmpty, "not logged before the body is written")
                        for _ in 0..<3 { try await writer.write("12345") }
                    })
                }
            }
        }
        let response = try await app.run(.get, "/stream", headers: [:], body: [])
        #expect(response.text == "123451234512345")
        #expect(log.all.count == 1)
        #expect(log.all.first?.contains(#""GET /stream HTTP/1.1" 200 15 "#) == true, "\(log.all)")
        _ = try await app.run(.head, "/stream", headers: [:], body: [])
        #expect(log.all.count == 2, "HEAD is logged at once")
    }

    @Test func jsonFormatIsOneValidObjectPerLine() async throws {
        let log = LineCollector()
        let app = Pipeline {
            AccessLog(format: .json, sink: log.sink)
            Router { Get("/items/{id}") { _ in "x" } }
        }
        _ = try await app.run(.get, "/items/7?name=%22a%0A", headers: [:], body: [])
        let line = try #require(log.all.first)
        #expect(line.hasSuffix("}\n"))
        #expect(line.contains(#""method":"GET","target":"/items/7?name=%22a%0A","route":"/items/{id}","status":200,"bytes":1,"#))
        #expect(line.contains(#""client":null"#))
        let time = line.split(separator: "\"")[3]
        #expect(time.wholeMatch(of: /20\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z/) != nil, "\(time)")
    }
}

struct BodyLimitTests {
    let app = Pipeline {
        Router {
            Group("/small", middleware: BodyLimit(maxBytes: 8)) { Post("/") { request in "\(try await request.body.collect().count)" } }
            Group("/strict", middleware: BodyLimit(maxBytes: 8, requireLength: true)) { Post("/") { _ in "ok" } }
        }
    }

    @Test func announcedLargerIs413BeforeTheHandler() async throws {
        let response = try await app.run(.post, "/small", headers: [:], body: Array(repeating: 1, count: 9))
        #expect(response.status == .contentTooLarge)
        #expect(try await app.run(.post, "/small", headers: [:], body: [1, 2, 3]).text == "3")
    }
}

struct SecurityHeadersTests {
    @Test func defaultsAndHandlerValuesWin() async throws {
        let app = Pipeline {
            SecurityHeaders(contentSecurityPolicy: "default-src 'self'")
            Router {
                Get("/") { _ in "x" }
                Get("/framable") { _ in Response(headers: [.xFrameOptions: "SAMEORIGIN"], body: Array("y".utf8)) }
            }
        }
        let response = try await app.run(.get, "/", headers: [:], body: [])
        #expect(response.headers[.xContentTypeOptions] == "nosniff")
        #expect(response.headers[.xFrameOptions] == "DENY")
        #expect(response.headers[.referrerPolicy] == "strict-origin-when-cross-origin")
        #expect(response.headers[.contentSecurityPolicy] == "default-src 'self'; frame-ancestors 'none'")
        #expect(response.headers[.strictTransportSecurity] == nil, "never over plain HTTP")
        #expect(try await app.run(.get, "/framable", headers: [:], body: []).headers.values(for: .xFrameOptions) == ["SAMEORIGIN"])
        let notFound = try await app.run(.get, "/nowhere", headers: [:], body: [])
        #expect(notFound.headers[.xContentTypeOptions] == "nosniff", "error responses too")
    }
}

struct AuthHelperTests {
    let app = Pipeline {
        BasicAuth(realm: "staff \"area\"") { user, password in
            user == "ada" && ConstantTime.equals(password, "lovelace") ? User(name: user) : nil
        }
        Router.taking(Authenticated<User>.self) { Get("/") { input in "hello \(input.user.name)" } }
    }

    @Test func basicAuthAcceptsGoodCredentials() async throws {
        let response = try await app.run(.get, "/", headers: [.authorization: "Basic YWRhOmxvdmVsYWNl"], body: [])
        #expect(response.text == "hello ada")
    }

    @Test func aPasswordThatStartsWithACombiningMarkIsSplitAtTheColonByte() {
        // `:` followed by U+0301 is one Character; the credentials still split at the `:` byte.
        let credentials = BasicAuth<User>.credentials(in: [.authorization: "Basic YWRhOsyBcGFzcw=="])
        #expect(credentials?.user == "ada" && credentials?.password == "\u{301}pass")
    }

    @Test func basicAuthRejectsBadInputWith401AndAChallenge() async throws {
        for value in ["Basic YWRhOndyb25n", "Basic !!!notbase64", "Basic YWRh", "Bearer x", "Basic", "Basic //79/w=="] {
            let response = try await app.run(.get, "/", headers: [.authorization: value], body: [])
            #expect(response.status == .unauthorized, "\(value)")
            #expect(response.headers[.wwwAuthenticate] == #"Basic realm="staff \"area\"", charset="UTF-8""#)
        }
        #expect(try await app.run(.get, "/", headers: [:], body: []).status == .unauthorized)
    }

    @Test func bearerRealmAndConstantTime() async throws {
        let bearer = Pipeline {
            BearerAuth(realm: "api") { token in ConstantTime.equals(token, "t0k") ? User(name: "svc") : nil }
            Router.taking(Authenticated<User>.self) { Get("/") { input in input.user.name } }
        }
        #expect(try await bearer.run(.get, "/", headers: [:], body: []).headers[.wwwAuthenticate] == #"Bearer realm="api""#)
        #expect(
            try await bearer.run(.get, "/", headers: [.authorization: "Bearer nope"], body: []).headers[.wwwAuthenticate]
                == #"Bearer realm="api", error="invalid_token""#
        )
        #expect(ConstantTime.equals("abc", "abc"))
        #expect(!ConstantTime.equals("abc", "abd"))
        #expect(!ConstantTime.equals("abc", "abcd"))
        #expect(!ConstantTime.equals("", "a"))
        #expect(ConstantTime.equals("", ""))
    }
}

struct TimeoutTests {
    @Test func slowHandlerGets503AndIsCancelledFastOneIsUntouched() async throws {
        let cancelled = Locked(false)
        let app = Pipeline(errorFormat: .json) {
            Timeout(.milliseconds(100))
            Router {
                Get("/slow") { _ in
                    do {
                        try await Task.sleep(for: .seconds(10))
                    } catch {
                        cancelled.withLock { $0 = true }
                        throw error
                    }
                    return "late"
                }
                Get("/fast") { _ in "fast" }
            }
        }
        let response = try await app.run(.get, "/slow", headers: [:], body: [])
        #expect(response.status == .serviceUnavailable)
        #expect(response.text == #"{"detail":"The request took longer than 100 ms."}"#)
        // No clock: the handler's 10 s sleep was interrupted by the time the answer came back, so the
        // answer did not wait for it.
        #expect(cancelled.withLock { $0 }, "answered without waiting for the handler's sleep")
        #expect(try await app.run(.get, "/fast", headers: [:], body: []).text == "fast")
    }

    @Test func cleanupsStillRunAfterATimeout() async throws {
        let released = Locked<[Int]>([])
        let app = Pipeline {
            Timeout(.milliseconds(50), status: .gatewayTimeout)
            Provide { _ in 1 } release: { value, outcome in released.withLock { $0.append(outcome.status.code + value) } }
            Router.taking(With<Int, Request>.self) { Get("/") { _ in try await Task.sleep(for: .seconds(10)); return "x" } }
        }
        #expect(try await app.run(.get, "/", headers: [:], body: []).status == .gatewayTimeout)
        #expect(released.withLock { $0 } == [505])
    }
}
