import Foundation
import Testing
import TrellisServer

/// Request bodies over real loopback sockets: streamed in bounded chunks, `100 Continue` only when
/// the handler reads, unread bodies discarded or the connection closed, limits, lingering close.
@Suite struct RequestBodyTests {
    /// A body of `count` bytes (built before a head is sent: the server's clocks start at the head).
    func body(_ count: Int) -> [UInt8] { [UInt8](repeating: UInt8(ascii: "b"), count: count) }

    @Test func largeBodyIsStreamedInBoundedChunks() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            let size = 3 * 1024 * 1024 + 17
            let payload = body(size)
            try client.send("POST /count HTTP/1.1\r\nHost: t\r\nContent-Length: \(size)\r\n\r\n")
            try client.send(payload)
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.text.hasPrefix("\(size) bytes, largest chunk "))
            let largest = Int(response.text.split(separator: " ").last ?? "") ?? .max
            #expect(largest <= 64 * 1024, "chunks are at most 64 KiB, got \(largest)")
            // Keep-alive framing is intact.
            try client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try client.readResponse().text == "Hello, World!")
        }
    }

    @Test func chunkedBodyInManySmallWrites() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n")
            var expected: [UInt8] = []
            for index in 0..<40 {
                let piece = Array("piece \(index);".utf8)
                expected += piece
                try client.send(String(piece.count, radix: 16) + "\r\n")
                try client.send(piece + [13, 10])
                usleep(1000)
            }
            try client.send("0\r\nX-Trailer: ok\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.body == expected)
            try client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try client.readResponse().status == 200)
        }
    }

    @Test func continueIsSentOnlyWhenTheHandlerReads() async throws {
        try await withServer { server in
            let reader = try RawClient(port: server.port)
            try reader.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let interim = try reader.readResponse()
            #expect(interim.statusLine == "HTTP/1.1 100 Continue")
            try reader.send("hello")
            #expect(try reader.readResponse().text == "hello")

            // A handler that rejects without reading: no 100, and the client never has to upload.
            let rejected = try RawClient(port: server.port)
            try rejected.send("POST /reject HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000\r\nExpect: 100-continue\r\n\r\n")
            let response = try rejected.readResponse()
            #expect(response.status == 401)
            #expect(response.header("Connection") == "close")
            #expect(rejected.isClosedByServer())
        }
    }

    @Test func smallUnreadBodyIsDiscardedAndTheConnectionKept() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /reject HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 401)
            #expect(response.header("Connection") == nil)
            try client.send(body(100_000))
            try client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            let next = try client.readResponse()
            #expect(next.status == 200)
            #expect(next.text == "Hello, World!")
        }
    }

    @Test func largeUnreadBodyClosesAfterTheResponseWhichTheClientReads() async throws {
        try await withServer { server in
            // Lingering close: the client uploads all 8 MiB, then still reads the 401.
            let client = try RawClient(port: server.port, timeout: 10)
            let size = 8 * 1024 * 1024
            let payload = body(size)
            try client.send("POST /reject HTTP/1.1\r\nHost: t\r\nContent-Length: \(size)\r\n\r\n")
            try client.send(payload)
            let response = try client.readResponse()
            #expect(response.status == 401)
            #expect(response.header("Connection") == "close")
            #expect(client.isClosedByServer())
        }
    }

    @Test func earlyRejectionOfALargeBodyIsReadByAClientThatKeepsSending() async throws {
        try await withServer(configure: { $0.limits.maxBodyBytes = 1024 * 1024 }) { server in
            let client = try RawClient(port: server.port, timeout: 10)
            let size = 6 * 1024 * 1024
            let payload = body(size)
            try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: \(size)\r\n\r\n")
            // Without a lingering close the server's close with unread bytes resets the connection and
            // this send fails or the response below is lost.
            try client.send(payload)
            let response = try client.readResponse()
            #expect(response.status == 413)
            #expect(response.header("Connection") == "close")
        }
    }

    @Test func chunkedBodyOverTheCeilingIs413() async throws {
        try await withServer(configure: { $0.limits.maxBodyBytes = 1000 }) { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /count HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n")
            for _ in 0..<3 { try client.send("200\r\n" + String(repeating: "x", count: 512) + "\r\n") }
            let response = try client.readResponse()
            #expect(response.status == 413)
            #expect(response.header("Connection") == "close")
        }
    }

    @Test func middlewareLimitRefusesBeforeReading() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            // No body byte is ever sent: the announced length alone is refused, and no 100 is sent.
            try client.send("POST /limited HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 413)
            let small = try RawClient(port: server.port)
            try small.send("POST /limited HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n0123456789")
            #expect(try small.readResponse().text == "10")
        }
    }

    @Test func stalledBodyGets408() async throws {
        try await withServer(configure: { $0.timeouts.body = .milliseconds(300) }) { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /count HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly a few")
            let response = try client.readResponse()
            #expect(response.status == 408)
            #expect(client.isClosedByServer())
        }
    }

    @Test func pipelinedRequestAfterAStreamedBodyIsServed() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            let payload = String(repeating: "y", count: 200_000)
            try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: \(payload.utf8.count)\r\n\r\n\(payload)GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try client.readResponse().body.count == 200_000)
            #expect(try client.readResponse().text == "Hello, World!")
        }
    }
}
