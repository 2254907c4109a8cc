import Trellis

/// The request bodies of one connection, read on demand: the `RequestBodySource` behind every
/// streamed `RequestBody` the connection hands out. It owns the connection's framer (the head
/// reader borrows it for each head), sends `100 Continue` before the first read, enforces the body
/// timeout, and after a response discards what the handler left unread, when that is small enough.
///
/// Confinement: its state is touched only on the connection's event-loop thread. A read that comes
/// from another task (a handler running elsewhere) hops to the loop first (`LoopExecutor.run`);
/// every other call is made on the loop (asserted in debug builds).
final class RequestBodyStream: RequestBodySource, @unchecked Sendable {
    /// Frames heads and decodes bodies; borrowed by `RequestHeadReader` between requests (an
    /// `inout` access across the head's read). Touched only on the loop's thread and by one
    /// exchange at a time (a stale body read is refused by its token before it reaches the
    /// framer), so without the runtime's exclusivity bookkeeping, which cost a check per request.
    @exclusivity(unchecked) var framer: HTTP1Framer
    private let transport: SocketTransport
    private let services: LoopServices
    private let bodyTimeout: UInt64
    private let maxDiscardedBodyBytes: Int
    private let minBytesPerSecond: Int
    private let rateGrace: UInt64

    /// Identifies the current request to its body; moves on when its response is finished.
    private var token: UInt64 = 0
    /// A streamed body whose end has not been read yet.
    private(set) var isOpen = false
    /// `100 Continue` is owed before the first body read.
    private var continuePending = false
    private var reading = false
    /// The rest of the body will not be read (refused, or reading failed): close after the response.
    private(set) var mustClose = false
    /// When the current body was first waited for (0: not yet), and how many bytes of it arrived:
    /// the minimum-rate check's clock.
    private var waitingSince: UInt64 = 0
    private var received = 0

    init(transport: SocketTransport, services: LoopServices, configuration: HTTP1Configuration) {
        self.transport = transport
        self.services = services
        framer = HTTP1Framer(limits: configuration.framer)
        bodyTimeout = configuration.bodyTimeout
        maxDiscardedBodyBytes = configuration.maxDiscardedBodyBytes
        minBytesPerSecond = configuration.minBodyBytesPerSecond
        rateGrace = configuration.bodyRateGrace
    }

    /// When the next read must have brought bytes: the body timeout from now, or sooner when the
    /// body would otherwise fall below the minimum rate (after its grace period). `nil` when the
    /// body is already slower than that minimum: it has to stop now, however steadily bytes
    /// still trickle in.
    private func readDeadline() -> (deadline: UInt64, byRate: Bool)? {
        let now = services.clock.now
        if waitingSince == 0 { waitingSince = now }
        let gap = now + bodyTimeout
        guard minBytesPerSecond > 0 else { return (gap, false) }
        // By this time at least `received + 1` bytes must have arrived.
        let (needed, overflow) = UInt64(received + 1).multipliedReportingOverflow(by: 1_000_000_000)
        let byRate = waitingSince &+ rateGrace &+ (overflow ? UInt64.max / 2 : needed / UInt64(minBytesPerSecond))
        if byRate <= now { return nil }
        return byRate < gap ? (byRate, true) : (gap, false)
    }

    private func timeoutError(byRate: Bool) -> HTTPError {
        byRate
            ? HTTPError(.requestTimeout, "Request body arrived slower than \(minBytesPerSecond) bytes per second.")
            : HTTPError(.requestTimeout, "Request body not received in time.")
    }

    /// The body of a request whose head was just read: the bytes themselves when they all arrived
    /// with the head (no reading later), else a stream read on demand.
    func start(for head: RequestHead) throws(ParseError) -> RequestBody {
        assert(transport.isOnItsLoop, "connection state touched off its event loop")
        token &+= 1
        isOpen = false
        continuePending = false
        mustClose = false
        waitingSince = 0
        received = 0
        switch framer.bodyState {
        case .complete:
            return .empty
        case .length(let length) where transport.unreadCount >= length:
            var bytes: [UInt8] = []
            bytes.reserveCapacity(length)
            let consumed = try transport.withUnreadBytes { buffer throws(ParseError) in
                try framer.decodeBody(buffer, into: &bytes, maximum: length)
            }
            transport.consume(consumed)
            return RequestBody(bytes: bytes)
        case .length(let length):
            isOpen = true
            continuePending = head.expectsContinue
            return RequestBody(source: self, token: token, expectedLength: length)
        case .chunked:
            if transport.unreadCount > 0, !head.expectsContinue {
                // Decode on a copy: commit only if the whole body is already here.
                var trial = framer
                var bytes: [UInt8] = []
                let consumed = try transport.withUnreadBytes { buffer throws(ParseError) in
                    try trial.decodeBody(buffer, into: &bytes, maximum: .max)
                }
                if trial.bodyState == .complete {
                    framer = trial
                    transport.consume(consumed)
                    return RequestBody(bytes: bytes)
                }
            }
            isOpen = true
            continuePending = head.expectsContinue
            return RequestBody(source: self, token: token, expectedLength: nil)
        }
    }

    /// The request's response is finished: its body is dead from here on (reads throw).
    func endExchange() { token &+= 1 }

    /// Whether the unread rest can be read and dropped to keep the connection: nothing is owed a
    /// `100 Continue` (the client waits for it) and a known remainder is within the discard limit.
    var isDiscardable: Bool {
        if continuePending { return false }
        if case .length(let remaining) = framer.bodyState, remaining > maxDiscardedBodyBytes { return false }
        return true
    }

    // MARK: RequestBodySource

    func nextBodyChunk(token: UInt64) async throws -> [UInt8]? {
        if services.isCurrentThread { return try await readChunk(token: token) }
        return try await services.executor.run { try await self.readChunk(token: token) }
    }

    func refuseBody(token: UInt64) async {
        if services.isCurrentThread {
            refuse(token: token)
        } else {
            _ = try? await services.executor.run { self.refuse(token: token) }
        }
    }

    private func refuse(token: UInt64) {
        guard token == self.token, isOpen else { return }
        // The rest is not wanted: do not invite it, and close (lingering) after the response.
        isOpen = false
        continuePending = false
        mustClose = true
    }

    private func readChunk(token: UInt64) async throws -> [UInt8]? {
        assert(transport.isOnItsLoop, "connection state touched off its event loop")
        guard token == self.token else { throw ConnectionError.requestFinished }
        guard isOpen else { return nil }
        guard !reading else { throw ConnectionError.concurrentBodyRead }
        reading = true
        defer { reading = false }
        if continuePending {
            continuePending = false
            transport.append("HTTP/1.1 100 Continue\r\n\r\n".utf8)
            guard await transport.flush() else { throw abandon(HTTPError(.badRequest, "The connection failed.")) }
        }
        var chunk: [UInt8] = []
        while true {
            if transport.unreadCount > 0 {
                do {
                    let consumed = try transport.withUnreadBytes { buffer throws(ParseError) in
                        try framer.decodeBody(buffer, into: &chunk, maximum: HTTP1Framer.maxBodyChunk)
                    }
                    transport.consume(consumed)
                } catch {
                    throw abandon(HTTPError(error.status, error.message))
                }
                received += chunk.count
                if framer.bodyState == .complete {
                    isOpen = false
                    return chunk.isEmpty ? nil : chunk
                }
                if !chunk.isEmpty { return chunk }
            }
            var wanted = HTTP1Framer.maxBodyChunk
            if case .length(let remaining) = framer.bodyState { wanted = min(remaining, wanted) }
            guard let (deadline, byRate) = readDeadline() else { throw abandon(timeoutError(byRate: true)) }
            switch await transport.read(limit: wanted, deadline: deadline, idle: false) {
            case .data:
                continue
            case .timedOut:
                throw abandon(timeoutError(byRate: byRate))
            case .endOfStream, .failed, .shutdown, .idle:
                throw abandon(HTTPError(.badRequest, "The client closed the connection before sending the whole body."))
            }
        }
    }

    /// The body cannot be read to its end: the connection closes after the response.
    private func abandon(_ error: HTTPError) -> HTTPError {
        isOpen = false
        mustClose = true
        return error
    }

    /// Reads and drops the rest of a body the handler did not read, up to `maxDiscardedBodyBytes`.
    /// `false` when that failed or was too much: the connection must close (lingering).
    func discardRest() async -> Bool {
        assert(transport.isOnItsLoop, "connection state touched off its event loop")
        var discarded = 0
        while isOpen {
            do {
                let (consumed, content) = try transport.withUnreadBytes { buffer throws(ParseError) in try framer.skipBody(buffer) }
                transport.consume(consumed)
                discarded += content
                received += content
            } catch {
                break
            }
            if framer.bodyState == .complete {
                isOpen = false
                return true
            }
            if discarded > maxDiscardedBodyBytes { break }
            guard await transport.flush() else { break }
            guard let (deadline, _) = readDeadline(),
                case .data = await transport.read(limit: HTTP1Framer.maxBodyChunk, deadline: deadline, idle: false)
            else { break }
        }
        isOpen = false
        mustClose = true
        return false
    }
}
