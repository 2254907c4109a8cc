import Glibc
import Synchronization
import Testing
import Trellis
import TrellisServer

/// A connection's own code runs on its event loop's thread, whatever its handler awaits: the loop's
/// state (socket, buffers, framer) is confined to that thread. `TaskRouting` brings the task back
/// after each suspension that enqueues it, from whichever thread resumes it; after a return from
/// an actor that ran elsewhere (which enqueues nothing), the connection comes back itself before it
/// touches its state.
@Suite struct TaskRoutingTests {
    @concurrent static func concurrentWork() async -> Int { 2 }

    /// Eight clients at once, each on a thread of its own with one connection, each making ten
    /// `exchange`s (given its number and its client) one after the other: tasks of both loops are
    /// resumed from other threads together.
    static func tenRequestsFromEachOfEightClients(
        port: Int,
        _ exchange: @escaping @Sendable (_ clientNumber: Int, RawClient) throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for clientNumber in 0..<8 {
                group.addTask {
                    try await onOwnThread {
                        let client = try RawClient(port: port)
                        for _ in 0..<10 { try exchange(clientNumber, client) }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// A handler that sleeps (resumed by a timer off the loop), calls an `@concurrent` function and
    /// waits for a task group's child finds itself back on the thread it started on after each,
    /// request after request, on both loops, with eight clients at once (so tasks of both loops
    /// are resumed from other threads together). (A return from a busy actor is the one way a
    /// handler can go on elsewhere: the next test.)
    @Test func aConnectionTaskComesBackToItsLoopAfterEverySuspension() async throws {
        let moves = Counter()
        let answered = Counter()
        let app = Pipeline(reporter: .discarding) {
            Router {
                Get("/hop") { _ -> String in
                    let loop = pthread_self()
                    func check() { if pthread_equal(loop, pthread_self()) == 0 { moves.add() } }
                    try await Task.sleep(for: .milliseconds(2))
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
            try await Self.tenRequestsFromEachOfEightClients(port: server.port) { _, client in
                try client.send("GET /hop HTTP/1.1\r\nHost: t\r\n\r\n")
                #expect(try client.readResponse().status == 200)
            }
        }
        #expect(answered.current == 80)
        #expect(moves.current == 0, "a handler resumed off its loop \(moves.current) times")
    }

    /// An actor that another task keeps busy on a thread of the global pool when a handler calls
    /// it: the handler's task waits in the actor's queue, the pool thread runs it next, and the
    /// task returns to nonisolated code on that thread (the runtime keeps the thread; nothing is
    /// enqueued that `TaskRouting` could route).
    actor Ledger {
        private var entries = 0
        /// How many times `occupy` has taken the actor.
        nonisolated let occupations = Atomic<Int>(0)

        /// Holds the actor on the caller's thread for 2 ms.
        func occupy() {
            occupations.add(1, ordering: .sequentiallyConsistent)
            usleep(2_000)
        }

        func record() { entries += 1 }

        /// Records once another task has taken the actor (waiting at most 20 ms for it).
        nonisolated func recordWhileBusy() async {
            let before = occupations.load(ordering: .sequentiallyConsistent)
            let holder = Task.detached { await self.occupy() }
            for _ in 0..<100 where occupations.load(ordering: .sequentiallyConsistent) == before {
                try? await Task.sleep(for: .microseconds(200))
            }
            await record()
            await holder.value
        }
    }

    /// Hears each finished request (for the observed serving loop).
    struct FinishCounter: RequestObserver {
        let finished: Counter
        func requestFinished(_ record: RequestRecord) {
            if record.isComplete { finished.add() }
        }
    }

    /// A handler, a stream's producer and a cleanup that each return from an actor on another
    /// thread: the connection comes back to its loop before it writes the response, after the
    /// producer and before the next request, so every request of a connection starts on the same
    /// loop thread and the producer starts there too; with a `RequestObserver` too (its serving
    /// loop reads the connection's byte counts after the cleanups). (In a debug build the
    /// connection's confinement assertions would stop the process otherwise.)
    @Test(arguments: [false, true])
    func aConnectionComesBackToItsLoopAfterItsPipelineLeftIt(observed: Bool) async throws {
        let observedComplete = Counter()
        let ledger = Ledger()
        let loops = Locked<[String: pthread_t]>([:])
        let changedLoop = Counter()
        let left = Counter()
        let producerOffLoop = Counter()
        let answered = Counter()
        let app = Pipeline(reporter: .discarding) {
            Router {
                Get("/away") { request -> Response in
                    let start = pthread_self()
                    let client = request.headers["X-Client"] ?? ""
                    loops.withLock { loops in
                        if let loop = loops[client] {
                            if pthread_equal(loop, start) == 0 { changedLoop.add() }
                        } else {
                            loops[client] = start
                        }
                    }
                    request.addCleanup { _ in await ledger.recordWhileBusy() }
                    await ledger.recordWhileBusy()
                    if pthread_equal(start, pthread_self()) == 0 { left.add() }
                    answered.add()
                    return Response(status: .ok, body: .stream { writer in
                        if pthread_equal(start, pthread_self()) == 0 { producerOffLoop.add() }
                        await ledger.recordWhileBusy()
                        try await writer.write("back")
                    })
                }
            }
        }
        try await withServer(app, threads: 2, configure: { if observed { $0.observer = FinishCounter(finished: observedComplete) } }) { server in
            try await Self.tenRequestsFromEachOfEightClients(port: server.port) { clientNumber, client in
                try client.send("GET /away HTTP/1.1\r\nHost: t\r\nX-Client: \(clientNumber)\r\n\r\n")
                let response = try client.readResponse()
                #expect(response.status == 200)
                #expect(String(decoding: response.body, as: UTF8.self) == "back")
            }
        }
        #expect(answered.current == 80)
        // What makes this test able to fail: the handlers did leave their loops.
        #expect(left.current > 0, "no handler left its loop: the test no longer exercises the way back")
        #expect(changedLoop.current == 0, "\(changedLoop.current) requests started off their connection's loop")
        #expect(producerOffLoop.current == 0, "\(producerOffLoop.current) producers started off their loop")
        if observed { #expect(observedComplete.current == 80) }
    }
}
