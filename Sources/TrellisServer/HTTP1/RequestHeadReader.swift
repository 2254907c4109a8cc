import Trellis

/// Reads the next request head from a transport: waits for bytes (the idle timeout before the first
/// one, the header timeout after it), frames and validates them, and says what it found. It holds
/// no state of its own; the framer it works on belongs to the connection's `RequestBodyStream`,
/// which decodes the body that follows.
struct RequestHeadReader {
    /// What reading found.
    enum Outcome {
        /// A valid head of `length` bytes, at the start of the unread bytes.
        case head(RequestHead, length: Int)
        /// The connection ended between requests (closed, idle timeout, shutdown): close quietly.
        case closed
        /// Nothing to read between requests: park the connection until `deadline` (its idle timeout).
        case idle(until: UInt64)
        /// The head is invalid or came too slowly: answer with this error, then close.
        case rejected(ParseError)
    }

    let headerTimeout: UInt64
    let idleTimeout: UInt64

    /// Reads until a whole head is in, flushing pending responses before each wait. Always
    /// inlined into the connection's `nextRequest()`, as the transport's `read` and `flush` are into
    /// it: an async call of its own costs a frame from the task's allocator per request.
    @inline(__always) func read(framer: inout HTTP1Framer, from transport: SocketTransport, clock: LoopClock) async -> Outcome {
        var deadline: UInt64 = 0
        while true {
            let parsed: (head: RequestHead, length: Int)?
            do {
                parsed = try transport.withUnreadBytes { buffer throws(ParseError) in try framer.parseHead(buffer) }
            } catch {
                return .rejected(error)
            }
            // Moved out, not copied: a copy would retain the head's strings and arrays, and
            // destroying `parsed` would release them again.
            if let parsed = consume parsed { return .head(parsed.head, length: parsed.length) }
            guard await transport.flush() else { return .closed }
            let started = framer.headStarted || transport.unreadCount > 0
            if transport.shutdownRequested && !started { return .closed }
            if started && deadline == 0 { deadline = clock.now + headerTimeout }
            let readDeadline = started ? deadline : clock.now + idleTimeout
            switch await transport.read(limit: 4096, deadline: readDeadline, idle: !started) {
            case .data:
                continue
            case .idle:
                // The idle timeout counts from when the connection fell idle, also for a worker
                // that waited on it first and was then handed over.
                return .idle(until: readDeadline)
            case .timedOut:
                return started ? .rejected(ParseError(status: .requestTimeout, message: "Request head not received in time.")) : .closed
            case .endOfStream, .failed, .shutdown:
                return .closed
            }
        }
    }
}
