import Foundation
import Glibc
import Testing
import Trellis
import TrellisServer

/// Connections waiting for their next request hold no task: the loop's few workers serve whichever
/// connection is ready (`ConnectionDispatcher`), so many keep-alive connections keep few tasks, and
/// parked connections still get their next request, their idle timeout and a prompt drain.
@Suite struct ConnectionDispatcherTests {
    /// 200 keep-alive connections each answered, then each sent a second request: between the
    /// two, no more than the idle workers the dispatcher keeps (4) are alive, and every parked
    /// connection is woken by its next request.
    @Test func idleKeepAliveConnectionsShareAFewWorkers() async throws {
        try await withServer(threads: 1) { server in
            let port = server.port
            let clients: [RawClient] = try await onOwnThread {
                var clients: [RawClient] = []
                for index in 0..<200 {
                    let client = try RawClient(port: port)
                    try client.send("GET /?n=\(index) HTTP/1.1\r\nHost: t\r\n\r\n")
                    clients.append(client)
                }
                for client in clients { _ = try client.readResponse() }
                return clients
            }
            #expect(server.connectionCount == 200)
            #expect(eventually(within: 5) { server.workerCount <= 4 }, "\(server.workerCount) workers for 200 idle connections")
            let statuses: [Int] = try await onOwnThread {
                for client in clients { try client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n") }
                return try clients.map { try $0.readResponse().status }
            }
            #expect(statuses == Array(repeating: 200, count: 200))
        }
    }

    /// Three keep-alive connections take turns, one request at a time: the idle worker waits on the
    /// connection it served last, is handed over to the next one, which parks the last, and every
    /// connection's next request is still answered, in turn and then all at once.
    @Test func anIdleWorkerIsHandedOverBetweenConnectionsTakingTurns() async throws {
        try await withServer(threads: 1) { server in
            let port = server.port
            let texts: [String] = try await onOwnThread {
                let clients = try (0..<3).map { _ in try RawClient(port: port) }
                var texts: [String] = []
                for round in 0..<10 {
                    for (index, client) in clients.enumerated() {
                        try client.send("GET /items/\(round * 3 + index) HTTP/1.1\r\nHost: t\r\n\r\n")
                        texts.append(try client.readResponse().text)
                    }
                }
                for client in clients { try client.send("GET /items/99 HTTP/1.1\r\nHost: t\r\n\r\n") }
                for client in clients { texts.append(try client.readResponse().text) }
                return texts
            }
            let expected = (0..<30).map { #"{"item_id":\#($0),"q":null}"# } + Array(repeating: #"{"item_id":99,"q":null}"#, count: 3)
            #expect(texts == expected)
            #expect(server.workerCount <= 4, "\(server.workerCount) workers for three connections")
        }
    }

    /// A handler that waits keeps its worker; the other connections are served meanwhile by
    /// another worker, and the waiting one finishes afterwards.
    @Test func aWaitingHandlerDoesNotHoldUpTheOtherConnections() async throws {
        let release = Counter()
        let app = Pipeline(reporter: .discarding) {
            Router {
                Get("/hold") { _ in
                    for _ in 0..<2_000 where release.current == 0 { try await Task.sleep(for: .milliseconds(5)) }
                    return "released"
                }
                Get("/quick") { _ in "quick" }
            }
        }
        try await withServer(app, threads: 1) { server in
            let port = server.port
            let held = try RawClient(port: port)
            try held.send("GET /hold HTTP/1.1\r\nHost: t\r\n\r\n")
            let answers: [String] = try await onOwnThread {
                var answers: [String] = []
                for _ in 0..<20 {
                    let client = try RawClient(port: port)
                    try client.send("GET /quick HTTP/1.1\r\nHost: t\r\n\r\n")
                    answers.append(try client.readResponse().text)
                }
                return answers
            }
            #expect(answers == Array(repeating: "quick", count: 20))
            #expect(!held.hasPendingInput())
            release.set(1)
            let released = try await onOwnThread { try held.readResponse().text }
            #expect(released == "released")
        }
    }

    /// Parked connections are closed at their idle timeout (without a task waiting for it), and a
    /// drain closes parked connections at once instead of after the drain timeout.
    @Test func parkedConnectionsTimeOutAndDrainPromptly() async throws {
        try await withServer(configure: { $0.timeouts.idle = .milliseconds(300) }) { server in
            let port = server.port
            let clients = try await answeredKeepAliveClients(port: port, count: 10)
            #expect(eventually(within: 5) { server.connectionCount == 0 }, "\(server.connectionCount) idle connections still open")
            #expect(clients.allSatisfy { $0.isClosedByServer() })
        }
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, threads: 1)
        configuration.timeouts.drain = .seconds(20)
        configuration.announces = false
        let server = try HTTPServer.start(makeServerTestApp(), configuration: configuration)
        let port = server.port
        let clients = try await answeredKeepAliveClients(port: port, count: 10)
        let started = Date()
        await server.shutdown()
        #expect(Date().timeIntervalSince(started) < 5, "a drain waited for parked connections")
        #expect(clients.allSatisfy { $0.isClosedByServer() })
    }

    /// `count` connections, each with one `GET /` answered and kept alive (so parked by the server).
    private func answeredKeepAliveClients(port: Int, count: Int) async throws -> [RawClient] {
        try await onOwnThread {
            try (0..<count).map { _ in
                let client = try RawClient(port: port)
                try client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
                _ = try client.readResponse()
                return client
            }
        }
    }
}
