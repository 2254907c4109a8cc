import CTrellisLinux
import Glibc
import Trellis

/// One client connection, confined to its event loop's thread: reads and validates requests, writes
/// responses (pipelined responses batched into one write), and applies the limits and timeouts.
///
/// Its methods are called by the connection's task; readiness and deadlines come from the loop.
@usableFromInline final class Connection: @unchecked Sendable {
    private enum Interest { case none, read, write }
    private enum ReadOutcome { case data, endOfStream, timedOut, failed, shutdown }

    let fd: Int32
    let loop: EventLoop
    private let limits: ServerConfiguration.Limits
    private let timeouts: (header: UInt64, body: UInt64, idle: UInt64, write: UInt64)

    private var input: [UInt8]
    private var inputStart = 0
    private var inputEnd = 0
    private var output: [UInt8] = []
    private var outputSent = 0
    /// A large body written after `output` with one gathered write, to avoid copying it.
    private var outputBody: [UInt8] = []
    private var outputBodySent = 0

    private var readable = true
    private var writable = true
    private var waiter: UnsafeContinuation<Void, Never>?
    private var interest = Interest.none
    private var deadline: UInt64 = 0
    private var timedOut = false
    /// Waiting for the first byte of a new request: may be closed by a graceful shutdown.
    private var idle = false
    private var shutdownRequested = false
    private var closed = false

    private var keepAlive = true
    private var currentVersion = HTTPVersion.http1_1
    private var currentIsHead = false

    init(fd: Int32, loop: EventLoop) {
        self.fd = fd
        self.loop = loop
        let configuration = loop.core.configuration
        limits = configuration.limits
        timeouts = (
            configuration.timeouts.header.nanoseconds, configuration.timeouts.body.nanoseconds,
            configuration.timeouts.idle.nanoseconds, configuration.timeouts.write.nanoseconds
        )
        input = [UInt8](repeating: 0, count: 4096)
    }

    // MARK: Loop side

    /// Records readiness from epoll (edge-triggered) and resumes a waiting task.
    func handleEvents(_ events: UInt32) {
        if events & (CTRELLIS_EPOLLIN | CTRELLIS_EPOLLRDHUP | CTRELLIS_EPOLLHUP | CTRELLIS_EPOLLERR) != 0 { readable = true }
        if events & (CTRELLIS_EPOLLOUT | CTRELLIS_EPOLLHUP | CTRELLIS_EPOLLERR) != 0 { writable = true }
        if (interest == .read && readable) || (interest == .write && writable) { resume() }
    }

    /// Wakes the task if its deadline has passed.
    func checkDeadline(now: UInt64) {
        if deadline != 0, now >= deadline, waiter != nil {
            timedOut = true
            resume()
        }
    }

    /// During a graceful shutdown: closes the connection now if it is between requests.
    func shutdownIfIdle() {
        shutdownRequested = true
        if idle, waiter != nil { resume() }
    }

    /// At the end of the drain timeout: wakes the task with a failure and closes the socket.
    func forceClose() {
        shutdownRequested = true
        timedOut = true
        resume()
        close()
    }

    private func resume() {
        guard let waiter else { return }
        self.waiter = nil
        interest = .none
        waiter.resume()
    }

    private func wait(for wanted: Interest, deadline: UInt64) async {
        self.deadline = deadline
        interest = wanted
        await withUnsafeContinuation { self.waiter = $0 }
        self.deadline = 0
    }

    // MARK: Task side

    /// Reads, frames and validates the next request. Returns `nil` when the connection should close;
    /// any error response has been written by then.
    @usableFromInline func nextRequest() async -> Request? {
        guard keepAlive, !closed else { return nil }
        if inputStart == inputEnd {
            inputStart = 0
            inputEnd = 0
        }
        var scanner = HeadScanner(
            at: 0,
            maxRequestLineLength: limits.maxRequestLineLength,
            maxHeadLength: limits.maxHeaderBytes
        )
        var headEnd = 0
        var headStart = 0
        var headDeadline: UInt64 = 0
        do {
            scanning: while true {
                let outcome = try input.withUnsafeBufferPointer { buffer throws(ParseError) in
                    try scanner.scan(UnsafeBufferPointer(rebasing: buffer[inputStart..<inputEnd]))
                }
                switch outcome {
                case .complete(let start, let end):
                    headStart = start
                    headEnd = end
                    break scanning
                case .incomplete:
                    break
                }
                if !(await flush()) { return nil }
                let started = scanner.hasStarted || inputEnd > inputStart
                if shutdownRequested && !started { return nil }
                if started && headDeadline == 0 { headDeadline = loop.now + timeouts.header }
                idle = !started
                let result = await readMore(deadline: started ? headDeadline : loop.now + timeouts.idle)
                idle = false
                switch result {
                case .data:
                    continue
                case .timedOut:
                    if started { await fail(ParseError(status: .requestTimeout, message: "Request head not received in time.")) }
                    return nil
                case .endOfStream, .failed, .shutdown:
                    return nil
                }
            }
            let head = try input.withUnsafeBufferPointer { buffer throws(ParseError) in
                try RequestHeadParser.parse(
                    UnsafeBufferPointer(rebasing: buffer[(inputStart + headStart)..<(inputStart + headEnd)]),
                    limits: RequestHeadParser.Limits(
                        maxTargetLength: limits.maxTargetLength,
                        maxHeaderCount: limits.maxHeaderCount,
                        maxBodyLength: limits.maxBodyBytes
                    )
                )
            }
            inputStart += headEnd
            guard let body = try await readBody(head) else { return nil }
            keepAlive = head.keepAlive && !shutdownRequested
            currentVersion = head.version
            currentIsHead = head.method == .head
            return Request(method: head.method, target: head.target, version: head.version, headers: head.headers, body: body)
        } catch {
            await fail(error)
            return nil
        }
    }

    /// Reads the body the head announces, all of it, before the handler runs.
    private func readBody(_ head: RequestHead) async throws(ParseError) -> [UInt8]? {
        switch head.framing {
        case .none:
            return []
        case .length(let length):
            if head.expectsContinue && inputEnd - inputStart < length {
                if !(await sendContinue()) { return nil }
            }
            while inputEnd - inputStart < length {
                switch await readMore(deadline: loop.now + timeouts.body, reserve: length - (inputEnd - inputStart)) {
                case .data: continue
                case .timedOut: throw ParseError(status: .requestTimeout, message: "Request body not received in time.")
                case .endOfStream, .failed, .shutdown: return nil
                }
            }
            let body = Array(input[inputStart..<(inputStart + length)])
            inputStart += length
            return body
        case .chunked:
            if head.expectsContinue && inputEnd == inputStart {
                if !(await sendContinue()) { return nil }
            }
            var decoder = ChunkedDecoder(maxBodyLength: limits.maxBodyBytes, maxTrailerLength: limits.maxHeaderBytes)
            var body: [UInt8] = []
            while true {
                let consumed = try input.withUnsafeBufferPointer { buffer throws(ParseError) in
                    try decoder.decode(UnsafeBufferPointer(rebasing: buffer[inputStart..<inputEnd]), into: &body)
                }
                inputStart += consumed
                if decoder.isDone { return body }
                switch await readMore(deadline: loop.now + timeouts.body) {
                case .data: continue
                case .timedOut: throw ParseError(status: .requestTimeout, message: "Request body not received in time.")
                case .endOfStream, .failed, .shutdown: return nil
                }
            }
        }
    }

    private func sendContinue() async -> Bool {
        output.append(contentsOf: "HTTP/1.1 100 Continue\r\n\r\n".utf8)
        return await flush()
    }

    /// Answers a request that could not be accepted, then stops reading.
    private func fail(_ error: ParseError) async {
        keepAlive = false
        ResponseSerializer.writeError(error, into: &output, date: loop.dateLine())
        _ = await flush()
    }

    /// Reads what is available into the input buffer, waiting (until `deadline`) if nothing is.
    private func readMore(deadline: UInt64, reserve: Int = 0) async -> ReadOutcome {
        makeRoom(atLeast: max(reserve, 1024))
        while true {
            if closed { return .failed }
            if readable {
                let count = input.withUnsafeMutableBytes { raw -> Int in
                    guard let base = raw.baseAddress else { return -1 }
                    return Glibc.read(fd, base + inputEnd, raw.count - inputEnd)
                }
                if count > 0 {
                    // A short read drained the socket: wait for the next edge instead of reading EAGAIN.
                    if inputEnd + count < input.count { readable = false }
                    inputEnd += count
                    return .data
                }
                if count == 0 { return .endOfStream }
                let code = errno
                if code == EINTR { continue }
                guard code == EAGAIN || code == EWOULDBLOCK else { return .failed }
                readable = false
            }
            timedOut = false
            await wait(for: .read, deadline: deadline)
            if timedOut { return .timedOut }
            if closed { return .failed }
            if shutdownRequested && idle { return .shutdown }
        }
    }

    /// Ensures free space after `inputEnd`: compacts consumed bytes away, then grows.
    private func makeRoom(atLeast wanted: Int) {
        if input.count - inputEnd >= wanted { return }
        if inputStart > 0 {
            input.withUnsafeMutableBytes { raw in
                guard let base = raw.baseAddress else { return }
                memmove(base, base + inputStart, inputEnd - inputStart)
            }
            inputEnd -= inputStart
            inputStart = 0
        }
        if input.count - inputEnd < wanted {
            var capacity = input.count
            while capacity - inputEnd < wanted { capacity *= 2 }
            input.append(contentsOf: repeatElement(0, count: capacity - input.count))
        }
    }

    /// Serialises a response; writes it now if the connection closes after it or too much is buffered,
    /// else leaves it for the write that precedes the next read (so pipelined responses go out together).
    @usableFromInline func send(_ response: Response) async {
        guard !closed else { return }
        let (plan, keep) = ResponseSerializer.writeHead(
            response,
            into: &output,
            date: loop.dateLine(),
            requestVersion: currentVersion,
            isHeadRequest: currentIsHead,
            keepAlive: keepAlive && !shutdownRequested
        )
        keepAlive = keep
        switch plan {
        case .none:
            break
        case .bytes(let bytes):
            if bytes.count > 16 * 1024 {
                outputBody = bytes
                outputBodySent = 0
                if !(await flush()) { return }
            } else {
                output.append(contentsOf: bytes)
            }
        case .chunked(let produce):
            let completed = await stream(produce) { connection, bytes in
                ResponseSerializer.appendChunk(bytes, to: &connection.output)
            }
            if completed { output.append(contentsOf: "0\r\n\r\n".utf8) } else { keepAlive = false }
        case .untilClose(let produce):
            _ = await stream(produce) { connection, bytes in connection.output.append(contentsOf: bytes) }
            keepAlive = false
        }
        if !keepAlive || output.count - outputSent > limits.outputHighWatermark {
            _ = await flush()
        }
    }

    /// Runs a streaming body, flushing each piece (so a slow reader holds the producer back).
    private func stream(
        _ produce: @Sendable (ResponseBodyWriter) async throws -> Void,
        append: @escaping @Sendable (Connection, [UInt8]) -> Void
    ) async -> Bool {
        let writer = ResponseBodyWriter { [self] bytes in
            append(self, bytes)
            guard await self.flush() else { throw StreamError.connectionClosed }
        }
        do {
            try await produce(writer)
            return true
        } catch {
            return false
        }
    }

    private enum StreamError: Error { case connectionClosed }

    /// Writes everything buffered, waiting for the socket when it is full (until the write timeout).
    @discardableResult @usableFromInline func flush() async -> Bool {
        var writeDeadline: UInt64 = 0
        while outputSent < output.count || outputBodySent < outputBody.count {
            if closed { return false }
            if writable {
                let written = writeSome()
                if written >= 0 {
                    // Progress: the write timeout measures time between writes, not the whole transfer.
                    writeDeadline = 0
                    continue
                }
                let code = errno
                if code == EINTR { continue }
                guard code == EAGAIN || code == EWOULDBLOCK else {
                    close()
                    return false
                }
                writable = false
            }
            if writeDeadline == 0 { writeDeadline = loop.now + timeouts.write }
            timedOut = false
            await wait(for: .write, deadline: writeDeadline)
            if timedOut {
                close()
                return false
            }
        }
        output.removeAll(keepingCapacity: output.capacity <= 64 * 1024)
        outputSent = 0
        outputBody = []
        outputBodySent = 0
        return true
    }

    /// One `sendmsg` of the buffered head/bytes and the large body after them; returns bytes written or -1.
    private func writeSome() -> Int {
        output.withUnsafeBytes { head in
            outputBody.withUnsafeBytes { body in
                var vectors = (iovec(), iovec())
                var count: Int32 = 0
                withUnsafeMutableBytes(of: &vectors) { raw in
                    let list = raw.bindMemory(to: iovec.self)
                    if outputSent < head.count, let base = head.baseAddress {
                        list[Int(count)] = iovec(
                            iov_base: UnsafeMutableRawPointer(mutating: base + outputSent),
                            iov_len: head.count - outputSent
                        )
                        count += 1
                    }
                    if outputBodySent < body.count, let base = body.baseAddress {
                        list[Int(count)] = iovec(
                            iov_base: UnsafeMutableRawPointer(mutating: base + outputBodySent),
                            iov_len: body.count - outputBodySent
                        )
                        count += 1
                    }
                }
                let written = withUnsafePointer(to: &vectors) {
                    $0.withMemoryRebound(to: iovec.self, capacity: 2) { ctrellis_sendv(fd, $0, count) }
                }
                guard written >= 0 else { return -1 }
                var remaining = written
                let fromHead = min(remaining, head.count - outputSent)
                outputSent += fromHead
                remaining -= fromHead
                outputBodySent += remaining
                return written
            }
        }
    }

    /// Closes the socket (once).
    @usableFromInline func close() {
        guard !closed else { return }
        closed = true
        loop.remove(self)
    }
}
