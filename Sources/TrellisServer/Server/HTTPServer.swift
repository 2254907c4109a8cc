import CTrellisSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import Trellis

/// An HTTP/1.1 server on POSIX sockets and epoll that drives one pipeline.
///
/// Each event-loop thread owns an epoll instance and a `SO_REUSEPORT` listener; every connection is
/// one task on its loop's executor, so an `await` in a handler suspends only that connection. The
/// pipeline is reached through one specialised function: no existential, no per-request task.
///
/// ```swift
/// let server = try HTTPServer.start(app, configuration: ServerConfiguration(host: "127.0.0.1", port: 8080))
/// print("listening on port \(server.port)")
/// server.stopOnSignals()          // SIGINT/SIGTERM → graceful shutdown
/// await server.waitUntilStopped()
/// ```
public final class HTTPServer: Sendable {
    /// The configuration the server runs with.
    public let configuration: ServerConfiguration
    /// The bound port (the ephemeral one when the configuration asked for port 0).
    public let port: Int
    let core: ServerCore
    private let loops: [EventLoop]

    /// Binds and starts serving `responder` (usually a `Pipeline`).
    ///
    /// ```swift
    /// let server = try HTTPServer.start(Pipeline { Router { Get("/") { _ in "hi" } } },
    ///                                   configuration: ServerConfiguration(port: 0))
    /// ```
    @inlinable public static func start<R: Responder>(
        _ responder: R,
        configuration: ServerConfiguration = ServerConfiguration()
    ) throws(ServerError) -> HTTPServer where R.Input == Request, R.Output == Response {
        // A `Pipeline` behind `some Responder` keeps its own reporter.
        try serving(responder, reporter: reporter(of: responder), configuration: configuration)
    }

    /// Binds and starts serving `pipeline`; its `ErrorReporter` hears about failed cleanups and
    /// background tasks too.
    ///
    /// ```swift
    /// let server = try HTTPServer.start(app, configuration: ServerConfiguration(port: 8080))
    /// ```
    @inlinable public static func start<Content: Responder>(
        _ pipeline: Pipeline<Content>,
        configuration: ServerConfiguration = ServerConfiguration()
    ) throws(ServerError) -> HTTPServer {
        try serving(pipeline, reporter: pipeline.reporter, configuration: configuration)
    }

    /// Starts serving `responder` with `reporter`: the one start-up path of both `start`s.
    @inlinable static func serving<R: Responder>(
        _ responder: R,
        reporter: ErrorReporter,
        configuration: ServerConfiguration
    ) throws(ServerError) -> HTTPServer where R.Input == Request, R.Output == Response {
        let problems = PipelineDescription.problems(of: responder)
        guard problems.isEmpty else {
            throw .invalidConfiguration("the pipeline cannot be served:\n  " + problems.joined(separator: "\n  "))
        }
        let observer = configuration.observer
        let server = try HTTPServer(configuration: configuration, reporter: reporter) { connection in
            await serveConnections(startingWith: connection, with: responder, reporter: reporter, observer: observer)
        }
        if configuration.announces { server.announce(responder) }
        return server
    }

    /// Prints the address, then what `responder` is made of (middleware, routes, warnings), one
    /// line per write on standard output.
    @usableFromInline func announce<R: Responder>(_ responder: R) {
        var description = PipelineDescription()
        responder.describe(into: &description)
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        let loops = configuration.threads == 1 ? "1 event loop" : "\(configuration.threads) event loops"
        StartupOutput.writeLines(["Trellis listening on http://\(host):\(port) (\(loops))"] + description.description.split(separator: "\n").map(String.init))
    }

    /// The reporter of a `Pipeline` handed over as `some Responder`, else standard error.
    @usableFromInline static func reporter(of responder: some Sendable) -> ErrorReporter {
        (responder as? any PipelineResponder)?.reporter ?? .standardError
    }

    @usableFromInline init(
        configuration: ServerConfiguration,
        reporter: ErrorReporter,
        serve: @escaping @Sendable (HTTP1Connection) async -> Void
    ) throws(ServerError) {
        try configuration.validate()
        ctrellis_ignore_sigpipe()
        keepLargeAllocationsMapped()
        raiseDescriptorLimit(toServe: configuration.maxConnections)
        self.configuration = configuration
        core = ServerCore(configuration: configuration, reporter: reporter, serve: serve)
        let reusePort = configuration.reusePort
        let first = try ListeningSocket.bind(
            host: configuration.host, port: configuration.port, backlog: configuration.backlog, reusePort: reusePort
        )
        port = first.port
        // One listener for every loop (each watches it with EPOLLEXCLUSIVE), or with `reusePort`
        // one per loop on the same port (the kernel spreads connections).
        var listeners =
            reusePort
            ? [SharedListener(first, users: 1)]
            : Array(repeating: SharedListener(first, users: configuration.threads), count: configuration.threads)
        var loops: [EventLoop] = []
        do {
            while listeners.count < configuration.threads {
                let socket = try ListeningSocket.bind(
                    host: configuration.host, port: first.port, backlog: configuration.backlog, reusePort: true
                )
                listeners.append(SharedListener(socket, users: 1))
            }
            for listener in listeners { loops.append(try EventLoop(core: core, listener: listener)) }
        } catch {
            for loop in loops { loop.discard() }
            for listener in listeners.dropFirst(loops.count) { listener.release() }
            throw error
        }
        self.loops = loops
        core.loopsStarted(loops.count)
        for loop in loops { PlatformThread.detach { loop.run() } }
        configuration.events.send(.started(host: configuration.host, port: port, loops: loops.count))
    }

    /// Stops gracefully: stops accepting, closes idle keep-alive connections, lets in-flight
    /// requests finish (up to the drain timeout), then returns.
    ///
    /// ```swift
    /// await server.shutdown()
    /// ```
    public func shutdown() async {
        beginShutdown()
        await core.waitUntilStopped()
    }

    /// Starts a graceful shutdown without waiting for it (safe from any thread or signal handler queue).
    ///
    /// ```swift
    /// server.beginShutdown()
    /// await server.waitUntilStopped()
    /// ```
    public func beginShutdown() {
        core.noteStopping()
        for loop in loops { loop.requestStop() }
    }

    /// Connections open now, on every loop (for tests and, later, metrics).
    package var connectionCount: Int { core.openConnections }

    /// The worker tasks alive on every loop (`ConnectionDispatcher`): what the tests compare with
    /// the connections open.
    package var workerCount: Int { loops.reduce(0) { $0 + $1.workerCount } }

    /// Waits until the server has stopped (after `shutdown()` or a signal).
    public func waitUntilStopped() async { await core.waitUntilStopped() }

    /// Makes `SIGINT` and `SIGTERM` start a graceful shutdown.
    ///
    /// ```swift
    /// server.stopOnSignals()
    /// await server.waitUntilStopped() // returns once drained; exit 0
    /// ```
    public func stopOnSignals() {
        SignalRelay.onTermination { [weak self] in self?.beginShutdown() }
    }
}
