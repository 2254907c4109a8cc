import Trellis
/// What a read from a transport found.
enum ReadOutcome {
    /// New bytes are in the input buffer.
    case data
    /// The peer closed its side.
    case endOfStream
    /// The deadline passed first.
    case timedOut
    /// The connection failed or was closed locally.
    case failed
    /// The server is shutting down and the connection was idle.
    case shutdown
}

/// Moves bytes between one connection and its peer: owns the input and output buffers, readiness
/// and deadlines. The HTTP/1 layer (`HTTP1Connection`) frames messages on top of it and never
/// touches a socket. `SocketTransport` implements it over a plain TCP socket; a TLS transport
/// would implement the same calls by decrypting into the input buffer and encrypting on `flush`.
///
/// All calls are made on the connection's event-loop thread.
protocol Transport: AnyObject, SendableMetatype {
    /// Bytes received and not yet consumed.
    var unreadCount: Int { get }
    /// Calls `body` with the received, unconsumed bytes.
    func withUnreadBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws(ParseError) -> Result) throws(ParseError) -> Result
    /// Marks the first `count` unread bytes as consumed.
    func consume(_ count: Int)
    /// Reads more bytes, at most `limit` (and never more than 64 KiB at once), waiting until
    /// `deadline` (monotonic nanoseconds). With `idle`, a graceful shutdown ends the wait.
    func read(limit: Int, deadline: UInt64, idle: Bool) async -> ReadOutcome
    /// Shrinks the input buffer back to its resting size once a message is done.
    func rest()

    /// Appends bytes to the output buffer.
    func append<Bytes: Sequence<UInt8>>(_ bytes: Bytes)
    /// Lets `body` append to the output buffer in place.
    func withOutput<Result>(_ body: (inout [UInt8]) -> Result) -> Result
    /// Queues a large body to be written after the buffered output without copying it.
    func appendLarge(_ bytes: [UInt8])
    /// Bytes buffered and not yet written.
    var pendingOutputCount: Int { get }
    /// Writes everything buffered, waiting for the peer (until the write timeout between writes).
    /// `false` when the connection failed or timed out (it is closed then).
    func flush() async -> Bool

    /// Sends end of stream to the peer but keeps reading (for a lingering close).
    func shutdownOutput()
    /// Closes the connection (once).
    func close()
    /// Whether `close()` has happened.
    var isClosed: Bool { get }
    /// Whether a graceful shutdown has asked this connection to finish.
    var shutdownRequested: Bool { get }
    /// The peer's address, when the transport has one.
    func peerAddress() -> ClientAddress?
}
