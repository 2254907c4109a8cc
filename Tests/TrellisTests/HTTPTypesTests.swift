import Testing
import Trellis

struct HTTPTypesTests {
    @Test func namesAreEqualExactlyWhenTheirLowerCasedFormsAre() {
        // Lengths on both sides of the seven bytes a name's key holds, names that differ only past
        // them, in case only, or by one byte anywhere, and names longer than the key's length field.
        let long = String(repeating: "x", count: 130)
        let spellings = ["", "a", "A", "b", "ab", "aB", "abcdefg", "ABCDEFG", "abcdefh", "abcdef", "abcdefgh", "abcdefgH",
                         "abcdefgi", "x-request-id", "X-Request-ID", "x-request-ie", "y-request-id", "content-length",
                         "Content-Length", "content-lengti", long, long + "y", long + "Y", String(long.dropLast()) + "z"]
        for left in spellings {
            for right in spellings {
                let equal = HTTPHeaders.Name(left) == HTTPHeaders.Name(right)
                #expect(equal == (left.lowercased() == right.lowercased()), "\(left) vs \(right)")
                if equal { #expect(HTTPHeaders.Name(left).hashValue == HTTPHeaders.Name(right).hashValue) }
            }
        }
        #expect(HTTPHeaders.Name("X-Ok").isToken && !HTTPHeaders.Name("Bad Name").isToken && !HTTPHeaders.Name("").isToken)
    }

    @Test func builtInLiteralAndRunTimeNamesCompareAndHashAlike() {
        // Built-in names and literals point at their bytes; `Name(_:)` holds a string. Each kind
        // must agree with the others, ignoring case, whatever the length.
        let literal: HTTPHeaders.Name = "Access-Control-Allow-Methods"
        let oneCharacter: HTTPHeaders.Name = "Q"
        let pairs: [(HTTPHeaders.Name, HTTPHeaders.Name, Bool)] = [
            (.accessControlAllowMethods, literal, true),
            (.accessControlAllowMethods, HTTPHeaders.Name("access-control-allow-METHODS"), true),
            (.accessControlAllowMethods, .accessControlAllowHeaders, false),
            (literal, HTTPHeaders.Name("Access-Control-Allow-Headers"), false),
            (.contentType, HTTPHeaders.Name("CONTENT-TYPE"), true),
            (oneCharacter, HTTPHeaders.Name("q"), true),
            (oneCharacter, "R", false),
        ]
        for (left, right, equal) in pairs {
            #expect((left == right) == equal, "\(left) vs \(right)")
            #expect((right == left) == equal, "\(right) vs \(left)")
            if equal { #expect(left.hashValue == right.hashValue, "\(left) vs \(right)") }
        }
        #expect(Set<HTTPHeaders.Name>([.contentType, "content-type", HTTPHeaders.Name("Content-TYPE")]).count == 1)
        // Each keeps its spelling as written.
        #expect(literal.rawName == "Access-Control-Allow-Methods" && oneCharacter.rawName == "Q")
        #expect(HTTPHeaders.Name.xProcessTime.rawName == "X-Process-Time")
        #expect(HTTPHeaders.Name.xProcessTime.canonicalName == "x-process-time")
        #expect(literal.isToken && !HTTPHeaders.Name("Bad Name").isToken)
    }

    @Test func headersAreOrderedCaseInsensitiveAndKeepDuplicates() {
        var headers: HTTPHeaders = ["Set-Cookie": "a=1", .contentType: "text/plain"]
        headers.append("set-cookie", "b=2")
        #expect(headers["SET-COOKIE"] == "a=1")
        #expect(headers.values(for: "Set-Cookie") == ["a=1", "b=2"])
        #expect(headers.map(\.name.rawName) == ["Set-Cookie", "Content-Type", "set-cookie"])
        headers["set-cookie"] = "c=3"
        #expect(headers.values(for: "Set-Cookie") == ["c=3"])
        #expect(headers.first?.name.rawName == "Set-Cookie", "replacing keeps the first position")
        headers[.contentType] = nil
        #expect(!headers.contains(.contentType))
        #expect(headers.count == 1)
    }

    @Test func aValueMayBeASliceOfALargerTextAndReadsAsItsOwnBytes() {
        let text = "Accept: text/html, application/json;q=0.9\r\n"
        let start = text.index(text.startIndex, offsetBy: 8)
        let end = text.index(start, offsetBy: 33)
        var headers = HTTPHeaders([HTTPHeaders.Field(name: .accept, valueSlice: text[start..<end])])
        #expect(headers[.accept] == "text/html, application/json;q=0.9")
        #expect(headers[slice: .accept] == "text/html, application/json;q=0.9")
        #expect(headers.listContains(.accept, token: "application/json;q=0.9"))
        #expect(headers == ["Accept": "text/html, application/json;q=0.9"], "equal to the same value made from a string")
        headers[slice: "ACCEPT"] = text[start..<text.index(start, offsetBy: 9)]
        #expect(headers[.accept] == "text/html" && headers.first?.name.rawName == "Accept")
        var field = HTTPHeaders.Field(name: .accept, value: "a")
        field.valueSlice = text[start..<end]
        #expect(field.value == "text/html, application/json;q=0.9")
        field.value = "b"
        #expect(field.valueSlice == "b")
    }

    @Test func singleIsTheOneFieldOfANameAndNilForNoneOrSeveral() {
        var headers: HTTPHeaders = ["ORIGIN": "https://a.example", "X-Origin": "no", "Originx": "no"]
        #expect(headers.single(.origin) == "https://a.example")
        #expect(headers.count(of: .origin) == 1)
        headers.append("origin", "https://b.example")
        #expect(headers.single(.origin) == nil)
        #expect(headers.count(of: .origin) == 2)
        #expect(HTTPHeaders().single(.origin) == nil)
        #expect(HTTPHeaders.Name("Content-Type") == HTTPHeaders.Name("content-TYPE"))
        #expect(HTTPHeaders.Name("Content-Type") != HTTPHeaders.Name("Content-Typf"))
        #expect(HTTPHeaders.Name("Vary") != HTTPHeaders.Name("Varyy"))
    }

    @Test func listContainsMatchesTokensIgnoringCase() {
        let headers: HTTPHeaders = [.connection: "keep-alive, Upgrade", .vary: "Accept-Encoding"]
        #expect(headers.listContains(.connection, token: "upgrade"))
        #expect(!headers.listContains(.connection, token: "close"))
    }

    @Test func aTextBodyReadsAsItsUTF8Bytes() async throws {
        var body = ResponseBody.text("héllo")
        #expect(body.knownLength == 6)
        #expect(body.bytes == Array("héllo".utf8))
        guard case .bytes(let bytes) = body.storage else {
            Issue.record("a text body is fixed bytes")
            return
        }
        #expect(bytes == Array("héllo".utf8))
        #expect(try await body.collect() == Array("héllo".utf8))
        #expect(Response.text("hi").body.bytes == Array("hi".utf8))
        body.storage = .bytes([1, 2])
        #expect(body.bytes == [1, 2])
        #expect(body.knownLength == 2)
    }

    @Test func methodsIncludeExtensions() {
        #expect(HTTPMethod.get.rawValue == "GET")
        let purge: HTTPMethod = "PURGE"
        #expect(purge == HTTPMethod("PURGE"))
        #expect(purge != HTTPMethod("purge"), "methods are case-sensitive")
        // Equal exactly when the tokens are: same length and bytes, whatever the lengths compared.
        let methods: [HTTPMethod] = [.get, .head, .post, .put, .delete, .patch, .options, .connect, .trace, purge, "GETS", "GE", ""]
        for left in methods {
            for right in methods {
                #expect((left == right) == (Array(left.rawValue.utf8) == Array(right.rawValue.utf8)), "\(left) vs \(right)")
                if left == right { #expect(left.hashValue == right.hashValue) }
            }
        }
        #expect(HTTPMethod(String("GET".utf8.map { Character(Unicode.Scalar($0)) })) == .get, "a method made at run time")
    }

    @Test func shortTextFromBytesIsTheStandardLibrarysOwnString() {
        // Short ASCII texts are made from their bits: on this platform the layout check must hold
        // (else the fast path is never taken), and every length, 0 to 15, must give the string the
        // standard library makes, equal, hashing alike, and with its bytes and count.
        #expect(SmallASCIIString.layoutHolds && SmallASCIIString.layoutMatchesTheLibrarys)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789 ~\u{0}\u{7F}".utf8)
        for length in 0...20 {
            for start in [0, 3, 25] {
                let bytes = (0..<length).map { alphabet[(start + $0 * 7) % alphabet.count] }
                let made = bytes.withUnsafeBufferPointer { String(utf8: $0) }
                let standard = String(decoding: bytes, as: UTF8.self)
                #expect(made == standard && made.hashValue == standard.hashValue)
                #expect(Array(made.utf8) == bytes && made.utf8.count == length && made.count == standard.count)
                #expect(made + "!" == standard + "!", "a made string appends as the standard one")
            }
        }
        // Bytes beyond ASCII take the standard path: decoded, and repaired where not UTF-8.
        for bytes: [UInt8] in [[0xC3, 0xA9], [0x61, 0xC3, 0xA9, 0x62], [0xFF], [0x61, 0x80]] {
            #expect(bytes.withUnsafeBufferPointer { SmallASCIIString.make($0) } == nil)
            #expect(bytes.withUnsafeBufferPointer { String(utf8: $0) } == String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func statusesCarryReasonPhrases() {
        #expect(HTTPStatus.notFound.description == "404 Not Found")
        #expect(HTTPStatus(code: 431).reasonPhrase == "Request Header Fields Too Large")
        #expect(HTTPStatus(code: 299).reasonPhrase == "")
        #expect(HTTPStatus(code: 200) == .ok)
    }

    @Test func requestSplitsPathAndQuery() {
        let request = Request(method: .get, target: "/a/b?x=1&y=%20")
        #expect(request.path == "/a/b")
        #expect(request.rawQuery == "x=1&y=%20")
        #expect(request.query["y"] == " ")
        let absolute = Request(method: .get, target: "http://host:8080/p?q")
        #expect(absolute.path == "/p")
        #expect(absolute.query["q"] == "")
        var changed = request
        changed.target = "/other"
        #expect(changed.path == "/other" && changed.rawQuery == nil)
    }

    /// A server's request finds its target inside the request head's text, by offsets: every part
    /// must read as it does for a request made from the target alone, whatever the form.
    @Test(arguments: [
        "/", "/a/b?x=1&y=%20", "/a?", "/a?&&q=1&q=2&q", "?x=1", "*", "http://host:8080/p?q", "http://host", "http://host?x=1",
        "HTTP://h/%C3%A9?v=%E2%82%AC", "/ä/ö?ü=ß", "",
    ])
    func aTargetInsideALargerTextReadsAsTheTargetAlone(target: String) {
        let head = "GET \(target) HTTP/1.1\r\nHost: example.com\r\n\r\n"
        let start = 4
        let inside = Request(
            method: .get, targetText: head, targetRange: start..<(start + target.utf8.count), version: .http1_1, headers: [:],
            body: .empty, context: RequestContext()
        )
        let alone = Request(method: .get, target: target)
        #expect(inside.target == target && inside.targetSlice == target[...])
        #expect(inside.path == alone.path && inside.pathSlice == alone.pathSlice)
        #expect(inside.rawQuery == alone.rawQuery)
        #expect(inside.query == alone.query && Array(inside.query) == Array(alone.query))
        #expect(inside.query == QueryParameters(parsing: alone.rawQuery))
        #expect(inside.isAsteriskTarget == (target == "*"))
        #expect(inside.hasPath(alone.path) && !inside.hasPath(alone.path + "/") && !inside.hasPath("/x" + alone.path))
        for name in ["q", "x", "y", "v", "ü"] {
            #expect(inside.query.last(name) == alone.query.all(name).last, "\(name) in \(target)")
        }

        // A slice set as the target keeps its base, and the parts follow it.
        var moved = alone
        moved.targetSlice = head.dropFirst(start).prefix(target.count)
        #expect(moved.targetSlice.base == head && moved.target == target)
        #expect(moved.path == alone.path && moved.rawQuery == alone.rawQuery)
    }

    @Test func queryDecodingKeepsMalformedPairsRaw() {
        let query = QueryParameters(parsing: "a=%zz&b=1+2&&c")
        #expect(query["a"] == "%zz")
        #expect(query["b"] == "1 2")
        #expect(query["c"] == "")
        #expect(query.count == 3)
    }

    @Test func queryPairsIterateInOrderSkippingEmptyOnes() {
        let query = QueryParameters(parsing: "&&tag=a&my+name=%C3%A9&&tag=b&flag&")
        #expect(query.map(\.name) == ["tag", "my name", "tag", "flag"])
        #expect(query.map(\.value) == ["a", "é", "b", ""])
        #expect(query["tag"] == "a", "the first of repeated pairs")
        #expect(query.all("tag") == ["a", "b"])
        #expect(query["my name"] == "é", "names are decoded before they are compared")
        #expect(query["missing"] == nil)
        #expect(query.count == 4)
        #expect(QueryParameters(parsing: nil).isEmpty)
        #expect(QueryParameters(parsing: "&&").isEmpty)
        #expect(QueryParameters(parsing: "a=%41") == QueryParameters(parsing: "a=A"), "equal pairs, differently written")
        #expect(QueryParameters(parsing: "a=1&b=2") != QueryParameters(parsing: "b=2&a=1"))
    }

    @Test func queryPairsSplitOnTheByteEvenBeforeACombiningMark() {
        // `&\u{301}` is one `Character`; a scan by `Character` missed the separator.
        let query = QueryParameters(parsing: "a=1&\u{301}b=2")
        #expect(query["a"] == "1")
        #expect(query["\u{301}b"] == "2")
        #expect(query.count == 2)
    }

    @Test func aDeclaredQueryReadInPlaceAgreesWithTheParsedPairs() throws {
        struct Filter: Decodable, Equatable { let a: String; let b: String?; let tag: [String] }
        for query in ["a=1&\u{301}b=2", "a=x%20y&b=1+2&tag=p&tag=q", "a=%zz&&tag=", "b=2&a=%C3%A9"] {
            let parsed = try FormDecoder.decode(Filter.self, from: QueryParameters(parsing: query[...]), source: .query)
            let inPlace = try FormDecoder.decode(Filter.self, queryOf: "/items?" + query, source: .query)
            #expect(parsed == inPlace, "\(query)")
        }
    }
}
