import CTrellisLinux
import Glibc
import Synchronization
import Trellis

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
        try HTTPServer(configuration: configuration) { connection in
            await serveConnection(connection, with: responder)
        }
    }

    @usableFromInline init(
        configuration: ServerConfiguration,
        serve: @escaping @Sendable (Connection) async -> Void
    ) throws(ServerError) {
        ctrellis_ignore_sigpipe()
        Self.raiseDescriptorLimit(toServe: configuration.maxConnections)
        self.configuration = configuration
        core = ServerCore(configuration: configuration, serve: serve)
        let first = try ListeningSocket.bind(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
        port = first.port
        var listeners = [first]
        do {
            for _ in 1..<configuration.threads {
                listeners.append(try ListeningSocket.bind(host: configuration.host, port: first.port, backlog: configuration.backlog))
            }
            var loops: [EventLoop] = []
            for listener in listeners { loops.append(try EventLoop(core: core, listener: listener)) }
            self.loops = loops
        } catch {
            for listener in listeners { close(listener.fd) }
            throw error
        }
        core.loopsStarted(loops.count)
        for loop in loops { Self.spawnThread(running: loop) }
    }

    /// Raises the soft open-file limit (often 1024) towards the hard limit, so `maxConnections`
    /// rather than the descriptor limit decides how many clients are served.
    private static func raiseDescriptorLimit(toServe connections: Int) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        let wanted = rlim_t(connections + 256)
        guard limit.rlim_cur < wanted else { return }
        limit.rlim_cur = min(wanted, limit.rlim_max)
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    private static func spawnThread(running loop: EventLoop) {
        var thread = pthread_t()
        let context = Unmanaged.passRetained(loop).toOpaque()
        pthread_create(&thread, nil, { context in
            guard let context else { return nil }
            let loop = Unmanaged<EventLoop>.fromOpaque(context).takeRetainedValue()
            loop.run()
            return nil
        }, context)
        pthread_detach(thread)
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
        for loop in loops { loop.requestStop() }
    }

    /// Waits until the server has stopped (after `shutdown()` or a signal).
    public func waitUntilStopped() async { await core.waitUntilStopped() }

    /// Makes `SIGINT` and `SIGTERM` start a graceful shutdown.
    ///
    /// ```swift
    /// server.stopOnSignals()
    /// await server.waitUntilStopped() // returns once drained; exit 0
    /// ```
    public func stopOnSignals() {
        SignalRelay.register(self)
    }
}

/// Turns SIGINT/SIGTERM into graceful shutdowns. The signal handler only writes one byte to a pipe
/// (async-signal-safe); a dedicated thread reads it and calls `beginShutdown()` on every registered
/// server. (A Dispatch signal source does not fire on Linux once the signal is ignored.)
enum SignalRelay {
    private static let state = Mutex<(installed: Bool, servers: [HTTPServer])>((false, []))

    static func register(_ server: HTTPServer) {
        let install = state.withLock { state -> Bool in
            state.servers.append(server)
            defer { state.installed = true }
            return !state.installed
        }
        guard install else { return }
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }
        signalPipeWriteEnd = fds[1]
        let readEnd = fds[0]
        var thread = pthread_t()
        let context = UnsafeMutableRawPointer(bitPattern: Int(readEnd) + 1)
        pthread_create(&thread, nil, { context in
            let readEnd = Int32(Int(bitPattern: context) - 1)
            var byte: UInt8 = 0
            while read(readEnd, &byte, 1) == 1 {
                for server in SignalRelay.state.withLock({ $0.servers }) { server.beginShutdown() }
            }
            return nil
        }, context)
        pthread_detach(thread)
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber) { _ in
                var byte: UInt8 = 1
                _ = write(signalPipeWriteEnd, &byte, 1)
            }
        }
    }
}

/// The pipe the signal handler writes to; set once before the handler is installed.
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

/// Serves one connection: parse → pipeline → serialise, until the connection closes. Specialised in
/// the caller's module for the concrete pipeline type.
@inlinable func serveConnection<R: Responder>(_ connection: Connection, with responder: R) async
where R.Input == Request, R.Output == Response {
    while let request = await connection.nextRequest() {
        let response: Response
        do {
            response = try await responder.respond(to: request)
        } catch {
            response = Response(error: error)
        }
        await connection.send(response)
    }
    await connection.flush()
    connection.close()
}
