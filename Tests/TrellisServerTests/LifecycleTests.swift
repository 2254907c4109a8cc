import Foundation
import Testing
import Trellis
import TrellisServer

@Suite struct LifecycleTests {
    @Test func gracefulShutdownLetsInFlightRequestFinish() async throws {
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, threads: 1)
        configuration.timeouts.drain = .seconds(5)
        let server = try HTTPServer.start(makeServerTestApp(), configuration: configuration)
        let busy = try RawClient(port: server.port)
        let idle = try RawClient(port: server.port)
        try idle.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try idle.readResponse().status == 200)
        try busy.send("GET /slow?ms=1500 HTTP/1.1\r\nHost: t\r\n\r\n")
        usleep(200_000)  // blocking on purpose: this thread must not wait for the cooperative pool
        server.beginShutdown()
        let response = try busy.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "slept")
        #expect(response.header("Connection") == "close")
        #expect(idle.isClosedByServer(), "idle keep-alive connections are closed")
        await server.waitUntilStopped()
        #expect(throws: (any Error).self) { _ = try RawClient(port: server.port) }
    }

    @Test func drainTimeoutBoundsShutdown() async throws {
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, threads: 1)
        configuration.timeouts.drain = .milliseconds(300)
        let server = try HTTPServer.start(makeServerTestApp(), configuration: configuration)
        let busy = try RawClient(port: server.port)
        try busy.send("GET /slow?ms=5000 HTTP/1.1\r\nHost: t\r\n\r\n")
        usleep(100_000)
        await server.shutdown()
        // Shutdown did not wait for the 5 s handler: its client was closed without an answer.
        #expect((try? busy.readResponse()) == nil, "the drain waited for the slow handler")
    }

    @Test func sigtermStartsAGracefulShutdown() async throws {
        let server = try HTTPServer.start(makeServerTestApp(), configuration: ServerConfiguration(host: "127.0.0.1", port: 0, threads: 1))
        server.stopOnSignals()
        let client = try RawClient(port: server.port)
        try client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try client.readResponse().status == 200)
        kill(getpid(), SIGTERM)  // only servers that called stopOnSignals() react
        var closed = false
        for _ in 0..<50 {  // at most 5 s
            if (try? RawClient(port: server.port)) == nil {
                closed = true
                break
            }
            usleep(100_000)
        }
        #expect(closed, "the listener closed after SIGTERM")
        #expect(client.isClosedByServer(), "the idle keep-alive connection was closed")
        if closed { await server.waitUntilStopped() }
    }

    @Test func twoEventLoopsServe() async throws {
        try await withServer(threads: 2) { server in
            for _ in 0..<20 {
                let client = try RawClient(port: server.port)
                try client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
                #expect(try client.readResponse().status == 200)
            }
        }
    }
}
