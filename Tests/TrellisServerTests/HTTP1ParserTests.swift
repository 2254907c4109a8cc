import Testing
import Trellis
import TrellisServer

struct HTTP1ParserTests {
    @Test func theByteRunChecksAgreeWithTheGrammarOnEveryByte() {
        for byte in UInt8.min...UInt8.max {
            [byte].withUnsafeBufferPointer { one in
                #expect(HTTPSyntax.isToken(one) == HTTPSyntax.isTokenChar(byte), "byte \(byte)")
                #expect(HTTPSyntax.isFieldValue(one) == HTTPSyntax.isFieldValueChar(byte), "byte \(byte)")
                #expect(HTTPSyntax.isTarget(one) == HTTPSyntax.isTargetChar(byte), "byte \(byte)")
            }
            // The byte among ordinary ones, at either end and inside.
            for bytes in [[byte] + Array("ab".utf8), Array("ab".utf8) + [byte], Array("a".utf8) + [byte] + Array("b".utf8)] {
                bytes.withUnsafeBufferPointer { run in
                    #expect(HTTPSyntax.isToken(run) == HTTPSyntax.isTokenChar(byte))
                    #expect(HTTPSyntax.isFieldValue(run) == HTTPSyntax.isFieldValueChar(byte))
                }
            }
        }
        // Long runs (the word-wide steps): the byte at every position, among ordinary bytes and obs-text.
        for byte in UInt8.min...UInt8.max {
            for filler in [UInt8(ascii: "a"), 0x09, 0x80, 0xFF] {
                // Whole words, a word and one byte, and runs whose last word overlaps the one before.
                for length in [8, 9, 16, 19] {
                    for position in 0..<length {
                        var run = [UInt8](repeating: filler, count: length)
                        run[position] = byte
                        let agrees = run.withUnsafeBufferPointer { HTTPSyntax.isFieldValue($0) == HTTPSyntax.isFieldValueChar(byte) }
                        if !agrees { Issue.record("byte \(byte) at \(position) of \(length) among \(filler)") }
                        // The target's check, among visible ASCII (the only bytes a target may hold).
                        if filler == UInt8(ascii: "a") {
                            let targetAgrees = run.withUnsafeBufferPointer { HTTPSyntax.isTarget($0) == HTTPSyntax.isTargetChar(byte) }
                            if !targetAgrees { Issue.record("target byte \(byte) at \(position) of \(length)") }
                        }
                    }
                }
            }
        }
        [UInt8]().withUnsafeBufferPointer { empty in
            #expect(!HTTPSyntax.isToken(empty))
            #expect(HTTPSyntax.isFieldValue(empty))
        }
    }

    @Test func aCommonFieldNameIsFoundOnlyWhenEveryByteMatches() {
        func common(_ text: String) -> HTTPHeaders.Name? {
            Array(text.utf8).withUnsafeBufferPointer { HTTPHeaders.Name.common($0) }
        }
        // Short, one-word, two-word and four-word names, as written and in lower case.
        for name in ["DNT", "Host", "User-Agent", "Accept-Encoding", "Upgrade-Insecure-Requests", "Access-Control-Request-Headers"] {
            for spelling in [name, name.lowercased()] {
                let found = common(spelling)
                #expect(found?.rawName == spelling, "\(spelling)")
                // One byte changed anywhere (in every word) is another name, not this one.
                var bytes = Array(spelling.utf8)
                for position in bytes.indices {
                    let original = bytes[position]
                    bytes[position] = original == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
                    let changed = String(decoding: bytes, as: UTF8.self)
                    #expect(common(changed) == nil, "\(changed)")
                    bytes[position] = original
                }
                #expect(common(spelling + "x") == nil)
                #expect(common(String(spelling.dropLast())) == nil)
            }
        }
        // Mixed case other than the two spellings is not common (the parser then builds the name).
        #expect(common("HOST") == nil)
        #expect(common("X-Custom-Header") == nil)
    }

    @Test func aCommonNamesKeyTellsTheSameFramingFieldAsItsBytes() {
        func framingField(bytes spelling: String) -> RequestHeadParser.FramingField? {
            Array((spelling + ": v").utf8).withUnsafeBufferPointer { RequestHeadParser.FramingField($0, nameLength: spelling.utf8.count) }
        }
        var found = 0
        // Every name of the common names' table, in both of the spellings the table holds.
        for name in HTTPHeaders.Name.commonRequestNameList {
            for spelling in [name.rawName, name.canonicalName] {
                let common = Array(spelling.utf8).withUnsafeBufferPointer { HTTPHeaders.Name.common($0) }
                guard let common else {
                    Issue.record("\(spelling) is not found in the common names' table")
                    continue
                }
                #expect(RequestHeadParser.FramingField(commonNameKey: common.key) == framingField(bytes: spelling), "\(spelling)")
                // The framer reads it by the name's slot in the table.
                let slot = Array(spelling.utf8).withUnsafeBufferPointer { HTTPHeaders.Name.CommonNames().slot(in: $0, length: $0.count) }
                #expect(slot >= 0 && RequestHeadParser.FramingField.ofCommonNameSlots[slot] == framingField(bytes: spelling), "\(spelling)")
                if framingField(bytes: spelling) != nil { found += 1 }
            }
        }
        // Host, Expect, Upgrade, Connection, Content-Length and Transfer-Encoding, twice each.
        #expect(found == 12)
    }

    @Test func theHeadScannersWordStepStopsExactlyAtTheFirstControlByteOrDEL() {
        var mismatches: [String] = []
        // Every byte that stops the step (control bytes, DEL), and bytes beside them that must not.
        let specials = Array(UInt8(0)...UInt8(0x21)) + [0x7E, 0x7F, 0x80, 0x8D, 0x9F, 0xFF]
        for filler in [UInt8(ascii: "a"), 0x20, 0x80, 0xFF] {
            for special in specials {
                for position in 0..<34 {
                    // A second stop after the first: the step must not stop at it (nor be fooled
                    // by a borrow running up from the first).
                    for later in [nil, position + 1, position + 9] {
                        var bytes = [UInt8](repeating: filler, count: 37)
                        bytes[position] = special
                        if let later, later < bytes.count { bytes[later] = later % 2 == 0 ? 0x0D : 0x7F }
                        for start in [0, 1, 5, 9] {
                            bytes.withUnsafeBufferPointer { buffer in
                                let end = HeadScanner.endOfOrdinaryBytes(in: buffer, from: start)
                                let expected = buffer[start...].firstIndex { $0 < 0x20 || $0 == 0x7F } ?? buffer.count
                                if end != expected { mismatches.append("filler \(filler) byte \(special) at \(position) from \(start)") }
                            }
                        }
                    }
                }
            }
        }
        #expect(mismatches.count == 0, "\(mismatches.prefix(5))")
    }

    @Test func everyControlByteButTabIsRefusedInAFieldValueAndName() {
        func status(_ head: [UInt8]) -> Int? {
            do {
                _ = try HTTP1Parser.parse(head)
                return nil
            } catch {
                return error.status.code
            }
        }
        for byte in Array(UInt8(1)...UInt8(0x1F)) + [0x7F] where byte != 0x0A && byte != 0x0D {
            // In a short and a long value, at its start, middle and end, and in a name.
            for value in [[byte], Array("ab".utf8) + [byte] + Array("cd".utf8), Array(repeating: UInt8(ascii: "v"), count: 40) + [byte]] {
                let head = Array("GET / HTTP/1.1\r\nHost: a\r\nX-Value: ".utf8) + value + Array("\r\n\r\n".utf8)
                #expect(status(head) == (byte == 0x09 ? nil : 400), "byte \(byte) in a value")
            }
            let name = Array("GET / HTTP/1.1\r\nHost: a\r\nX-".utf8) + [byte] + Array("Name: v\r\n\r\n".utf8)
            #expect(status(name) == 400, "byte \(byte) in a name")
        }
    }

    @Test func theHostCheckAgreesWithTheAuthorityCharactersOnEveryByte() {
        for byte in UInt8.min...UInt8.max {
            // A lone byte of 0x80 or more is no UTF-8; decoding repairs it to U+FFFD, itself refused.
            let expected = byte < 0x80 && HostPort.isAuthorityCharacter(byte)
            for bytes in [[byte], Array("ab".utf8) + [byte], [byte] + Array(":80".utf8), Array("a".utf8) + [byte] + Array("b".utf8)] {
                #expect(HostPort.hasAuthorityCharacters(String(decoding: bytes, as: UTF8.self)) == expected, "byte \(byte)")
            }
        }
        #expect(HostPort.hasAuthorityCharacters("[::1]:8080") && HostPort.hasAuthorityCharacters("example.com"))
        #expect(!HostPort.hasAuthorityCharacters("exa mple.com") && !HostPort.hasAuthorityCharacters("ex/ample"))
    }

    @Test func parsesHeadAndBody() throws {
        let request = try HTTP1Parser.parse(Array("POST /a?b=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi".utf8))
        #expect(request.method == .post && request.path == "/a" && request.body.bufferedBytes == Array("hi".utf8))
        #expect(request.headers[.host] == "x")
    }

    @Test func valuesFromTheFirstLongOneAndTheTargetAreSlicesOfOneTextAndReadAsTheBytesSent() throws {
        let longTarget = "/items/42?q=search+terms&page=2"
        let agent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0"
        let bytes = Array(
            "GET \(longTarget) HTTP/1.1\r\nHost: example.com\r\nUser-Agent:  \(agent) \r\nOrigin: https://app.example.com\r\nAccept: */*\r\nX-Empty:\r\nDNT: \t1 \r\n\r\n".utf8
        )
        let request = try HTTP1Parser.parse(bytes)
        #expect(request.target == longTarget)
        #expect(request.path == "/items/42")
        #expect(request.rawQuery == "q=search+terms&page=2")
        #expect(request.query["q"] == "search terms")
        #expect(request.headers["user-agent"] == agent, "surrounding whitespace is not part of the value")
        #expect(request.headers[slice: .origin] == "https://app.example.com")
        #expect(request.headers.single(.host) == "example.com")
        #expect(request.headers[.accept] == "*/*")
        // The long values and the target lie in one text: the request head's.
        let userAgent = try #require(request.headers[slice: "User-Agent"])
        let origin = try #require(request.headers[slice: .origin])
        #expect(userAgent.base == origin.base)
        #expect(request.targetSlice.base == origin.base)
        // So do the short values (no string is made for them until one is read), read as sent,
        // whitespace trimmed: with a long target, the text is made for every value, the first
        // one's too.
        #expect(request.headers["X-Empty"] == "" && request.headers["DNT"] == "1")
        #expect(request.headers[slice: .accept]?.base == origin.base)
        #expect(request.headers[slice: "DNT"]?.base == origin.base)
        #expect(request.headers[slice: .host]?.base == origin.base)
        // With a short target, a short value before the first long one is a string of its own
        // (a head of short pieces makes no text), and the values from the long one on share the
        // text, as does the first value (the first field holds the text for the others).
        let shortTarget = try HTTP1Parser.parse(
            Array("GET /a HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\nOrigin: https://app.example.com\r\nDNT: 1\r\n\r\n".utf8)
        )
        let shortTargetOrigin = try #require(shortTarget.headers[slice: .origin])
        #expect(shortTargetOrigin == "https://app.example.com" && shortTargetOrigin.base.hasPrefix("GET /a HTTP/1.1\r\n"))
        #expect(shortTarget.headers[slice: "DNT"].map { $0 == "1" && $0.base == shortTargetOrigin.base } == true)
        #expect(shortTarget.headers[slice: .host].map { $0 == "example.com" && $0.base == shortTargetOrigin.base } == true)
        #expect(shortTarget.headers[slice: .accept]?.base == "*/*")
        let shortPieces = try HTTP1Parser.parse(Array("GET /a HTTP/1.1\r\nHost: example.com\r\nDNT: 1\r\n\r\n".utf8))
        #expect(shortPieces.headers[slice: .host]?.base == "example.com" && shortPieces.headers[slice: "DNT"]?.base == "1")
        // A parsed field equals (and hashes as) the same field made from a string.
        let parsed = try #require(request.headers.first { $0.name == .origin })
        let made = HTTPHeaders.Field(name: "ORIGIN", value: "https://app.example.com")
        #expect(parsed == made)
        #expect(Set([parsed]).contains(made))
        #expect(parsed != HTTPHeaders.Field(name: .origin, value: "https://app.example.co"))
    }

    /// A parsed request's values lie in the head's text, which its headers hold once: every way
    /// of reading, changing, comparing or sending those headers sees the values as sent.
    @Test func headersWhoseValuesLieInTheHeadsTextReadChangeCompareAndSendAsSent() throws {
        let request = try HTTP1Parser.parse(
            Array(
                ("GET /a-target-longer-than-fifteen HTTP/1.1\r\nHost: example.com\r\nVary: Origin\r\n"
                    + "Connection: keep-alive, Close\r\nX-Long: a value longer than a small string\r\nVary: Accept\r\n\r\n").utf8
            )
        )
        var headers = request.headers
        let made: HTTPHeaders = [
            .host: "example.com", .vary: "Origin", .connection: "keep-alive, Close", "X-Long": "a value longer than a small string",
            .vary: "Accept",
        ]
        // Read: by position, by name, as slices, in order, as a description.
        #expect(headers == made && made == headers)
        #expect(headers.map(\.value) == made.map(\.value))
        #expect(headers[3] == HTTPHeaders.Field(name: "x-long", value: "a value longer than a small string"))
        #expect(headers[3].valueSlice == "a value longer than a small string" && headers[3].valueSlice.base.hasPrefix("GET "))
        #expect(headers.values(for: .vary) == ["Origin", "Accept"])
        #expect(headers.single(.host) == "example.com" && headers.singleSlice(.host) == "example.com" && headers.single(.vary) == nil)
        #expect(headers.listContains(.connection, token: "close"))
        #expect(headers.description == made.description)
        // A field taken out keeps its value wherever it goes.
        var other = HTTPHeaders()
        other.append(headers[3])
        other.append(.origin, "x")
        #expect(other["X-Long"] == "a value longer than a small string" && other[.origin] == "x")
        // Changed: replaced, removed, appended; the values left still read as sent.
        headers[.host] = "other.example"
        headers.remove(.vary)
        headers.append("X-New", "new")
        headers[slice: "X-Long"] = "replaced"
        #expect(headers.map(\.name.rawName) == ["Host", "Connection", "X-Long", "X-New"])
        #expect(headers.map(\.value) == ["other.example", "keep-alive, Close", "replaced", "new"])
        #expect(request.headers == made, "the request's own headers are unchanged")
        // The first field holds the head's text for the others: removing it, or replacing it
        // (as an absolute-form target's authority replaces `Host`), leaves them as sent.
        var withoutHost = request.headers
        withoutHost.remove(.host)
        #expect(withoutHost.map(\.value) == ["Origin", "keep-alive, Close", "a value longer than a small string", "Accept"])
        let absolute = try HTTP1Parser.parse(
            Array("GET http://proxy.example/a HTTP/1.1\r\nHost: example.com\r\nX-Long: a value longer than a small string\r\n\r\n".utf8)
        )
        #expect(absolute.headers.map(\.value) == ["proxy.example", "a value longer than a small string"])

        // Sent back in a response as they are (the values still in the first field's text):
        // every field is written as sent, and Connection still closes.
        var response = Response(status: .ok, body: [])
        response.headers = request.headers
        var output: [UInt8] = []
        let result = ResponseSerializer.writeHead(
            response, into: &output, date: [], requestVersion: .http1_1, isHeadRequest: false, keepAlive: true
        )
        #expect(
            String(decoding: output, as: UTF8.self)
                == "HTTP/1.1 200 OK\r\nHost: example.com\r\nVary: Origin\r\nX-Long: a value longer than a small string\r\nVary: Accept\r\n"
                + "Content-Length: 0\r\nConnection: close\r\n\r\n"
        )
        #expect(!result.keepAlive)
    }

    @Test func aHeadWithBytesBeyondASCIIKeepsEachValueAsDecodedBefore() throws {
        // obs-text: Latin-1 bytes that are not UTF-8 (repaired per value, as a String decodes them),
        // and UTF-8 text longer than a small string.
        let latin1: [UInt8] = Array("X-Name: caf".utf8) + [0xE9] + Array(" au lait, long enough".utf8)
        let bytes = Array("GET /a HTTP/1.1\r\nHost: h\r\n".utf8) + latin1
            + Array("\r\nX-Text: crème brûlée, long enough\r\nX-Short: é\r\nX-Ascii: ok\r\n\r\n".utf8)
        let request = try HTTP1Parser.parse(bytes)
        #expect(request.headers["X-Name"] == "caf\u{FFFD} au lait, long enough")
        #expect(request.headers["X-Text"] == "crème brûlée, long enough")
        #expect(request.headers["Host"] == "h")
        // Short values after a long one, in a head with no shared text: a string each.
        #expect(request.headers["X-Short"] == "é" && request.headers["X-Ascii"] == "ok")
        // With a long target every value, the first one's too, is located before the head is known
        // to be beyond ASCII; each still gets a string of its own (a fuzzer's finding: the first
        // field's was given first, and the others were handed its empty text).
        let longTarget = try HTTP1Parser.parse(
            Array("GET /a-target-longer-than-fifteen HTTP/1.1\r\nX-First: one\r\nX-Second: two\r\n".utf8) + latin1
                + Array("\r\nHost: h\r\n\r\n".utf8)
        )
        #expect(longTarget.headers.map(\.value) == ["one", "two", "caf\u{FFFD} au lait, long enough", "h"])
    }

    @Test func oneParserReusedParsesEachRequestAfreshAndLeavesKeptRequestsIntact() throws {
        var parser = HTTP1Parser()
        let first = try parser.parseRequest(
            Array("POST /orders/long-enough-target HTTP/1.1\r\nHost: a.example\r\nX-Trace: 0123456789abcdef0123\r\nContent-Length: 2\r\n\r\nhi".utf8)
        )
        let second = try parser.parseRequest(Array("GET / HTTP/1.1\r\nHost: b.example\r\n\r\n".utf8))
        #expect(second.method == .get && second.target == "/")
        #expect(second.headers.count == 1 && second.headers[.host] == "b.example", "nothing of the first request's head is left")
        #expect(second.body.bufferedBytes?.isEmpty ?? true)
        // The first request is still whole, and kept its own context.
        #expect(first.target == "/orders/long-enough-target")
        #expect(first.headers["X-Trace"] == "0123456789abcdef0123")
        #expect(first.body.bufferedBytes == Array("hi".utf8))
        #expect(first.context !== second.context)
        // A bad request after good ones is still rejected with its status.
        #expect(throws: HTTP1Parser.Failure.self) { try parser.parseRequest(Array("GET / HTTP/1.1\r\n\r\n".utf8)) }
    }

    @Test func methodsAreTheirTokensStandardOrNot() throws {
        for token in ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PURGE", "GETX", "get", "PO", "P", "OPTION", "DELETES", "PROPFIND"] {
            let request = try HTTP1Parser.parse(Array("\(token) / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
            #expect(request.method.rawValue == token)
            #expect(request.method == HTTPMethod(token))
        }
    }

    @Test func namesAndValuesOfEveryShortLengthAreWrittenByteForByte() {
        // The head buffer copies short pieces in overlapping words: every length up to and past
        // its 32-byte limit, each byte distinct, so a misplaced or missing byte shows.
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
        // An empty value first: a short value's words are stored whole, its length counted.
        var response = Response(status: .ok, headers: ["X-Empty": ""], body: [])
        var expected = "HTTP/1.1 200 OK\r\nX-Empty: \r\n"
        for length in 1...40 {
            let name = "X" + String(decoding: alphabet[0..<(length - 1)], as: UTF8.self)
            let value = String(decoding: alphabet.reversed()[0..<length], as: UTF8.self)
            response.headers.append(HTTPHeaders.Name(name), value)
            expected += "\(name): \(value)\r\n"
            // A value with a control byte is left out whole, between fields that are written.
            if length % 10 == 0 { response.headers.append("X-Bad", String(repeating: "v", count: length) + "\r\nInjected: yes") }
        }
        var output: [UInt8] = []
        _ = ResponseSerializer.writeHead(response, into: &output, date: [], requestVersion: .http1_1, isHeadRequest: false, keepAlive: true)
        #expect(String(decoding: output, as: UTF8.self) == expected + "Content-Length: 0\r\n\r\n")
    }

    /// The serializer checks a value as it copies it, word by word: at every length (the one-to-
    /// three-byte, four-byte, word and long paths) and every position, a byte that may not be sent
    /// leaves the field out, and a tab or obs-text byte is written.
    @Test func aValueIsCheckedAsItIsCopiedAtEveryLengthAndPosition() {
        for length in 1...40 {
            for position in 0..<length {
                for (byte, allowed) in [(UInt8(ascii: "\r"), false), (0x0A, false), (0x00, false), (0x7F, false), (0x1F, false),
                                        (0x09, true), (0x80, true), (UInt8(ascii: "~"), true)] {
                    var value = [UInt8](repeating: UInt8(ascii: "v"), count: length)
                    value[position] = byte
                    // A trailing or leading tab is still a valid byte to send (the parser trims it, the
                    // serializer does not).
                    let text = String(decoding: value, as: UTF8.self)
                    var response = Response(status: .ok, headers: ["X-Before": "1"], body: [])
                    response.headers.append("X-Value", text)
                    response.headers.append("X-After", "2")
                    var output: [UInt8] = []
                    _ = ResponseSerializer.writeHead(response, into: &output, date: [], requestVersion: .http1_1, isHeadRequest: false, keepAlive: true)
                    let written = String(decoding: output, as: UTF8.self)
                    let expected = "HTTP/1.1 200 OK\r\nX-Before: 1\r\n" + (allowed ? "X-Value: \(text)\r\n" : "")
                        + "X-After: 2\r\nContent-Length: 0\r\n\r\n"
                    if written != expected { Issue.record("byte \(byte) at \(position) of \(length): \(written.debugDescription)") }
                }
            }
        }
    }

    @Test func theStatusLineCarriesTheResponsesOwnCodeAndPhrase() {
        func statusLine(_ status: HTTPStatus) -> String {
            var output: [UInt8] = []
            _ = ResponseSerializer.writeHead(
                Response(status: status, body: []), into: &output, date: [], requestVersion: .http1_1, isHeadRequest: false, keepAlive: true
            )
            return String(String(decoding: output, as: UTF8.self).prefix { $0 != "\r\n" })
        }
        #expect(statusLine(.ok) == "HTTP/1.1 200 OK")
        #expect(statusLine(HTTPStatus(code: 200, reasonPhrase: "Fine")) == "HTTP/1.1 200 Fine")
        #expect(statusLine(HTTPStatus(code: 200, reasonPhrase: "")) == "HTTP/1.1 200 ")
        #expect(statusLine(HTTPStatus(code: 201, reasonPhrase: "OK")) == "HTTP/1.1 201 OK")
        #expect(statusLine(.notFound) == "HTTP/1.1 404 Not Found")
    }

    /// The serializer's framing keys, written out as constants, are the names' own keys.
    @Test func theSerializersFramingKeysAreTheNamesKeys() {
        #expect(ResponseSerializer.Keys.contentLength == HTTPHeaders.Name.contentLength.key)
        #expect(ResponseSerializer.Keys.transferEncoding == HTTPHeaders.Name.transferEncoding.key)
        #expect(ResponseSerializer.Keys.date == HTTPHeaders.Name.date.key)
        #expect(ResponseSerializer.Keys.connection == HTTPHeaders.Name.connection.key)
        #expect(ResponseSerializer.Keys.connection == HTTPHeaders.Name("CONNECTION").key)
    }

    @Test func aHeadJustOverTheUsualRoomIsWrittenAgainWhole() {
        // Heads from well under to well over the stack room a head is first written into, so the
        // first write stops in a name, a value, the date, the length line and the final CRLF.
        let date = Array("Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n".utf8)
        let room = ResponseSerializer.usualHeadCapacity
        for padding in (room - 140)...(room + 10) {
            var response = Response(status: .ok, headers: ["X-First": "1"], body: Array("hello".utf8))
            response.headers.append("X-Pad", String(repeating: "p", count: padding))
            response.headers.append("X-Last", "2")
            var output = Array("before".utf8)
            let result = ResponseSerializer.writeHead(
                response, into: &output, date: date, requestVersion: .http1_1, isHeadRequest: false, keepAlive: true
            )
            let expected = "beforeHTTP/1.1 200 OK\r\nX-First: 1\r\nX-Pad: " + String(repeating: "p", count: padding)
                + "\r\nX-Last: 2\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 5\r\n\r\n"
            if String(decoding: output, as: UTF8.self) != expected { Issue.record("padding \(padding): \(output.count) bytes") }
            #expect(result.keepAlive)
            guard case .fixed = result.plan else {
                Issue.record("padding \(padding): no fixed body")
                continue
            }
        }
    }

    @Test func aHeadOfAnySizeIsWrittenWholeAfterWhatIsBuffered() {
        var response = Response(status: HTTPStatus(code: 400, reasonPhrase: "Bad\r\nSplit: yes"), body: Array("x".utf8))
        for index in 0..<200 { response.headers.append(HTTPHeaders.Name("X-Field-\(index)"), String(repeating: "v", count: 100)) }
        response.headers.append("Content-Length", "99")
        var output = Array("previous".utf8)
        let result = ResponseSerializer.writeHead(
            response, into: &output, date: Array("Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n".utf8),
            requestVersion: .http1_0, isHeadRequest: false, keepAlive: true
        )
        let text = String(decoding: output, as: UTF8.self)
        #expect(text.hasPrefix("previousHTTP/1.1 400 Bad Request\r\nX-Field-0: " + String(repeating: "v", count: 100) + "\r\n"))
        #expect(text.hasSuffix("X-Field-199: " + String(repeating: "v", count: 100) + "\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 1\r\nConnection: keep-alive\r\n\r\n"))
        #expect(text.split(separator: "\r\n", omittingEmptySubsequences: false).count == 1 + 200 + 4 + 1)
        #expect(result.keepAlive)

        // A HEAD answer states the handler's own length; a 304 too; the largest status code fits.
        var head = Response(status: .ok, headers: ["Content-Length": "123456789012345678"], body: [])
        var headOutput: [UInt8] = []
        _ = ResponseSerializer.writeHead(head, into: &headOutput, date: [], requestVersion: .http1_1, isHeadRequest: true, keepAlive: false)
        #expect(String(decoding: headOutput, as: UTF8.self) == "HTTP/1.1 200 OK\r\nContent-Length: 123456789012345678\r\nConnection: close\r\n\r\n")
        head.status = HTTPStatus(code: Int.max, reasonPhrase: "")
        headOutput = []
        _ = ResponseSerializer.writeHead(head, into: &headOutput, date: [], requestVersion: .http1_1, isHeadRequest: false, keepAlive: true)
        #expect(String(decoding: headOutput, as: UTF8.self).hasPrefix("HTTP/1.1 \(Int.max) \r\n"))
    }

    @Test func reportsTheServersStatus() {
        #expect(throws: HTTP1Parser.Failure.self) { try HTTP1Parser.parse(Array("GET / HTTP/1.1\nHost: x\n\n".utf8)) }
        do {
            _ = try HTTP1Parser.parse(Array("GET / HTTP/2.0\r\nHost: x\r\n\r\n".utf8))
            Issue.record("accepted HTTP/2.0")
        } catch {
            #expect(error.status.code == 505)
        }
    }
}
