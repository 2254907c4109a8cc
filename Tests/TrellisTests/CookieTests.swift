import Testing
import Trellis
import TrellisTesting

struct CookieTests {
    @Test func parsesPairsAndSkipsMalformedOnes() {
        let headers: HTTPHeaders = [.cookie: #"session=abc123; theme="dark"; broken; =novalue; bad name=x;  lang = en"#]
        let cookies = Cookies(headers: headers)
        #expect(cookies["session"] == "abc123")
        #expect(cookies["theme"] == "dark", "quotes are removed")
        #expect(cookies["lang"] == "en")
        #expect(cookies["broken"] == nil)
        #expect(cookies.map(\.name) == ["session", "theme", "lang"])
    }

    @Test func pairsSplitAtTheBytesEvenBeforeACombiningMark() {
        // `=` or `;` followed by a combining mark is one Character with it; the pairs still split
        // there (found by the cookies fuzz target: such a value, written back, parsed to nothing).
        let cookies = Cookies(headers: [.cookie: "a=\u{65A}x; b=1;\u{301}c=2; d=\t\"\u{301}\""])
        #expect(cookies.map(\.name) == ["a", "b", "d"])
        #expect(cookies["a"] == "\u{65A}x")
        #expect(cookies["b"] == "1")
        #expect(cookies["d"] == "\u{301}", "quotes removed around a lone combining mark")
        #expect(!cookies.contains { $0.value.utf8.contains(UInt8(ascii: ";")) })
    }

    @Test func readsEveryCookieHeaderAndFirstNameWins() {
        var headers: HTTPHeaders = [.cookie: "a=1; b=2"]
        headers.append(.cookie, "a=3")
        let cookies = Cookies(headers: headers)
        #expect(cookies["a"] == "1")
        #expect(cookies.count == 3)
        #expect(Cookies(headers: [:]).isEmpty)
        #expect(Cookies(headers: [.cookie: ";;;=;\u{7F}"]).isEmpty)
    }

    @Test func setCookieWritesEveryAttribute() throws {
        var response = Response(status: .ok)
        try response.setCookie(
            Cookie(
                name: "session", value: "abc", maxAge: 3600, expires: 784_111_777, path: "/app", domain: "example.com",
                secure: true, httpOnly: true, sameSite: .noRestriction
            )
        )
        try response.setCookie(Cookie(name: "theme", value: "dark"))
        #expect(
            response.headers.values(for: .setCookie) == [
                "session=abc; Max-Age=3600; Expires=Sun, 06 Nov 1994 08:49:37 GMT; Domain=example.com; Path=/app; Secure; HttpOnly; SameSite=None",
                "theme=dark",
            ]
        )
    }

    @Test func forbiddenBytesAreRejectedAtTheCall() {
        for value in ["has space", "quo\"te", "semi;colon", "com,ma", "back\\slash", "line\r\nInjected: 1", "caf\u{E9}"] {
            var response = Response()
            #expect(throws: Cookie.Invalid.self, "\(value)") { try response.setCookie(Cookie(name: "a", value: value)) }
            #expect(response.headers.values(for: .setCookie).isEmpty)
        }
        var response = Response()
        #expect(throws: Cookie.Invalid.self) { try response.setCookie(Cookie(name: "bad name", value: "x")) }
        #expect(throws: Cookie.Invalid.self) { try response.setCookie(Cookie(name: "a", value: "x", path: "/a;b")) }
        #expect(throws: Cookie.Invalid.self) { try response.setCookie(Cookie(name: "a", value: "x", domain: "ex ample.com")) }
        #expect(throws: Cookie.Invalid.self) { try response.setCookie(Cookie(name: "a", value: "x", sameSite: .noRestriction)) }
    }

    @Test func expiresIsAnHTTPDateAcrossYears() throws {
        func expires(_ seconds: Int64) throws -> String { try Cookie(name: "a", value: "1", expires: seconds).headerValue() }
        #expect(try expires(0) == "a=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(try expires(951_782_400) == "a=1; Expires=Tue, 29 Feb 2000 00:00:00 GMT")
        #expect(try expires(4_102_444_799) == "a=1; Expires=Thu, 31 Dec 2099 23:59:59 GMT")
        #expect(try expires(-86_400) == "a=1; Expires=Wed, 31 Dec 1969 00:00:00 GMT")
    }

    @Test func roundTripThroughAPipeline() async throws {
        let app = Pipeline {
            Router {
                Get("/login") { _ in
                    var response = Response.text("in")
                    try response.setCookie(Cookie(name: "session", value: "s1", path: "/", httpOnly: true, sameSite: .lax))
                    return response
                }
                Get("/me") { request in request.cookies["session"] ?? "anonymous" }
            }
        }
        let login = try await app.test { try await $0.get("/login") }
        #expect(login.headers[.setCookie] == "session=s1; Path=/; HttpOnly; SameSite=Lax")
        let me = try await app.test { try await $0.get("/me", headers: [.cookie: "session=s1"]) }
        #expect(me.text == "s1")
    }
}
