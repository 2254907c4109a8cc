import Foundation
import Testing
import Trellis
import TrellisServer

/// RFC 9112 behaviour over real loopback sockets. Each test ends by checking that a fresh request
/// still succeeds.
@Suite struct ConformanceTests {
    func assertServes(_ port: Int, host: String = "127.0.0.1") throws {
        let client = try RawClient(port: port, host: host)
        try client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "Hello, World!")
    }

    @Test func getAnswersWithDateLengthAndKeepsAlive() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            let first = try client.readResponse()
            #expect(first.statusLine == "HTTP/1.1 200 OK")
            #expect(first.header("Content-Length") == "13")
            #expect(first.header("Connection") == nil)
            let date = try #require(first.header("Date"))
            #expect(date.wholeMatch(of: /[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT/) != nil, "\(date)")
            try client.send("GET /items/7?q=a%20b HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try client.readResponse().text == #"{"item_id":7,"q":"a b"}"#)
            try assertServes(server.port)
        }
    }

    @Test func http10ClosesByDefault() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET / HTTP/1.0\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.header("Connection") == "close")
            #expect(client.isClosedByServer())
            try assertServes(server.port)
        }
    }

    @Test func http10KeepsAliveWhenAsked() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.header("Connection") == "keep-alive")
            try client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try client.readResponse().status == 200)
        }
    }

    @Test func connectionCloseIsHonoured() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.header("Connection") == "close")
            #expect(client.isClosedByServer())
            try assertServes(server.port)
        }
    }

    @Test func pipelinedRequestsAnswerInOrder() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            try client.send(
                "GET /items/1 HTTP/1.1\r\nHost: t\r\n\r\nGET /slow?ms=50 HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nthree"
            )
            #expect(try client.readResponse().text == #"{"item_id":1,"q":null}"#)
            #expect(try client.readResponse().text == "slept")
            #expect(try client.readResponse().text == "three")
            try assertServes(server.port)
        }
    }

    @Test func expectContinueGetsInterimResponse() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
            let interim = try client.readResponse()
            #expect(interim.statusLine == "HTTP/1.1 100 Continue")
            try client.send("body")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "body")
            try assertServes(server.port)
        }
    }

    @Test func unknownExpectationIs417() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: teapot\r\n\r\nbody")
            #expect(try client.readResponse().status == 417)
            try assertServes(server.port)
        }
    }

    @Test func headHasHeadersButNoBody() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("HEAD / HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try client.readResponse(head: true)
            #expect(response.status == 200)
            #expect(response.header("Content-Length") == "13")
            #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
            // If a body had been sent, this next response would be garbled.
            try client.send("GET /items/3 HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try client.readResponse().text == #"{"item_id":3,"q":null}"#)
        }
    }

    @Test func textBodiesAreSentAsTheirUTF8SmallOrLarge() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            for count in [3, 20_000] {
                try client.send("GET /big-text?n=\(count) HTTP/1.1\r\nHost: t\r\n\r\n")
                let response = try client.readResponse()
                #expect(response.header("Content-Length") == String(2 * count))
                #expect(response.text == String(repeating: "é", count: count))
                try client.send("HEAD /big-text?n=\(count) HTTP/1.1\r\nHost: t\r\n\r\n")
                let head = try client.readResponse(head: true)
                #expect(head.header("Content-Length") == String(2 * count))
            }
            // Pipelined behind a large text body, the next response is intact.
            try client.send("GET /big-text?n=20000 HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try client.readResponse().body.count == 40_000)
            #expect(try client.readResponse().text == "Hello, World!")
        }
    }

    @Test func responsesAMiddlewareKeepsKeepTheirHeadersWhileTheServerReusesStorage() async throws {
        let kept = Locked<[Response]>([])
        let app = Pipeline {
            Intercept { request, next in
                let response = try await next(request)
                kept.withLock { $0.append(response) }
                return response
            }
            Router { Get("/n/{n}") { request in Response(headers: ["X-N": try request.parameters.require("n")], body: Array("ok".utf8)) } }
        }
        try await withServer(app) { server in
            let client = try RawClient(port: server.port)
            for index in 0..<20 {
                try client.send("GET /n/\(index) HTTP/1.1\r\nHost: t\r\n\r\n")
                #expect(try client.readResponse().header("X-N") == String(index))
            }
        }
        let responses = kept.withLock { $0 }
        #expect(responses.map { $0.headers["X-N"] } == (0..<20).map { String($0) })
    }

    @Test func chunkedRequestWithExtensionsAndTrailers() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            try client.send(
                "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
                    + "5;name=value;q=\"quoted ; \\\" str\"\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: yes\r\n\r\n"
            )
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "hello world")
            try assertServes(server.port)
        }
    }

    @Test func streamedResponseIsChunked() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /stream HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.header("Transfer-Encoding") == "chunked")
            #expect(response.header("Content-Length") == nil)
            #expect(response.text == "one two three")
            try client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try client.readResponse().status == 200)
        }
    }

    @Test func streamedResponseToHTTP10IsCloseDelimited() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /stream HTTP/1.0\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.header("Transfer-Encoding") == nil)
            #expect(response.text == "one two three")
        }
    }

    @Test func absoluteFormAndPercentEncodedPaths() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET http://t/items/9?q=z HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try client.readResponse().text == #"{"item_id":9,"q":"z"}"#)
            try client.send("GET /path/caf%C3%A9%20au%20lait HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try client.readResponse().text == "café au lait")
        }
    }

    @Test func throwingHandlerIs500AndConnectionStaysUsable() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /throw HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 500)
            #expect(response.text == "Internal Server Error")
            try client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try client.readResponse().status == 200)
        }
    }

    @Test func responseHeaderValuesCannotSplitTheResponse() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /split HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.text == "ok")
            #expect(response.header("Injected") == nil)
            #expect(response.header("X-Bad") == nil)
        }
    }

    @Test func corsHeadersOverTheWire() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET / HTTP/1.1\r\nHost: t\r\nOrigin: https://example.com\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.header("Access-Control-Allow-Origin") == "https://example.com")
            #expect(response.header("Access-Control-Expose-Headers") == "X-Process-Time")
            #expect(response.header("X-Process-Time") != nil)
        }
    }

    @Test func largeEchoOfOneMebibyte() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port, timeout: 10)
            let body = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: \(body.count)\r\n\r\n")
            try client.send(body)
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.body == body)
            try assertServes(server.port)
        }
    }

    @Test func requestSentOneByteAtATime() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            try client.sendSlowly("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc")
            #expect(try client.readResponse().text == "abc")
            try client.sendSlowly("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nxyz\r\n0\r\n\r\n")
            #expect(try client.readResponse().text == "xyz")
        }
    }

    @Test func servesOverIPv6Loopback() async throws {
        try await withServer(host: "::1") { server in
            try assertServes(server.port, host: "::1")
        }
    }

    @Test func portZeroBindsAnEphemeralPort() async throws {
        try await withServer { server in
            #expect(server.port > 0 && server.port != 8080)
            try assertServes(server.port)
        }
    }

    @Test func leadingEmptyLineIsIgnored() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try client.readResponse().status == 200)
        }
    }
}
