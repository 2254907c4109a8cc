public import Trellis

/// One HTTP/1.1 connection: the exchange of requests and responses over one `SocketTransport`. It
/// reads each head (`RequestHeadReader`), hands out the body (`RequestBodyStream`), writes the
/// response (`ResponseWriter`), decides whether the connection stays open, and closes it
/// (lingering when request bytes may still arrive). The server's serving loop drives it:
///
/// ```swift
/// while let request = await connection.nextRequest() {
///     await connection.send(try await pipeline.respond(to: request))
///     await request.end(…)          // cleanups, background tasks (Request+End.swift)
/// }
/// await connection.close()
/// ```
///
/// Confinement: made and driven on its event loop's thread (its task runs on the loop: `TaskRouting`);
/// the body stream and the writer hop to the loop for calls from other tasks. After a forced drain
/// the task may finish on the global executor, with the transport closed (`isOnItsLoop`).
@usableFromInline final class HTTP1Connection: @unchecked Sendable {
    /// Shared by the requests of this connection: client address, route, cleanups, tasks.
    let context: RequestContext
    private let transport: SocketTransport
    private let services: LoopServices
    private let configuration: HTTP1Configuration
    private let headReader: RequestHeadReader
    private let body: RequestBodyStream
    private let writer: ResponseWriter

    private var keepAlive = true
    /// Request bytes may still be on their way when the connection ends: close it lingering.
    private var lingerOnClose = false
    /// Whether the last response was written completely (its cleanups' outcome).
    private var lastResponseComplete = true
    /// `nextRequest()` returned `nil` because the connection is parked (waiting for its next request
    /// without a task), not because it is over: the worker lets go of it instead of closing it.
    @usableFromInline @exclusivity(unchecked) private(set) var isParked = false

    init(
        transport: SocketTransport,
        services: LoopServices,
        configuration: HTTP1Configuration,
        dates: HTTPDateCache,
        reporter: ErrorReporter
    ) {
        self.transport = transport
        self.services = services
        self.configuration = configuration
        context = RequestContext(client: transport.peerAddress(), reporter: reporter)
        headReader = RequestHeadReader(headerTimeout: configuration.headerTimeout, idleTimeout: configuration.idleTimeout)
        body = RequestBodyStream(transport: transport, services: services, configuration: configuration)
        writer = ResponseWriter(transport: transport, services: services, dates: dates, reporter: reporter)
    }

    // MARK: Requests

    /// Bytes read and written on this connection so far.
    @usableFromInline var transferred: (read: Int, written: Int) {
        assert(transport.isOnItsLoop, "connection state touched off its event loop")
        return (transport.bytesRead, transport.bytesWritten)
    }

    /// Whether the task runs on the connection's loop (or the connection is closed): false after
    /// the pipeline's code left the loop (`LoopServices.returnToLoop()`).
    @usableFromInline var isOnItsLoop: Bool { transport.isOnItsLoop }

    /// Comes back to the loop's thread (`LoopServices.returnToLoop()`).
    @usableFromInline func returnToLoop() async { await services.returnToLoop() }

    /// Comes back to the loop's thread if user code left it: `SocketTransport.returnToLoopIfLeft()`
    /// for the inlined serving loop (the check inlined there, so a task at home makes no async call).
    @inlinable @inline(__always) func returnToLoopIfLeft() async {
        if !isOnItsLoop { await returnToLoop() }
    }

    /// Reads, frames and validates the next request. Returns `nil` when the connection should
    /// close; any error response has been written by then.
    @usableFromInline func nextRequest() async -> Request? {
        // The last request's cleanups may have left the loop.
        await transport.returnToLoopIfLeft()
        isParked = false
        assert(transport.isOnItsLoop, "connection state touched off its event loop")
        guard keepAlive, !transport.isClosed else { return nil }
        transport.rest()
        body.framer.reset()
        switch await headReader.read(framer: &body.framer, from: transport, clock: services.clock) {
        case .closed:
            return nil
        case .idle(let deadline):
            // Waits for its next request without a task; the worker serves another connection.
            isParked = true
            transport.park(self, until: deadline)
            return nil
        case .rejected(let error):
            await reject(error)
            return nil
        case .head(var head, let length):
            transport.consume(length)
            let requestBody: RequestBody
            do {
                requestBody = try body.start(for: head)
            } catch {
                await reject(error)
                return nil
            }
            keepAlive = head.keepAlive && !transport.shutdownRequested
            writer.exchange = ResponseWriter.Exchange(
                version: head.version, isHead: head.method == .head, method: head.method, targetText: head.targetText,
                targetRange: head.targetRange
            )
            return head.takeRequest(body: consume requestBody, context: context)
        }
    }

    /// Answers a request that could not be accepted; the connection closes (lingering) after it.
    private func reject(_ error: ParseError) async {
        keepAlive = false
        lingerOnClose = true
        writer.writeError(error)
        _ = await transport.flush()
    }

    /// The worker's next connection once this one is parked or closed: the next one the loop
    /// queued (`ConnectionDispatcher`), or `nil` when the worker should end (it is not needed, the
    /// loop stops, or this task has left a loop that was forced to stop).
    @usableFromInline func nextReadyConnection() async -> HTTP1Connection? {
        guard services.isCurrentThread else { return nil }
        let dispatcher = services.dispatcher
        if let queued = dispatcher.takeQueued() { return unsafeDowncast(queued, to: HTTP1Connection.self) }
        return await dispatcher.waitForNext().map { unsafeDowncast($0, to: HTTP1Connection.self) }
    }

    // MARK: Responses

    /// Writes the response (or leaves it buffered for the write that precedes the next read, so
    /// pipelined responses go out together), then discards what the handler left unread of the
    /// request body, or decides to close when that is too much.
    @usableFromInline func send(_ response: Response) async {
        // The pipeline may have left the loop.
        await transport.returnToLoopIfLeft()
        assert(transport.isOnItsLoop, "connection state touched off its event loop")
        lastResponseComplete = false
        guard !transport.isClosed else { return }
        if body.isOpen, !body.isDiscardable { closeAfterExchange() }
        if body.mustClose { closeAfterExchange() }
        let result = await writer.write(response, keepAlive: intendsKeepAlive)
        keepAlive = result.keepAlive
        if body.mustClose { closeAfterExchange() }
        // The exchange is over: its body and writer are dead from here on.
        body.endExchange()
        lastResponseComplete = result.complete && !transport.isClosed
        if body.isOpen, keepAlive, !(await body.discardRest()) { closeAfterExchange() }
        if mustFlushNow {
            _ = await transport.flush()
        }
    }

    /// What `sendBuffered` did.
    @usableFromInline enum BufferedSend {
        /// The response is in the output buffer; the exchange is over.
        case sent
        /// The same, and the output must be flushed now (`flushAfterSend()`): the connection
        /// closes, or too much output is waiting.
        case sentThenFlush
        /// Nothing was done: the exchange needs `send`, which may wait.
        case notSent
    }

    /// `send` without a suspension for the usual exchange: no request body left open, and a
    /// response that goes into the output buffer whole (`ResponseWriter.writeBuffered`). A call of
    /// its own would cost an async frame and an executor check per request.
    /// Off the loop (the pipeline left it), it does nothing: `send` comes back first.
    @usableFromInline func sendBuffered(_ response: Response) -> BufferedSend {
        guard services.isCurrentThread, !transport.isClosed, !body.isOpen, !body.mustClose,
            let result = writer.writeBuffered(response, keepAlive: intendsKeepAlive)
        else { return .notSent }
        keepAlive = result.keepAlive
        body.endExchange()
        lastResponseComplete = result.complete && !transport.isClosed
        return mustFlushNow ? .sentThenFlush : .sent
    }

    /// Whether the connection means to stay open after this response (the server is not draining).
    private var intendsKeepAlive: Bool { keepAlive && !transport.shutdownRequested }

    /// Whether a written response must go out now rather than with the next read: the connection
    /// closes, or too much output is waiting.
    private var mustFlushNow: Bool { !keepAlive || transport.pendingOutputCount > configuration.outputHighWatermark }

    /// The flush `sendBuffered` asked for.
    @usableFromInline func flushAfterSend() async { _ = await transport.flush() }

    private func closeAfterExchange() {
        keepAlive = false
        lingerOnClose = true
    }

    /// Writes out what is buffered (the responses so far) and says whether the last response
    /// reached the socket whole: the moment a request's cleanups and background tasks wait for.
    @usableFromInline func flushResponse() async -> Bool {
        if !(await transport.flush()) { lastResponseComplete = false }
        return lastResponseComplete && !transport.isClosed
    }

    /// Runs a finished request's background tasks in a task of their own on this loop, so the
    /// connection goes on to its next request; a graceful drain waits for them (up to its timeout).
    @usableFromInline func startBackground(_ work: BackgroundWork, reporter: ErrorReporter) {
        let count = services.backgroundTasks
        count.started()
        Task(executorPreference: services.executor) {
            await work.run(reporter: reporter)
            count.finished()
        }
    }

    // MARK: Closing

    /// Writes what is buffered and closes; lingers first when request bytes may still be arriving
    /// or some arrived unread, so the client reads the last response instead of a reset.
    @usableFromInline func close() async {
        guard !transport.isClosed else { return }
        _ = await transport.flush()
        if lingerOnClose || transport.unreadCount > 0, !transport.isClosed { await linger() }
        transport.close()
    }

    /// Half-closes and reads (and drops) what the client still sends, for a bounded time and byte
    /// count, as nginx's `lingering_close` does.
    private func linger() async {
        transport.shutdownOutput()
        let deadline = services.clock.now + configuration.lingeringTimeout
        var drained = 0
        while drained <= configuration.maxLingeringBytes {
            drained += transport.unreadCount
            transport.consume(transport.unreadCount)
            guard case .data = await transport.read(limit: HTTP1Framer.maxBodyChunk, deadline: deadline, idle: false) else { return }
        }
    }
}
