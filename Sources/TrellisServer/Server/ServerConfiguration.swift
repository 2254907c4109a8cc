#if canImport(Glibc)
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#elseif canImport(Darwin)
import Darwin
#endif
public import Trellis

/// Where a server listens, how many event loops it runs, and the limits and timeouts that protect it.
/// Every value has a safe default.
///
/// ```swift
/// var configuration = ServerConfiguration(host: "::1", port: 0, threads: 2)
/// configuration.limits.maxBodyBytes = 1 << 20
/// configuration.timeouts.header = .seconds(5)
/// ```
public struct ServerConfiguration: Sendable {
    /// Size limits on requests. Going over one gets the status named, then the connection closes.
    public struct Limits: Sendable {
        /// Longest request line (method, target, version): 414 beyond it. Default 8 KiB + 64.
        public var maxRequestLineLength = 8192 + 64
        /// Longest request-target: 414 beyond it. Default 8 KiB.
        public var maxTargetLength = 8192
        /// Largest request head (request line and all header lines): 431 beyond it. Default 16 KiB.
        public var maxHeaderBytes = 16 * 1024
        /// Most header fields: 431 beyond it. Default 100.
        public var maxHeaderCount = 100
        /// Largest request body: 413 beyond it (checked against Content-Length before reading, and as a
        /// chunked body arrives). A ceiling: a middleware can lower it for its part of the pipeline
        /// with `request.body.limit(to:)`. Default 8 MiB.
        public var maxBodyBytes = 8 * 1024 * 1024
        /// Most bytes of a request body the handler did not read that the server reads and drops after
        /// the response to keep the connection open; a larger remainder closes the connection (after the
        /// response says `Connection: close` when the remainder is known). Default 1 MiB.
        public var maxDiscardedBodyBytes = 1024 * 1024
        /// Most bytes read and dropped while closing after an error response with request bytes still
        /// arriving (a lingering close), so the client can read the response. Default 64 MiB.
        public var maxLingeringBytes = 64 * 1024 * 1024
        /// Response bytes buffered per connection before the server stops handling pipelined requests
        /// and waits for the client to read. Default 256 KiB.
        public var outputHighWatermark = 256 * 1024
        /// The slowest a request body may arrive once `Timeouts.bodyRateGrace` has passed, on average
        /// since its first byte was awaited: slower gets `408` and the connection closes, so a body
        /// dripped a byte at a time cannot hold a connection for ever (the body timeout alone only
        /// bounds the gap between two reads). `0` turns the check off. Default 240 bytes per second,
        /// Kestrel's `MinRequestBodyDataRate`.
        public var minBodyBytesPerSecond = 240
        /// Default limits.
        public init() {}
    }

    /// Timeouts. A connection that exceeds one is closed (with 408 where a request had started).
    public struct Timeouts: Sendable {
        /// Time to receive a whole request head once its first byte arrived (slowloris): 408 and close. Default 10 s.
        public var header: Duration = .seconds(10)
        /// Time to wait for the next read of a body: 408 and close. Default 30 s.
        public var body: Duration = .seconds(30)
        /// Time a request body may take before `Limits.minBodyBytesPerSecond` applies. Default 5 s.
        public var bodyRateGrace: Duration = .seconds(5)
        /// Time a keep-alive connection may sit idle between requests: closed silently. Default 60 s.
        public var idle: Duration = .seconds(60)
        /// Time to wait between two successful writes to a client that is not reading: closed. A slow
        /// but steady reader is never cut off. Default 30 s.
        public var write: Duration = .seconds(30)
        /// Time a graceful shutdown waits for in-flight requests before closing everything. Default 10 s.
        public var drain: Duration = .seconds(10)
        /// Time a lingering close (after an error response, with request bytes still arriving) keeps
        /// reading before it closes. Default 5 s.
        public var lingering: Duration = .seconds(5)
        /// Default timeouts.
        public init() {}
    }

    /// The address to bind: an IPv4 or IPv6 literal (`127.0.0.1`, `::1`, `0.0.0.0`, `::`) or `localhost`.
    public var host: String
    /// The port; 0 binds an ephemeral port (read it from `HTTPServer.port`).
    public var port: Int
    /// Event-loop threads, each with its own epoll instance (at least 1). Default: the number of cores.
    public var threads: Int
    /// Whether the port is bound with `SO_REUSEPORT`: each loop then has a listener of its own on
    /// the port and the kernel spreads connections among them, and another process of the same
    /// user may bind the port too — what a rolling restart wants (start the new server, then stop
    /// the old one). Default `false`: one listener the loops share (each wakes for a connection in
    /// turn, `EPOLLEXCLUSIVE`), and a second server on a port in use fails to start with
    /// `EADDRINUSE` instead of silently splitting the traffic.
    ///
    /// ```swift
    /// var configuration = ServerConfiguration(port: 8080)
    /// configuration.reusePort = true   // rolling restarts
    /// ```
    public var reusePort = false
    /// Most simultaneous connections; beyond it the server stops accepting until one closes. Default 10,000.
    public var maxConnections = 10_000
    /// The listen backlog. Default 1024.
    public var backlog: Int32 = 1024
    /// Whether `HTTPServer.start` prints, on standard output, the address it serves, then the
    /// pipeline's middleware order, route table and warnings — each line written as it is made, so
    /// it shows at once when standard output is a file or a pipe. Default `true`.
    ///
    /// ```swift
    /// configuration.announces = false   // print nothing at start
    /// ```
    public var announces = true
    /// The readiness API the event loops wait on. Default `.automatic`: epoll, unless the
    /// environment variable `TRELLIS_EVENT_BACKEND` is `poll` (how CI runs the whole server suite
    /// on the portable backend).
    ///
    /// ```swift
    /// configuration.eventBackend = .poll
    /// ```
    public var eventBackend = EventBackend.automatic
    /// Hears about every request's start and end (method, matched route, status, duration, bytes,
    /// request id, client address): the hook for logging, metrics and tracing. Default `nil`: no
    /// work at all per request.
    ///
    /// ```swift
    /// configuration.observer = RequestMetrics()   // a RequestObserver
    /// ```
    public var observer: (any RequestObserver)?
    /// Hears about the server's own events: started, stopping, stopped, accept failures, the
    /// connection limit reached. Default: nothing.
    ///
    /// ```swift
    /// configuration.events = ServerEvents { event in print("server:", event) }
    /// ```
    public var events = ServerEvents.discarding
    /// Request size limits.
    public var limits = Limits()
    /// Timeouts.
    public var timeouts = Timeouts()

    /// A configuration for `host:port` with `threads` event loops.
    ///
    /// ```swift
    /// let configuration = ServerConfiguration(host: "127.0.0.1", port: 8080)
    /// ```
    public init(host: String = "127.0.0.1", port: Int = 8080, threads: Int? = nil) {
        self.host = host
        self.port = port
        self.threads = threads ?? max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// Checks every value; `HTTPServer.start` calls it and throws what it finds.
    ///
    /// ```swift
    /// try ServerConfiguration(port: 70000).validate() // throws ServerError.invalidConfiguration
    /// ```
    public func validate() throws(ServerError) {
        func require(_ condition: Bool, _ reason: @autoclosure () -> String) throws(ServerError) {
            if !condition { throw .invalidConfiguration(reason()) }
        }
        try require(threads >= 1, "threads must be at least 1, got \(threads)")
        try require(threads <= 1024, "threads must be at most 1024, got \(threads)")
        try require((0...65535).contains(port), "port must be in 0...65535, got \(port)")
        guard SocketAddress.make(host: host, port: 0) != nil else { throw .invalidAddress(host) }
        try require(maxConnections >= 1, "maxConnections must be at least 1, got \(maxConnections)")
        try require(backlog >= 1, "backlog must be at least 1, got \(backlog)")
        let sizes: [(String, Int)] = [
            ("limits.maxRequestLineLength", limits.maxRequestLineLength), ("limits.maxTargetLength", limits.maxTargetLength),
            ("limits.maxHeaderBytes", limits.maxHeaderBytes), ("limits.maxHeaderCount", limits.maxHeaderCount),
            ("limits.maxBodyBytes", limits.maxBodyBytes), ("limits.outputHighWatermark", limits.outputHighWatermark),
        ]
        for (name, value) in sizes { try require(value > 0, "\(name) must be greater than 0, got \(value)") }
        try require(limits.maxDiscardedBodyBytes >= 0, "limits.maxDiscardedBodyBytes must not be negative")
        try require(limits.maxLingeringBytes >= 0, "limits.maxLingeringBytes must not be negative")
        let durations: [(String, Duration)] = [
            ("timeouts.header", timeouts.header), ("timeouts.body", timeouts.body), ("timeouts.idle", timeouts.idle),
            ("timeouts.write", timeouts.write),
        ]
        for (name, value) in durations { try require(value > .zero, "\(name) must be greater than zero, got \(value)") }
        try require(timeouts.drain >= .zero, "timeouts.drain must not be negative")
        try require(timeouts.lingering >= .zero, "timeouts.lingering must not be negative")
    }
}

extension Duration {
    /// The duration in nanoseconds, saturating.
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        guard seconds < 1 << 33 else { return UInt64.max / 2 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }
}


extension HTTP1Configuration {
    /// What each connection applies of the server's configuration.
    init(_ configuration: ServerConfiguration) {
        self.init(
            framer: HTTP1Framer.Limits(configuration.limits),
            maxDiscardedBodyBytes: configuration.limits.maxDiscardedBodyBytes,
            maxLingeringBytes: configuration.limits.maxLingeringBytes,
            outputHighWatermark: configuration.limits.outputHighWatermark,
            minBodyBytesPerSecond: configuration.limits.minBodyBytesPerSecond,
            bodyRateGrace: configuration.timeouts.bodyRateGrace.nanoseconds,
            headerTimeout: configuration.timeouts.header.nanoseconds,
            bodyTimeout: configuration.timeouts.body.nanoseconds,
            idleTimeout: configuration.timeouts.idle.nanoseconds,
            lingeringTimeout: configuration.timeouts.lingering.nanoseconds,
            writeTimeout: configuration.timeouts.write.nanoseconds
        )
    }
}

extension HTTP1Framer.Limits {
    /// The framer's share of the server's limits.
    init(_ limits: ServerConfiguration.Limits) {
        self.init(
            maxRequestLineLength: limits.maxRequestLineLength,
            maxTargetLength: limits.maxTargetLength,
            maxHeadLength: limits.maxHeaderBytes,
            maxHeaderCount: limits.maxHeaderCount,
            maxBodyLength: limits.maxBodyBytes
        )
    }
}

/// The readiness API an event loop waits on.
///
/// ```swift
/// var configuration = ServerConfiguration(port: 8080)
/// configuration.eventBackend = .poll
/// ```
public enum EventBackend: String, Sendable {
    /// The platform's native backend (epoll on Linux, kqueue on Darwin), or what the environment's
    /// `TRELLIS_EVENT_BACKEND` names (`epoll`, `kqueue`, `poll`).
    case automatic
    /// Linux's epoll, edge-triggered: one wake-up per new readiness, cost independent of the
    /// number of idle connections. Linux only.
    case epoll
    /// Darwin's kqueue, edge-triggered (`EV_CLEAR`), the same contract as epoll. Darwin only.
    case kqueue
    /// POSIX `poll(2)`: portable; each wait costs in proportion to the connections waiting.
    case poll

    /// The native backend of the platform this was compiled for.
    static var native: EventBackend {
        #if canImport(Darwin)
        .kqueue
        #else
        .epoll
        #endif
    }

    /// The backend `.automatic` stands for here.
    var resolved: EventBackend {
        guard self == .automatic else { return self }
        if let name = getenv("TRELLIS_EVENT_BACKEND"), let named = EventBackend(rawValue: String(cString: name)), named != .automatic {
            return named
        }
        return .native
    }
}
