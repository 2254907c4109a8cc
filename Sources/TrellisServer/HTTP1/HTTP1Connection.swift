import Trellis

/// One HTTP/1.1 connection over a `Transport`: frames requests (the body as a bounded stream the
/// handler pulls), writes responses (pipelined ones batched into one write), and applies the limits
/// and timeouts. Confined to its event loop's thread: reads of a request body and writes of a
/// streamed response that arrive from another task hop to the loop first and are serialised.
final class HTTP1Connection<T: Transport>: RequestBodySource, @unchecked Sendable {
    let transport: T
    let loop: EventLoop
    /// Shared by the requests of this connection: client address, route, cleanups, tasks.
    let context: RequestContext
    /// Whether the last response was written completely (its cleanups' outcome).
    private(set) var lastResponseComplete = true
    private let limits: ServerConfiguration.Limits
    private let timeouts: (header: UInt64, body: UInt64, idle: UInt64, lingering: UInt64)
    private var framer: HTTP1Framer

    private var keepAlive = true
    private var currentVersion = HTTPVersion.http1_1
    private var currentIsHead = false
    private var currentMethod = HTTPMethod.get
    private var currentTarget = ""
    /// Request bytes may still be on their way when the connection ends: close it lingering.
    private var lingerOnClose = false

    // The request body of the current request.
    /// Identifies the current request to its body; bumped when its response is finished.
    private var bodyToken: UInt64 = 0
    /// A streamed body whose end has not been read yet.
    private var bodyOpen = false
    /// `100 Continue` is owed before the first body read.
    private var continuePending = false
    private var bodyReading = false

    // The streamed response of the current request.
    private var streamGeneration: UInt64 = 0
    private var streamOpen = false
    /// Bytes a length-framed stream still owes (`-1`: not length-framed).
    private var streamRemaining = -1
    private var writeBusy = false
    private var writeWaiters: [UnsafeContinuation<Void, Never>] = []

    init(transport: T, loop: EventLoop) {
        self.transport = transport
        self.loop = loop
        context = RequestContext(client: transport.peerAddress())
        let configuration = loop.core.configuration
        limits = configuration.limits
        timeouts = (
            configuration.timeouts.header.nanoseconds, configuration.timeouts.body.nanoseconds,
            configuration.timeouts.idle.nanoseconds, configuration.timeouts.lingering.nanoseconds
        )
        framer = HTTP1Framer(limits: HTTP1Framer.Limits(configuration.limits))
    }

    // MARK: Requests

    /// Reads, frames and validates the next request head. Returns `nil` when the connection should
    /// close; any error response has been written by then.
    func nextRequest() async -> Request? {
        guard keepAlive, !transport.isClosed else { return nil }
        transport.rest()
        framer.reset()
        var headDeadline: UInt64 = 0
        do {
            var parsed: (head: RequestHead, length: Int)?
            while true {
                parsed = try transport.withUnreadBytes { buffer throws(ParseError) in try framer.parseHead(buffer) }
                if parsed != nil { break }
                guard await transport.flush() else { return nil }
                let started = framer.headStarted || transport.unreadCount > 0
                if transport.shutdownRequested && !started { return nil }
                if started && headDeadline == 0 { headDeadline = loop.now + timeouts.header }
                switch await transport.read(limit: 4096, deadline: started ? headDeadline : loop.now + timeouts.idle, idle: !started) {
                case .data:
                    continue
                case .timedOut:
                    if started { await fail(ParseError(status: .requestTimeout, message: "Request head not received in time.")) }
                    return nil
                case .endOfStream, .failed, .shutdown:
                    return nil
                }
            }
            guard let (head, headLength) = parsed else { return nil }
            transport.consume(headLength)
            let body = try makeBody(for: head)
            keepAlive = head.keepAlive && !transport.shutdownRequested
            currentVersion = head.version
            currentIsHead = head.method == .head
            currentMethod = head.method
            currentTarget = head.target
            // The context's generation moved on when the previous request ended (serveConnection).
            return Request(
                method: head.method, target: head.target, version: head.version, headers: head.headers, body: body, context: context
            )
        } catch {
            await fail(error)
            return nil
        }
    }

    /// The body of a request whose head was just read: the bytes themselves when they all arrived
    /// with the head (no reading later), else a stream read on demand.
    private func makeBody(for head: RequestHead) throws(ParseError) -> RequestBody {
        bodyToken &+= 1
        bodyOpen = false
        continuePending = false
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
            bodyOpen = true
            continuePending = head.expectsContinue
            return RequestBody(source: self, token: bodyToken, expectedLength: length)
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
            bodyOpen = true
            continuePending = head.expectsContinue
            return RequestBody(source: self, token: bodyToken, expectedLength: nil)
        }
    }

    /// Answers a request that could not be accepted; the connection closes (lingering) after it.
    private func fail(_ error: ParseError) async {
        keepAlive = false
        lingerOnClose = true
        transport.withOutput { ResponseSerializer.writeError(error, into: &$0, date: loop.dateLine()) }
        _ = await transport.flush()
    }

    // MARK: Request body (RequestBodySource)

    func nextBodyChunk(token: UInt64) async throws -> [UInt8]? {
        if loop.isCurrentThread { return try await readBodyChunk(token: token) }
        return try await onLoop { try await self.readBodyChunk(token: token) }
    }

    func refuseBody(token: UInt64) async {
        if loop.isCurrentThread {
            refuseBodyOnLoop(token: token)
        } else {
            _ = try? await onLoop { self.refuseBodyOnLoop(token: token) }
        }
    }

    private func refuseBodyOnLoop(token: UInt64) {
        guard token == bodyToken, bodyOpen else { return }
        // The rest is not wanted: do not invite it, and close (lingering) after the response.
        bodyOpen = false
        continuePending = false
        keepAlive = false
        lingerOnClose = true
    }

    private func readBodyChunk(token: UInt64) async throws -> [UInt8]? {
        guard token == bodyToken else { throw ConnectionError.requestFinished }
        guard bodyOpen else { return nil }
        guard !bodyReading else { throw ConnectionError.concurrentBodyRead }
        bodyReading = true
        defer { bodyReading = false }
        if continuePending {
            continuePending = false
            transport.append("HTTP/1.1 100 Continue\r\n\r\n".utf8)
            guard await transport.flush() else { throw abandonBody(HTTPError(.badRequest, "The connection failed.")) }
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
                    throw abandonBody(HTTPError(error.status, error.message))
                }
                if framer.bodyState == .complete {
                    bodyOpen = false
                    return chunk.isEmpty ? nil : chunk
                }
                if !chunk.isEmpty { return chunk }
            }
            var wanted = HTTP1Framer.maxBodyChunk
            if case .length(let remaining) = framer.bodyState { wanted = min(remaining, wanted) }
            switch await transport.read(limit: wanted, deadline: loop.now + timeouts.body, idle: false) {
            case .data:
                continue
            case .timedOut:
                throw abandonBody(HTTPError(.requestTimeout, "Request body not received in time."))
            case .endOfStream, .failed, .shutdown:
                throw abandonBody(HTTPError(.badRequest, "The client closed the connection before sending the whole body."))
            }
        }
    }

    /// The body cannot be read to its end: the connection closes after the response.
    private func abandonBody(_ error: HTTPError) -> HTTPError {
        bodyOpen = false
        keepAlive = false
        lingerOnClose = true
        return error
    }

    // MARK: Responses

    /// Serialises a response; writes it now if the connection closes after it or too much is
    /// buffered, else leaves it for the write that precedes the next read (so pipelined responses go
    /// out together). Then discards what the handler left unread of the request body.
    func send(_ response: Response) async {
        lastResponseComplete = false
        guard !transport.isClosed else { return }
        var response = response
        if response.status.code < 200 || response.status.code > 999 {
            ServerLog.report(
                "\(currentMethod) \(currentTarget): the handler returned status \(response.status.code) as a final response; sent 500 instead"
            )
            response = Response.text("Internal Server Error", status: .internalServerError)
        }
        if bodyOpen {
            // Unread body: close after the response unless the rest is small enough to discard.
            var discardable = !continuePending
            if case .length(let remaining) = framer.bodyState, remaining > limits.maxDiscardedBodyBytes { discardable = false }
            if !discardable {
                keepAlive = false
                lingerOnClose = true
            }
        }
        let (plan, keep) = transport.withOutput { output in
            ResponseSerializer.writeHead(
                response,
                into: &output,
                date: loop.dateLine(),
                requestVersion: currentVersion,
                isHeadRequest: currentIsHead,
                keepAlive: keepAlive && !transport.shutdownRequested
            )
        }
        keepAlive = keep
        var complete = true
        switch plan {
        case .none:
            break
        case .bytes(let bytes):
            if bytes.count > 16 * 1024 {
                transport.appendLarge(bytes)
                guard await transport.flush() else { return }
            } else {
                transport.append(bytes)
            }
        case .chunked(let produce):
            if await stream(produce, chunked: true) {
                transport.append("0\r\n\r\n".utf8)
            } else {
                keepAlive = false
                complete = false
            }
        case .untilClose(let produce):
            complete = await stream(produce, chunked: false)
            keepAlive = false
        case .sized(let length, let produce):
            complete = await stream(produce, chunked: false, length: length)
            if !complete { keepAlive = false }
        }
        // The exchange is over: its body and writer are dead from here on.
        bodyToken &+= 1
        lastResponseComplete = complete && !transport.isClosed
        if bodyOpen, keepAlive { await discardBody() }
        if !keepAlive || transport.pendingOutputCount > limits.outputHighWatermark {
            _ = await transport.flush()
        }
    }

    /// Writes out what is buffered (the responses so far) and says whether the last response
    /// reached the socket whole: the moment a request's cleanups and background tasks wait for.
    func flushResponse() async -> Bool {
        if !(await transport.flush()) { lastResponseComplete = false }
        return lastResponseComplete && !transport.isClosed
    }

    /// Reads and drops the rest of a body the handler did not read, up to `maxDiscardedBodyBytes`;
    /// past that (or on any failure) the connection closes instead.
    private func discardBody() async {
        var discarded = 0
        while bodyOpen {
            do {
                let (consumed, content) = try transport.withUnreadBytes { buffer throws(ParseError) in try framer.skipBody(buffer) }
                transport.consume(consumed)
                discarded += content
            } catch {
                break
            }
            if framer.bodyState == .complete {
                bodyOpen = false
                return
            }
            if discarded > limits.maxDiscardedBodyBytes { break }
            guard await transport.flush() else { break }
            guard case .data = await transport.read(limit: HTTP1Framer.maxBodyChunk, deadline: loop.now + timeouts.body, idle: false)
            else { break }
        }
        bodyOpen = false
        keepAlive = false
        lingerOnClose = true
    }

    /// Runs a streaming body, flushing each piece (so a slow reader holds the producer back). The
    /// writer is dead once the producer returns: a late write throws and never reaches the socket.
    private func stream(_ produce: @Sendable (ResponseBodyWriter) async throws -> Void, chunked: Bool, length: Int? = nil) async -> Bool {
        streamGeneration &+= 1
        let generation = streamGeneration
        streamOpen = true
        streamRemaining = length ?? -1
        let writer = ResponseBodyWriter { [self] bytes in
            if loop.isCurrentThread {
                try await writeStreamed(bytes, generation: generation, chunked: chunked)
            } else {
                try await onLoop { try await self.writeStreamed(bytes, generation: generation, chunked: chunked) }
            }
        }
        var completed = true
        do {
            try await produce(writer)
        } catch {
            completed = false
        }
        streamOpen = false
        // Let a write that is already under way finish before the terminator.
        await acquireWrite()
        releaseWrite()
        if streamRemaining > 0 {
            // Fewer bytes than the declared Content-Length: the framing is broken, close.
            ServerLog.report("\(currentMethod) \(currentTarget): the stream wrote \(streamRemaining) bytes less than its declared length")
            completed = false
        }
        streamRemaining = -1
        return completed && !transport.isClosed
    }

    private func writeStreamed(_ bytes: [UInt8], generation: UInt64, chunked: Bool) async throws {
        guard streamOpen, generation == streamGeneration else { throw ConnectionError.responseFinished }
        await acquireWrite()
        defer { releaseWrite() }
        guard streamOpen, generation == streamGeneration, !transport.isClosed else { throw ConnectionError.responseFinished }
        if streamRemaining >= 0 {
            guard bytes.count <= streamRemaining else { throw ConnectionError.lengthExceeded }
            streamRemaining -= bytes.count
        }
        if chunked {
            transport.withOutput { ResponseSerializer.appendChunk(bytes, to: &$0) }
        } else {
            transport.append(bytes)
        }
        guard await transport.flush() else { throw ConnectionError.connectionClosed }
    }

    /// Serialises stream writes: one at a time, in arrival order.
    private func acquireWrite() async {
        if !writeBusy {
            writeBusy = true
            return
        }
        await withUnsafeContinuation { writeWaiters.append($0) }
    }

    private func releaseWrite() {
        if writeWaiters.isEmpty {
            writeBusy = false
        } else {
            writeWaiters.removeFirst().resume()
        }
    }

    /// Runs `operation` on the loop's thread (for calls from another task); fails once the loop has stopped.
    @concurrent private func onLoop<Result: Sendable>(_ operation: @escaping @Sendable () async throws -> Result) async throws -> Result {
        try await withTaskExecutorPreference(loop.executor) {
            guard loop.isCurrentThread else { throw ConnectionError.connectionClosed }
            return try await operation()
        }
    }

    // MARK: Closing

    /// Writes what is buffered and closes; lingers first when request bytes may still be arriving,
    /// so the client reads the error response instead of a reset.
    func finish() async {
        guard !transport.isClosed else { return }
        _ = await transport.flush()
        if lingerOnClose, !transport.isClosed { await linger() }
        transport.close()
    }

    /// Half-closes and reads (and drops) what the client still sends, for a bounded time and byte
    /// count, as nginx's `lingering_close` does.
    private func linger() async {
        transport.shutdownOutput()
        let deadline = loop.now + timeouts.lingering
        var drained = 0
        while drained <= limits.maxLingeringBytes {
            drained += transport.unreadCount
            transport.consume(transport.unreadCount)
            guard case .data = await transport.read(limit: HTTP1Framer.maxBodyChunk, deadline: deadline, idle: false) else { return }
        }
    }
}

/// Why a body read or a stream write was refused.
enum ConnectionError: Error, CustomStringConvertible {
    /// The request's response is finished: its body and its stream writer are dead.
    case requestFinished
    /// A stream write after its response was finished.
    case responseFinished
    /// Two tasks read the same request body at once.
    case concurrentBodyRead
    /// The connection failed or closed.
    case connectionClosed
    /// A stream with a declared length wrote more than that.
    case lengthExceeded

    var description: String {
        switch self {
        case .requestFinished: "the request's response is finished; its body can no longer be read"
        case .responseFinished: "the response is finished; its stream writer can no longer write"
        case .concurrentBodyRead: "the request body is already being read by another task"
        case .connectionClosed: "the connection is closed"
        case .lengthExceeded: "the stream wrote more bytes than its declared length"
        }
    }
}
