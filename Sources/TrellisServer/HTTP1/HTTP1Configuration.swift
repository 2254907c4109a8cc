/// The limits and timeouts one HTTP/1.1 connection applies, in the units it works in (bytes and
/// monotonic nanoseconds). The server layer makes it from `ServerConfiguration`.
struct HTTP1Configuration: Sendable {
    var framer: HTTP1Framer.Limits
    /// Most unread body bytes read and dropped after a response to keep the connection.
    var maxDiscardedBodyBytes: Int
    /// Most bytes read and dropped during a lingering close.
    var maxLingeringBytes: Int
    /// Response bytes buffered before pipelined requests wait for the client to read.
    var outputHighWatermark: Int
    /// The slowest average rate a body may arrive at after `bodyRateGrace` (0: no check).
    var minBodyBytesPerSecond: Int
    var bodyRateGrace: UInt64
    var headerTimeout: UInt64
    var bodyTimeout: UInt64
    var idleTimeout: UInt64
    var lingeringTimeout: UInt64
    var writeTimeout: UInt64
}
