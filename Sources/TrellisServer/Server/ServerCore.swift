import Synchronization
import Trellis

/// What the event loops of one server share: configuration, the per-connection entry point,
/// the connection count and the stop bookkeeping.
final class ServerCore: Sendable {
    let configuration: ServerConfiguration
    /// Serves one connection until it closes (specialised for the server's pipeline).
    let serve: @Sendable (HTTP1Connection) async -> Void
    /// Hears about errors no client should see in detail (the pipeline's reporter).
    let reporter: ErrorReporter
    private let connectionCount = Atomic<Int>(0)
    private let state = Locked<State>(State())

    struct State {
        var runningLoops = 0
        var stopping = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    init(configuration: ServerConfiguration, reporter: ErrorReporter, serve: @escaping @Sendable (HTTP1Connection) async -> Void) {
        self.configuration = configuration
        self.reporter = reporter
        self.serve = serve
    }

    /// Counts a new connection if the limit allows it.
    func reserveConnection() -> Bool {
        let count = connectionCount.wrappingAdd(1, ordering: .relaxed).newValue
        if count > configuration.maxConnections {
            connectionCount.wrappingSubtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func releaseConnection() { releaseConnections(1) }

    /// Gives back `count` connections that closed.
    func releaseConnections(_ count: Int) { connectionCount.wrappingSubtract(count, ordering: .relaxed) }

    var hasRoom: Bool { connectionCount.load(ordering: .relaxed) < configuration.maxConnections }

    /// Connections open now (accepted and not yet closed).
    var openConnections: Int { connectionCount.load(ordering: .relaxed) }

    func loopsStarted(_ count: Int) { state.withLock { $0.runningLoops = count } }

    func loopFinished() {
        let (waiters, stopped): ([CheckedContinuation<Void, Never>], Bool) = state.withLock { state in
            state.runningLoops -= 1
            guard state.runningLoops == 0 else { return ([], false) }
            defer { state.waiters = [] }
            return (state.waiters, true)
        }
        if stopped { configuration.events.send(.stopped) }
        for waiter in waiters { waiter.resume() }
    }

    /// Reports `.stopping` the first time a shutdown is asked for.
    func noteStopping() {
        let first = state.withLock { state in
            defer { state.stopping = true }
            return !state.stopping
        }
        if first { configuration.events.send(.stopping) }
    }

    func waitUntilStopped() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if state.runningLoops == 0 { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }
}
