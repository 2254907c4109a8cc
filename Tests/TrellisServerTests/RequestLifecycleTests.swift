import Foundation
import Testing
import Trellis
import TrellisServer

/// Records what happened, in order, across the server's and the client's threads.
final class EventLog: Sendable {
    private let events = Locked<[String]>([])
    func record(_ event: String) { events.withLock { $0.append(event) } }
    var all: [String] { events.withLock { $0 } }

    /// Waits (bounded) until `event` has been recorded.
    func wait(for event: String, seconds: Double = 5) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if all.contains(event) { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return false
    }
}

/// A flag one side sets and the other awaits (bounded).
final class Gate: Sendable {
    private let isOpen = Locked(false)
    func open() { isOpen.withLock { $0 = true } }
    func wait(seconds: Double = 5) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if isOpen.withLock({ $0 }) { return true }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return false
    }
}

struct Resource: Sendable {
    let name: String
}

/// Records its after-`next` code.
struct Recording: PassThroughMiddleware {
    let name: String
    let log: EventLog
    func handle<Next: Responder>(_ input: Next.Input, next: Next) async throws -> Response
    where Next.Input: RequestInput, Next.Output == Response {
        let response = try await next(input)
        log.record("\(name) after next")
        return response
    }
}

@Suite(.serialized) struct RequestLifecycleOverSocketTests {
    /// The cleanup waits for the client to have read the response: were it run before the
    /// response is written, the client would never get it and the test would time out.
    func makeApp(log: EventLog, clientHasResponse: Gate, slowTask: Gate? = nil) -> some Responder<Request, Response> {
        Pipeline(reporter: .discarding) {
            Recording(name: "outer", log: log)
            Provide { _ in Resource(name: "db") } release: { resource, outcome in
                let sawClient = await clientHasResponse.wait()
                log.record("cleanup \(resource.name) \(outcome.status.code) complete=\(outcome.isComplete) afterClient=\(sawClient)")
            }
            Recording(name: "inner", log: log)
            Router.taking(With<Resource, Request>.self) {
                Get("/order") { input in
                    log.record("handler \(input.value.name)")
                    input.request.background.add { log.record("background") }
                    return "ordered"
                }
                Get("/slow-task") { input in
                    input.request.background.add {
                        _ = await slowTask?.wait(seconds: 10)
                        log.record("slow task done")
                    }
                    return "queued"
                }
                Get("/whoami") { input in "\(input.request.clientAddress?.host ?? "-") \(input.request.route ?? "-")" }
                Get("/endless") { _ in
                    Response(body: .stream { writer in
                        for _ in 0..<2_000 {
                            try await writer.write(String(repeating: "x", count: 1024))
                            try await Task.sleep(for: .milliseconds(2))
                        }
                    })
                }
                Get("/slow") { _ in
                    try await Task.sleep(for: .milliseconds(300))
                    return "slow"
                }
            }
        }
    }

    @Test func orderIsHandlerThenMiddlewareThenClientThenCleanupThenBackground() async throws {
        let log = EventLog()
        let gate = Gate()
        try await withServer(makeApp(log: log, clientHasResponse: gate)) { server in
            let response = try await onOwnThread {
                let client = try RawClient(port: server.port)
                try client.send("GET /order HTTP/1.1\r\nHost: a\r\n\r\n")
                let response = try client.readResponse()
                log.record("client read \(response.status)")
                gate.open()
                return response.text
            }
            #expect(response == "ordered")
            #expect(await log.wait(for: "background"))
            #expect(
                log.all == [
                    "handler db", "inner after next", "outer after next", "client read 200",
                    "cleanup db 200 complete=true afterClient=true", "background",
                ]
            )
        }
    }

    @Test func backgroundTaskStillRunsWhenTheClientClosesRightAfterReading() async throws {
        let log = EventLog()
        let gate = Gate()
        try await withServer(makeApp(log: log, clientHasResponse: gate)) { server in
            try await onOwnThread {
                let client = try RawClient(port: server.port)
                try client.send("GET /order HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                _ = try client.readResponse()
                gate.open()
                client.reset()
            }
            #expect(await log.wait(for: "background"))
            #expect(log.all.last == "background")
            #expect(log.all.contains("cleanup db 200 complete=true afterClient=true"))
        }
    }

    @Test func theNextRequestDoesNotWaitForASlowBackgroundTask() async throws {
        let log = EventLog()
        let gate = Gate()
        gate.open()
        let slow = Gate()
        try await withServer(makeApp(log: log, clientHasResponse: gate, slowTask: slow)) { server in
            let second = try await onOwnThread {
                let client = try RawClient(port: server.port, timeout: 3)
                try client.send("GET /slow-task HTTP/1.1\r\nHost: a\r\n\r\n")
                _ = try client.readResponse()
                try client.send("GET /order HTTP/1.1\r\nHost: a\r\n\r\n")
                return try client.readResponse().text
            }
            #expect(second == "ordered", "answered while the first request's task is still running")
            #expect(!log.all.contains("slow task done"))
            slow.open()
            #expect(await log.wait(for: "slow task done"))
        }
    }

    @Test func drainWaitsForRunningBackgroundTasks() async throws {
        let log = EventLog()
        let gate = Gate()
        gate.open()
        let slow = Gate()
        let server = try HTTPServer.start(
            makeApp(log: log, clientHasResponse: gate, slowTask: slow),
            configuration: ServerConfiguration(host: "127.0.0.1", port: 0, threads: 1)
        )
        _ = try await onOwnThread {
            let client = try RawClient(port: server.port)
            try client.send("GET /slow-task HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
            return try client.readResponse().status
        }
        let stopped = EventLog()
        let shutdown = Task {
            await server.shutdown()
            stopped.record("stopped")
        }
        try await Task.sleep(for: .milliseconds(200))
        #expect(stopped.all.isEmpty, "the drain waits for the task")
        slow.open()
        await shutdown.value
        #expect(log.all.contains("slow task done"))
    }

    @Test func cleanupRunsWithAnIncompleteOutcomeWhenTheClientLeavesMidResponse() async throws {
        let log = EventLog()
        let gate = Gate()
        gate.open()
        try await withServer(makeApp(log: log, clientHasResponse: gate)) { server in
            try await onOwnThread {
                let client = try RawClient(port: server.port)
                try client.send("GET /endless HTTP/1.1\r\nHost: a\r\n\r\n")
                var received = 0
                while received < 4096 {
                    var chunk = [UInt8](repeating: 0, count: 4096)
                    let count = recv(client.fd, &chunk, chunk.count, 0)
                    guard count > 0 else { break }
                    received += count
                }
                client.reset()
            }
            #expect(await log.wait(for: "cleanup db 200 complete=false afterClient=true", seconds: 10), "\(log.all)")
        }
    }

    @Test func anInFlightRequestFinishesAndIsCleanedUpDuringTheDrain() async throws {
        let log = EventLog()
        let gate = Gate()
        gate.open()
        let server = try HTTPServer.start(
            makeApp(log: log, clientHasResponse: gate),
            configuration: ServerConfiguration(host: "127.0.0.1", port: 0, threads: 1)
        )
        let port = server.port
        let reply = Task {
            try await onOwnThread {
                let client = try RawClient(port: port)
                try client.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")
                return try client.readResponse().text
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        await server.shutdown()
        log.record("stopped")
        #expect(try await reply.value == "slow")
        #expect(log.all.suffix(2) == ["cleanup db 200 complete=true afterClient=true", "stopped"])
    }

    @Test func clientAddressAndMatchedRoute() async throws {
        let log = EventLog()
        let gate = Gate()
        gate.open()
        try await withServer(makeApp(log: log, clientHasResponse: gate)) { server in
            let text = try await onOwnThread {
                let client = try RawClient(port: server.port)
                try client.send("GET /whoami HTTP/1.1\r\nHost: a\r\n\r\n")
                return try client.readResponse().text
            }
            #expect(text == "127.0.0.1 /whoami")
        }
    }
}
