import Trellis

/// Writes the responses of one connection: serialises the head, then the body as bytes (left in
/// the output buffer so pipelined responses go out in one write, or written at once when large) or
/// as a stream whose writer may be called from any task. Stream writes are serialised in arrival
/// order and flushed one by one (a slow reader holds the producer back); a writer is dead once its
/// response is finished, and a length-framed stream that writes too little or too much breaks the
/// connection instead of its framing.
///
/// Fairness: a stream write that went out without waiting for the socket gives the loop a turn
/// before it returns (`SocketTransport.yieldTurn`). So between two turns a stream does at most the
/// work of producing one piece (for `GZip` over a file: one 64 KiB read and its compression),
/// however fast the client reads and however small the pieces compress: a gzip download of a
/// large, very compressible file cannot keep the other connections on its loop waiting.
///
/// Confinement: its state is touched only on the connection's event-loop thread. A stream write
/// from another task hops to the loop first (`LoopExecutor.run`); the rest is called on the loop
/// (asserted in debug builds).
final class ResponseWriter: @unchecked Sendable {
    /// What the writer needs to know of the request it answers.
    struct Exchange {
        var version = HTTPVersion.http1_1
        var isHead = false
        var method = HTTPMethod.get
        /// The text the request's target lies in, and the target's UTF-8 offsets there.
        var targetText = ""
        var targetRange = 0..<0
    }

    /// What writing a response left behind.
    struct Result {
        /// The connection may serve another request (the response allows it and its body went out whole).
        var keepAlive: Bool
        /// The whole response reached the output (a stream ran to its end).
        var complete: Bool
    }

    /// The request being answered: set by the connection once per request. Kept here, not passed
    /// along, so that writing a response reads its flags where they lie: an `Exchange` passed as an
    /// argument from the connection's stored property was copied at each call, retaining and
    /// releasing the method and target (about 300 instructions a response).
    var exchange = Exchange()

    private let transport: SocketTransport
    private let services: LoopServices
    private let dates: HTTPDateCache
    /// Hears about responses that could not be sent as built (handler bugs).
    private let reporter: ErrorReporter

    /// A fixed body larger than this is written at once rather than left in the output buffer
    /// (an array is queued as it is, without copying it).
    static let largeBody = 16 * 1024

    private var streamGeneration: UInt64 = 0
    private var streamOpen = false
    /// Bytes a length-framed stream still owes (`-1`: not length-framed).
    private var streamRemaining = -1
    private var writeBusy = false
    private var writeWaiters: [UnsafeContinuation<Void, Never>] = []

    init(transport: SocketTransport, services: LoopServices, dates: HTTPDateCache, reporter: ErrorReporter) {
        self.transport = transport
        self.services = services
        self.dates = dates
        self.reporter = reporter
    }

    /// Reports a response the handler built that could not be sent as built.
    private func reportInvalid(_ problem: String) {
        let path = Request.path(ofTarget: exchange.targetText, in: exchange.targetRange)
        reporter.report(ErrorReport(stage: .response, method: exchange.method, path: path, error: InvalidResponse(problem: problem)))
    }

    /// Serialises `response` for `exchange` and writes or buffers it. `keepAlive` is what the
    /// connection intends; the result says what the response allowed.
    func write(_ response: Response, keepAlive: Bool) async -> Result {
        assert(transport.isOnItsLoop, "connection state touched off its event loop")
        if let result = writeBuffered(response, keepAlive: keepAlive) { return result }
        if !Self.isFinal(response.status) {
            reportInvalid("status \(response.status.code) is no final status; sent 500 instead")
            return await write(Response.text("Internal Server Error", status: .internalServerError), keepAlive: keepAlive)
        }
        let (plan, keep) = writeHead(response, keepAlive: keepAlive)
        var result = Result(keepAlive: keep, complete: true)
        switch plan {
        case .none:
            break
        case .fixed(let body):
            if let bytes = body.byteArray, bytes.count > Self.largeBody {
                transport.appendLarge(bytes)
                if !(await transport.flush()) { result.complete = false }
            } else {
                let count = appendFixed(body)
                if count > Self.largeBody, !(await transport.flush()) { result.complete = false }
            }
        case .chunked(let produce):
            if await stream(produce, chunked: true) {
                transport.append("0\r\n\r\n".utf8)
            } else {
                result = Result(keepAlive: false, complete: false)
            }
        case .untilClose(let produce):
            result = Result(keepAlive: false, complete: await stream(produce, chunked: false))
        case .sized(let length, let produce):
            result.complete = await stream(produce, chunked: false, length: length)
            if !result.complete { result.keepAlive = false }
        }
        return result
    }

    /// `write` for a response whose bytes all go into the output buffer at once, with nothing to
    /// wait for: a final status and a fixed body of at most `largeBody` bytes (the usual response).
    /// `nil`, having written nothing, for any other.
    func writeBuffered(_ response: Response, keepAlive: Bool) -> Result? {
        assert(transport.isOnItsLoop, "connection state touched off its event loop")
        guard Self.isFinal(response.status), let length = response.body.knownLength,
            length <= Self.largeBody, response.body.stream == nil
        else { return nil }
        let (plan, keep) = writeHead(response, keepAlive: keepAlive)
        if case .fixed(let body) = plan { appendFixed(body) }
        return Result(keepAlive: keep, complete: true)
    }

    /// Serialises the head of `response` into the output; says how its body goes out and whether
    /// the connection may stay open.
    private func writeHead(_ response: Response, keepAlive: Bool) -> (plan: ResponseSerializer.BodyPlan, keepAlive: Bool) {
        transport.withOutput { output in
            ResponseSerializer.writeHead(
                response,
                into: &output,
                date: dates.current(),
                requestVersion: exchange.version,
                isHeadRequest: exchange.isHead,
                keepAlive: keepAlive
            )
        }
    }

    /// Appends a fixed body to the output; returns how many bytes it had.
    @discardableResult private func appendFixed(_ body: ResponseBody) -> Int {
        transport.withOutput { output in
            body.withFixedBytes { bytes in
                output.append(contentsOf: bytes)
                return bytes.count
            } ?? 0
        }
    }

    /// Whether `status` may end an exchange (200…999; an interim 1xx may not).
    private static func isFinal(_ status: HTTPStatus) -> Bool { status.code >= 200 && status.code <= 999 }

    /// Writes an error response for a request that could not be accepted.
    func writeError(_ error: ParseError) {
        transport.withOutput { ResponseSerializer.writeError(error, into: &$0, date: dates.current()) }
    }

    // MARK: Streams

    /// Runs a streaming body, flushing each piece. The writer is dead once the producer returns: a
    /// late write throws and never reaches the socket.
    private func stream(
        _ produce: @Sendable (ResponseBodyWriter) async throws -> Void,
        chunked: Bool,
        length: Int? = nil
    ) async -> Bool {
        streamGeneration &+= 1
        let generation = streamGeneration
        streamOpen = true
        streamRemaining = length ?? -1
        let services = services
        let writer = ResponseBodyWriter { [self] bytes in
            if services.isCurrentThread {
                try await writeStreamed(bytes, generation: generation, chunked: chunked)
            } else {
                try await services.executor.run { try await self.writeStreamed(bytes, generation: generation, chunked: chunked) }
            }
        }
        var completed = true
        do {
            try await produce(writer)
        } catch {
            completed = false
        }
        // The producer may have left the loop.
        await transport.returnToLoopIfLeft()
        streamOpen = false
        // Let a write that is already under way finish before the terminator.
        await acquireWrite()
        releaseWrite()
        if streamRemaining > 0 {
            // Fewer bytes than the declared Content-Length: the framing is broken, close. Only a
            // producer that returned normally has a bug to report; one that stopped because the
            // client went away (its write threw) is the client's doing, and says nothing.
            if completed, !transport.isClosed {
                reportInvalid("the stream wrote \(streamRemaining) bytes less than its declared length")
            }
            completed = false
        }
        streamRemaining = -1
        return completed && !transport.isClosed
    }

    private func writeStreamed(_ bytes: [UInt8], generation: UInt64, chunked: Bool) async throws {
        assert(transport.isOnItsLoop, "connection state touched off its event loop")
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
        let waitsBefore = transport.waits
        guard await transport.flush() else { throw ConnectionError.connectionClosed }
        if transport.waits == waitsBefore { await transport.yieldTurn() }
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
            let next = writeWaiters.removeFirst()
            TaskRouting.resuming(on: services.executor) { next.resume() }
        }
    }
}

/// What the server reports when a response could not be sent as its handler built it.
struct InvalidResponse: Error, CustomStringConvertible {
    let problem: String
    var description: String { problem }
}
