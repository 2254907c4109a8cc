import Foundation
import Testing
import TrellisServer

/// Malformed and hostile requests: the right status, a closed connection where the stream cannot be
/// trusted, and a server that keeps serving a fresh client.
@Suite struct BadInputTests {
    /// Sends `raw`, expects `status` and a close, then checks a new connection is served.
    func expectRejected(_ raw: String, status: Int, configure: (inout ServerConfiguration) -> Void = { _ in }) async throws {
        try await expectRejected(Array(raw.utf8), status: status, configure: configure)
    }

    func expectRejected(_ raw: [UInt8], status: Int, configure: (inout ServerConfiguration) -> Void = { _ in }) async throws {
        try await withServer(configure: configure) { server in
            let client = try RawClient(port: server.port)
            try client.send(raw)
            let response = try client.readResponse()
            #expect(response.status == status, "\(String(decoding: raw.prefix(80), as: UTF8.self).debugDescription)")
            #expect(response.header("Connection") == "close")
            #expect(client.isClosedByServer())
            let fresh = try RawClient(port: server.port)
            try fresh.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try fresh.readResponse().status == 200)
        }
    }

    @Test(arguments: [
        "GET /\r\n\r\n",                                      // no version
        "GET  / HTTP/1.1\r\nHost: t\r\n\r\n",                 // two spaces
        "GET / HTTP/1.1 \r\nHost: t\r\n\r\n",                 // trailing space
        "G(T / HTTP/1.1\r\nHost: t\r\n\r\n",                  // invalid method char
        "GET / HTTP/1.x\r\nHost: t\r\n\r\n",                  // malformed version
        "GET / http/1.1\r\nHost: t\r\n\r\n",                  // version is case-sensitive
        "GET / HTTP/1.1\r\nHost t\r\n\r\n",                   // header without colon
        "GET / HTTP/1.1\r\nHost : t\r\n\r\n",                 // whitespace before colon
        "GET / HTTP/1.1\r\nHost: t\r\nX-A: 1\r\n  folded\r\n\r\n",  // obs-fold
        "GET / HTTP/1.1\r\nHost: t\rX: y\r\n\r\n",            // bare CR
        "GET / HTTP/1.1\nHost: t\n\n",                        // bare LF
        "GET / HTTP/1.1\r\nHost: t\r\nX-A: a\u{0}b\r\n\r\n",  // NUL
        "GET / HTTP/1.1\r\nHost: t\r\nX-A: a\u{7}b\r\n\r\n",  // control character in value
        "GET / HTTP/1.1\r\n\r\n",                             // missing Host
        "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",       // two Hosts
        "GET / HTTP/1.1\r\nHost: a b\r\n\r\n",                // invalid Host
        "GET /a\u{7}b HTTP/1.1\r\nHost: t\r\n\r\n",           // control character in target
        "GET a/b HTTP/1.1\r\nHost: t\r\n\r\n",                // not origin-form
        "GET * HTTP/1.1\r\nHost: t\r\n\r\n",                  // asterisk-form for GET
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: +5\r\n\r\nhello",
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3, 3\r\n\r\nabc",
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 99999999999999999999999\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n",
        "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5;=x\r\nhello\r\n0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nbad trailer\r\n\r\n",
    ])
    func malformedRequestIs400AndClosed(_ raw: String) async throws {
        try await expectRejected(raw, status: 400)
    }

    /// A chunk-size line (size and extensions) over 1,024 bytes is refused however it arrives:
    /// whole, or in pieces the server sees before the line ends. One of 1,024 bytes is accepted.
    @Test func aChunkSizeLineOverItsLimitIs400WholeOrInPieces() async throws {
        let head = "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
        func line(_ length: Int) -> String { "5;e=" + String(repeating: "x", count: length - 4) }
        try await expectRejected(head + line(1025) + "\r\nhello\r\n0\r\n\r\n", status: 400)
        try await withServer { server in
            let client = try RawClient(port: server.port)
            try client.send(head)
            let bytes = Array(line(1100).utf8)
            for start in stride(from: 0, to: bytes.count, by: 100) {
                try client.send(Array(bytes[start..<min(start + 100, bytes.count)]))
                usleep(2000)
            }
            try client.send("\r\nhello\r\n0\r\n\r\n")
            #expect(try client.readResponse().status == 400)
        }
        try await withServer { server in
            let client = try RawClient(port: server.port)
            try client.send(head + line(1024) + "\r\nhello\r\n0\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200 && response.text == "hello")
        }
    }

    @Test func rawHighBytesInTargetAre400() async throws {
        try await expectRejected(Array("GET /caf".utf8) + [0xC3, 0xA9] + Array(" HTTP/1.1\r\nHost: t\r\n\r\n".utf8), status: 400)
    }

    @Test func unknownTransferCodingIs501() async throws {
        try await expectRejected("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: foo, chunked\r\n\r\n0\r\n\r\n", status: 501)
        try await expectRejected("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", status: 501)
    }

    @Test func unsupportedVersionIs505() async throws {
        try await expectRejected("GET / HTTP/2.0\r\nHost: t\r\n\r\n", status: 505)
        try await expectRejected("GET / HTTP/0.9\r\nHost: t\r\n\r\n", status: 505)
    }

    @Test func longTargetIs414() async throws {
        try await expectRejected("GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: t\r\n\r\n", status: 414)
    }

    @Test func largeHeadIs431() async throws {
        try await expectRejected("GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + String(repeating: "b", count: 20000) + "\r\n\r\n", status: 431)
    }

    @Test func tooManyHeadersIs431() async throws {
        let fields = (0..<150).map { "X-\($0): v\r\n" }.joined()
        try await expectRejected("GET / HTTP/1.1\r\nHost: t\r\n" + fields + "\r\n", status: 431)
    }

    @Test func bodyOverTheLimitIs413BeforeReadingIt() async throws {
        try await expectRejected(
            "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2000\r\n\r\n",  // no body sent: refused on the head alone
            status: 413,
            configure: { $0.limits.maxBodyBytes = 1000 }
        )
        try await expectRejected(
            "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n" + String(repeating: "z", count: 1024) + "\r\n",
            status: 413,
            configure: { $0.limits.maxBodyBytes = 1000 }
        )
    }

    @Test func connectIsNotImplemented() async throws {
        try await expectRejected("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", status: 501)
    }

    @Test func slowlorisGets408AndDoesNotDelayOthers() async throws {
        try await withServer(configure: { $0.timeouts.header = .milliseconds(1500) }) { server in
            let slow = try RawClient(port: server.port)
            try slow.send("GET / HTTP/1.1\r\nHost: t\r\nX-Slow: ")
            let other = try RawClient(port: server.port)
            try other.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try other.readResponse().status == 200)
            // Ordering, not a clock: the other client was answered while the slow one still waited.
            #expect(!slow.hasPendingInput(), "the second client was answered only after the slow one timed out")
            let response = try slow.readResponse()
            #expect(response.status == 408)
            #expect(slow.isClosedByServer())
        }
    }

    @Test func idleKeepAliveConnectionIsClosed() async throws {
        try await withServer(configure: { $0.timeouts.idle = .milliseconds(300) }) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try client.readResponse().status == 200)
            #expect(client.isClosedByServer(), "closed after the idle timeout, without a response")
        }
    }

    @Test func clientResetMidRequestAndMidResponseLeavesServerHealthy() async throws {
        try await withServer { server in
            for _ in 0..<20 {
                let partial = try RawClient(port: server.port)
                try partial.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nabc")
                partial.reset()
                let reader = try RawClient(port: server.port)
                try reader.send("GET /big?n=4000000 HTTP/1.1\r\nHost: t\r\n\r\n")
                reader.reset()
            }
            let client = try RawClient(port: server.port)
            try client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try client.readResponse().status == 200)
        }
    }

    @Test func clientThatNeverReadsIsDisconnectedWithoutStallingOthers() async throws {
        try await withServer(configure: { $0.timeouts.write = .milliseconds(500) }) { server in
            let hog = try RawClient(port: server.port)
            let request = "GET /big?n=1000000 HTTP/1.1\r\nHost: t\r\n\r\n"
            try hog.send(String(repeating: request, count: 20))  // 20 MB of responses it will never read
            let other = try RawClient(port: server.port)
            try other.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try other.readResponse().status == 200)
            try await Task.sleep(for: .milliseconds(1200))
            // The server gave up on the hog: its socket is closed (reading drains what was sent, then EOF or reset).
            var closed = false
            for _ in 0..<2000 {
                do { _ = try hog.readResponse() } catch is RawClient.Closed { closed = true; break } catch { break }
            }
            #expect(closed)
        }
    }

    @Test func slowButSteadyReaderIsNotCutOff() async throws {
        try await withServer(configure: { $0.timeouts.write = .milliseconds(300) }) { server in
            let client = try RawClient(port: server.port, timeout: 10)
            // 20 MB is more than the loopback socket buffers hold, so the server has to wait for the
            // reader. Reading 1 MiB every 30 ms makes the transfer outlast the 300 ms write timeout
            // while no single wait comes near it.
            let total = 20_000_000
            try client.send("GET /big?n=\(total) HTTP/1.1\r\nHost: t\r\n\r\n")
            var received = 0
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            let start = ContinuousClock.now
            while received < total, ContinuousClock.now - start < .seconds(15) {
                let count = chunk.withUnsafeMutableBytes { recv(client.fd, $0.baseAddress, 1 << 20, 0) }
                if count <= 0 { break }
                received += count
                usleep(30_000)
            }
            #expect(received > total, "got \(received) of \(total) body bytes (plus the head)")
            #expect(ContinuousClock.now - start > .milliseconds(300), "the transfer outlasted one write timeout")
        }
    }

    @Test func maxConnectionsAppliesBackPressure() async throws {
        try await withServer(configure: { $0.maxConnections = 2 }) { server in
            let first = try RawClient(port: server.port)
            let second = try RawClient(port: server.port)
            try first.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            try second.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try first.readResponse().status == 200)
            #expect(try second.readResponse().status == 200)
            let third = try RawClient(port: server.port, timeout: 0.5)  // queued in the backlog, not accepted
            try third.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(throws: RawClient.Timeout.self) { try third.readResponse() }
            try first.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            _ = try first.readResponse()
            let thirdAgain = try RawClient(port: server.port, timeout: 3)
            try thirdAgain.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            _ = thirdAgain
            #expect(try third.readResponseEventually().status == 200, "accepted once a slot freed up")
        }
    }
}

extension RawClient {
    /// Retries reading through read timeouts for up to ~3 s.
    func readResponseEventually() throws -> RawResponse {
        for _ in 0..<6 {
            do { return try readResponse() } catch is Timeout { continue }
        }
        throw Timeout()
    }
}
