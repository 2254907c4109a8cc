import Glibc
import Testing
import Trellis
import TrellisServer

/// A connection's task runs on its event loop's thread, whatever its handler awaits: the loop's
/// state (socket, buffers, framer) is confined to that thread. `TaskRouting` brings the task back
/// after each suspension, from whichever thread resumes it.
@Suite struct TaskRoutingTests {
    actor Elsewhere {
        func value() -> Int { 1 }
    }

    @concurrent static func concurrentWork() async -> Int { 2 }

    /// A handler that sleeps (resumed by a timer off the loop), calls an actor (which runs on the
    /// global pool), calls an `@concurrent` function and waits for a task group's child finds
    /// itself back on the thread it started on after each, request after request, on both loops,
    /// with eight clients at once (so tasks of both loops are resumed from other threads together).
    @Test func aConnectionTaskComesBackToItsLoopAfterEverySuspension() async throws {
        let elsewhere = Elsewhere()
        let moves = Counter()
        let answered = Counter()
        let app = Pipeline(reporter: .discarding) {
            Router {
                Get("/hop") { _ -> String in
                    let loop = pthread_self()
                    func check() { if pthread_equal(loop, pthread_self()) == 0 { moves.add() } }
                    try await Task.sleep(for: .milliseconds(2))
                    check()
                    _ = await elsewhere.value()
                    check()
                    _ = await Self.concurrentWork()
                    check()
                    await withTaskGroup(of: Int.self) { group in
                        group.addTask { 3 }
                        for await _ in group {}
                    }
                    check()
                    answered.add()
                    return "back"
                }
            }
        }
        try await withServer(app, threads: 2) { server in
            let port = server.port
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await onOwnThread {
                            let client = try RawClient(port: port)
                            for _ in 0..<10 {
                                try client.send("GET /hop HTTP/1.1\r\nHost: t\r\n\r\n")
                                #expect(try client.readResponse().status == 200)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        #expect(answered.current == 80)
        #expect(moves.current == 0, "a handler resumed off its loop \(moves.current) times")
    }
}
