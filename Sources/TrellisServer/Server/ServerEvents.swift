/// Something that happened to the server itself rather than to one request.
///
/// ```swift
/// configuration.events = ServerEvents { event in
///     if case .acceptFailed(let code) = event { print("accept failed: errno \(code)") }
/// }
/// ```
public enum ServerEvent: Sendable, Equatable, CustomStringConvertible {
    /// Listening on `host:port` with `loops` event loops.
    case started(host: String, port: Int, loops: Int)
    /// A graceful shutdown began: no new connections, in-flight requests finish.
    case stopping
    /// Every loop has finished.
    case stopped
    /// `accept(2)` failed with `errno` (out of descriptors, memory, …); accepting pauses briefly.
    case acceptFailed(errno: Int32)
    /// `maxConnections` connections are open: accepting waits until one closes.
    case connectionLimitReached(Int)

    /// One line: `started 127.0.0.1:8080 (2 loops)`, `accept failed (errno 24)`, ….
    public var description: String {
        switch self {
        case .started(let host, let port, let loops): "started \(host):\(port) (\(loops) loops)"
        case .stopping: "stopping"
        case .stopped: "stopped"
        case .acceptFailed(let code): "accept failed (errno \(code))"
        case .connectionLimitReached(let limit): "connection limit reached (\(limit))"
        }
    }
}

/// Where a server's `ServerEvent`s go.
///
/// ```swift
/// configuration.events = ServerEvents { event in logger.info("\(event)") }
/// ```
public struct ServerEvents: Sendable {
    let sink: @Sendable (ServerEvent) -> Void

    /// Events handed to `sink`, from whichever thread they happen on.
    public init(_ sink: @escaping @Sendable (ServerEvent) -> Void) { self.sink = sink }

    /// Drops every event (the default).
    public static let discarding = ServerEvents { _ in }

    func send(_ event: ServerEvent) { sink(event) }
}
