import Glibc

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
        /// Largest request body: 413 beyond it (checked against Content-Length before reading). Default 8 MiB.
        public var maxBodyBytes = 8 * 1024 * 1024
        /// Response bytes buffered per connection before the server stops handling pipelined requests
        /// and waits for the client to read. Default 256 KiB.
        public var outputHighWatermark = 256 * 1024
        /// Default limits.
        public init() {}
    }

    /// Timeouts. A connection that exceeds one is closed (with 408 where a request had started).
    public struct Timeouts: Sendable {
        /// Time to receive a whole request head once its first byte arrived (slowloris): 408 and close. Default 10 s.
        public var header: Duration = .seconds(10)
        /// Time to wait for the next read of a body: 408 and close. Default 30 s.
        public var body: Duration = .seconds(30)
        /// Time a keep-alive connection may sit idle between requests: closed silently. Default 60 s.
        public var idle: Duration = .seconds(60)
        /// Time to wait between two successful writes to a client that is not reading: closed. A slow
        /// but steady reader is never cut off. Default 30 s.
        public var write: Duration = .seconds(30)
        /// Time a graceful shutdown waits for in-flight requests before closing everything. Default 10 s.
        public var drain: Duration = .seconds(10)
        /// Default timeouts.
        public init() {}
    }

    /// The address to bind: an IPv4 or IPv6 literal (`127.0.0.1`, `::1`, `0.0.0.0`, `::`) or `localhost`.
    public var host: String
    /// The port; 0 binds an ephemeral port (read it from `HTTPServer.port`).
    public var port: Int
    /// Event-loop threads, each with its own epoll instance and `SO_REUSEPORT` listener. Default: the number of cores.
    public var threads: Int
    /// Most simultaneous connections; beyond it the server stops accepting until one closes. Default 10,000.
    public var maxConnections = 10_000
    /// The listen backlog. Default 1024.
    public var backlog: Int32 = 1024
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
        self.threads = max(1, threads ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}

extension Duration {
    /// The duration in nanoseconds, saturating.
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }
}

/// Monotonic time in nanoseconds.
func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}
