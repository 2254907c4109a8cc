import Trellis
import CTrellisSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    /// Nothing to read between requests: the caller parks the connection (`park(_:until:)`)
    /// instead of waiting in its task.
    case idle
}

/// Moves bytes between one connection and its peer over a non-blocking TCP socket watched by its
/// event loop's poller (edge-triggered): owns the input and output buffers, readiness and
/// deadlines. The loop records readiness and expired deadlines through the `ConnectionRegistry`;
/// the connection's task waits for them. The HTTP/1 layer (`HTTP1Connection`) frames messages on
/// top of it and never touches a socket.
///
/// Confinement: every call is made on the loop's thread (asserted in debug builds), except after a
/// forced drain: the loop closes the transport and stops, and the connection's task finishes on
/// the global executor, finding the transport closed.
///
/// The input buffer rests at 4 KiB, grows only as far as one request head or one 64 KiB body read
/// needs, and shrinks back between requests; while the connection waits with nothing unread, its
/// resting buffer goes back to the loop's `InputBufferPool`. The output buffer keeps at most
/// 16 KiB between responses.
final class SocketTransport {
    private enum Interest { case none, read, write, turn }

    static let restingInputSize = 4096
    static let maxReadSize = 64 * 1024
    static let restingOutputCapacity = 16 * 1024
    /// The output buffer's first room: a usual response head (written in place, into at least
    /// `ResponseSerializer.usualHeadCapacity` bytes of spare room) and a small body.
    static let initialOutputCapacity = 1024

    let socket: Socket
    private let services: LoopServices
    private let writeTimeout: UInt64

    // The buffers are touched only on the loop's thread (`isOnItsLoop`), one access at a time:
    // the runtime's exclusivity bookkeeping on them (a thread-local access set per read, write
    // and flush) is switched off.
    @exclusivity(unchecked) private var input: [UInt8]
    private var inputStart = 0
    private var inputEnd = 0
    /// Freed in `deinit`: this transport is its one owner.
    @exclusivity(unchecked) private var output = ByteStorage(initialCapacity: SocketTransport.initialOutputCapacity)
    private var outputSent = 0
    /// A large body written after `output` with one gathered write, to avoid copying it.
    @exclusivity(unchecked) private var outputBody: [UInt8] = []
    private var outputBodySent = 0

    private var readable = true
    /// The peer's close (or a reset) was signalled: a short read does not mean the socket is
    /// drained, since the end of stream after the bytes must still be read. Edge-triggered, that
    /// signal comes once, possibly with the last data; forgetting it would leave the connection
    /// open until a timeout.
    private var hangupSeen = false
    /// The last read filled all the room it had: the client is sending faster than we read.
    private var lastReadFilledBuffer = false
    private var writable = true
    private var waiter: UnsafeContinuation<Void, Never>?
    /// The connection waiting for its next request without a task (`park(_:until:)`), held here
    /// until the loop queues it with the dispatcher.
    @exclusivity(unchecked) private var parked: AnyObject?
    /// The task waiting in `read` between requests is one of the dispatcher's idle workers, which
    /// waits here, on the connection it served last, rather than parking it: a lone connection's
    /// next request resumes the read at once (`ConnectionDispatcher.attach(_:)`).
    private var workerAttached = false
    /// The dispatcher took the attached worker for another connection: `read` returns `.idle`.
    private var workerHandedOff = false
    /// How many times this connection's task has waited for the loop (readiness, a deadline or a
    /// turn): a writer compares it before and after a write to learn whether the loop got a turn.
    private(set) var waits: UInt64 = 0
    private var interest = Interest.none
    /// Bytes read from and written to the socket so far (for `RequestObserver`).
    private(set) var bytesRead = 0
    private(set) var bytesWritten = 0
    private var deadline: UInt64 = 0
    private var timedOut = false
    /// Waiting for the first byte of a new request: may be ended by a graceful shutdown.
    private var idle = false
    private(set) var shutdownRequested = false
    private(set) var isClosed = false

    init(socket: Socket, services: LoopServices, writeTimeout: UInt64) {
        self.socket = socket
        self.services = services
        self.writeTimeout = writeTimeout
        // Taken from the loop's pool at the first read.
        input = []
    }

    deinit { output.deallocate() }

    private static func makeBuffer(count: Int) -> [UInt8] { [UInt8](repeating: 0, count: count) }

    /// Replaces the input buffer with one of `capacity` bytes holding the unread bytes at its start.
    private func moveInput(toCapacity capacity: Int) {
        let unread = inputEnd - inputStart
        var moved = Self.makeBuffer(count: capacity)
        if unread > 0 {
            moved.withUnsafeMutableBytes { target in
                input.withUnsafeBytes { source in
                    if let to = target.baseAddress, let from = source.baseAddress { memcpy(to, from + inputStart, unread) }
                }
            }
        }
        input = moved
        inputStart = 0
        inputEnd = unread
    }

    // MARK: Loop side

    /// Records readiness from the poller and resumes a waiting task.
    func handle(_ readiness: Readiness) {
        if readiness.contains(.readable) { readable = true }
        if readiness.contains(.hangup) { hangupSeen = true }
        if readiness.contains(.writable) { writable = true }
        if (interest == .read && readable) || (interest == .write && writable) { resume() }
    }

    /// Resumes a task that yielded its turn (`yieldTurn()`), once the loop has polled.
    func resumeTurn() {
        if interest == .turn { resume() }
    }

    /// Wakes the task if its deadline has passed.
    func checkDeadline(now: UInt64) {
        if deadline != 0, now >= deadline, waiter != nil || parked != nil {
            timedOut = true
            resume()
        }
    }

    /// During a graceful shutdown: ends the wait of a connection that is between requests.
    func requestShutdown() {
        shutdownRequested = true
        if idle, waiter != nil || parked != nil { resume() }
    }

    /// At the end of the drain timeout: wakes the task with a failure and closes the socket.
    func forceClose() {
        shutdownRequested = true
        timedOut = true
        resume()
        close()
    }

    private func resume() {
        interest = .none
        if let waiter {
            self.waiter = nil
            if workerAttached {
                workerAttached = false
                services.dispatcher.detach(self)
            }
            TaskRouting.resuming(on: services.executor) { waiter.resume() }
        } else if let connection = parked {
            parked = nil
            idle = false
            services.dispatcher.enqueue(connection)
        }
    }

    /// Called by the dispatcher when it needs the idle worker attached here for another connection:
    /// the worker's `read` returns `.idle`, and it parks this connection and takes the queue.
    func handOffWorker() {
        assert(workerAttached, "no idle worker is attached to this connection")
        workerAttached = false
        workerHandedOff = true
        resume()
    }

    /// Leaves `connection` (this transport's owner, which `read` found `.idle`) waiting for its next
    /// request without a task: the loop queues it with its dispatcher when it becomes readable, at
    /// `deadline` (then the next read times out), or when the server drains. Its input buffer is
    /// back in the pool already.
    func park(_ connection: AnyObject, until deadline: UInt64) {
        assert(isOnItsLoop, "SocketTransport used off its event loop")
        waits &+= 1
        parked = connection
        idle = true
        timedOut = false
        self.deadline = deadline
        interest = .read
        services.registry.arm(socket.fd, for: .readable)
        // `read` found the socket drained; readiness recorded since (none, as the loop polls only
        // between jobs) queues the connection at once.
        if readable { resume() }
    }

    private func wait(for wanted: Interest, until deadline: UInt64) async {
        waits &+= 1
        switch wanted {
        case .read: services.registry.arm(socket.fd, for: .readable)
        case .write: services.registry.arm(socket.fd, for: .writable)
        case .none, .turn: break
        }
        self.deadline = deadline
        interest = wanted
        // The continuation that inherits the executor: the isolated `withUnsafeContinuation` makes
        // an executor check before suspending as well as after (two lock-taking runtime lookups
        // per wait instead of one), and this task is on its loop already.
        await _unsafeInheritExecutor_withUnsafeContinuation { self.waiter = $0 }
        self.deadline = 0
    }

    /// Gives the loop a full turn (one poll for readiness, and the jobs of every other connection)
    /// before going on: what a connection that has done a bounded amount of work without waiting
    /// calls, so that it cannot keep the loop from everyone else.
    func yieldTurn() async {
        assert(isOnItsLoop, "SocketTransport used off its event loop")
        guard !isClosed else { return }
        services.registry.requestTurn(for: self)
        await wait(for: .turn, until: 0)
    }

    /// The confinement rule the connection's parts assert: on the loop's thread, or closed (after a
    /// forced drain the connection's task may finish elsewhere, with nothing left to touch).
    var isOnItsLoop: Bool { services.isCurrentThread || isClosed }

    /// Comes back to the loop's thread if the pipeline's code left it (`LoopServices.returnToLoop()`):
    /// what the connection's parts call before they touch their state after user code. One
    /// comparison when the task is home; inlined, as an async call would cost a frame each time.
    @inline(__always) func returnToLoopIfLeft() async {
        if !isOnItsLoop { await services.returnToLoop() }
    }

    // MARK: Input

    /// Bytes received and not yet consumed.
    var unreadCount: Int { inputEnd - inputStart }

    /// Calls `body` with the received, unconsumed bytes.
    func withUnreadBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws(ParseError) -> Result) throws(ParseError) -> Result {
        try input.withUnsafeBufferPointer { buffer throws(ParseError) in
            try body(UnsafeBufferPointer(rebasing: buffer[inputStart..<inputEnd]))
        }
    }

    /// Marks the first `count` unread bytes as consumed.
    func consume(_ count: Int) {
        inputStart += count
        if inputStart == inputEnd {
            inputStart = 0
            inputEnd = 0
        }
    }

    /// Reads more bytes, at most `limit` (and never more than 64 KiB at once), waiting until
    /// `deadline` (monotonic nanoseconds). With `idle` (between requests) it waits only as one of
    /// the dispatcher's idle workers when no other connection is queued; otherwise, or when the
    /// dispatcher needs that worker, it returns `.idle` for the caller to park the connection. It
    /// returns `.shutdown` once the server drains, and `.timedOut` at the idle deadline (a parked
    /// connection's included).
    @inline(__always) func read(limit: Int, deadline: UInt64, idle: Bool) async -> ReadOutcome {
        assert(isOnItsLoop, "SocketTransport used off its event loop")
        let wanted = min(max(limit, 1), Self.maxReadSize)
        // Closed: the task may run off the loop now (after a forced drain), where the pool is not
        // to be touched.
        if isClosed { return .failed }
        if input.isEmpty { input = services.inputBuffers.take() }
        // Grow towards `wanted` only while the client keeps the buffer full: a connection that has
        // announced a large body but sends nothing keeps its resting 4 KiB.
        makeRoom(atLeast: min(wanted, 1024), preferred: lastReadFilledBuffer ? wanted : min(wanted, Self.restingInputSize))
        while true {
            if isClosed { return .failed }
            if readable {
                if input.isEmpty { input = services.inputBuffers.take() }
                let room = min(input.count - inputEnd, wanted)
                let result = input.withUnsafeMutableBytes { raw in
                    socket.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[inputEnd..<(inputEnd + room)]))
                }
                switch result {
                case .transferred(let count):
                    bytesRead &+= count
                    // A short read drained the socket: wait for the next edge instead of reading EAGAIN
                    // (unless the peer has closed: then the next read returns the end of stream).
                    if count < room, !hangupSeen { readable = false }
                    lastReadFilledBuffer = count == room
                    inputEnd += count
                    return .data
                case .endOfStream:
                    return .endOfStream
                case .failed:
                    return .failed
                case .wouldBlock:
                    readable = false
                }
            }
            if shutdownRequested && idle { return .shutdown }
            // Nothing unread: the buffer goes back to the loop while this connection waits.
            if inputEnd == 0, input.count == Self.restingInputSize { services.inputBuffers.giveBack(&input) }
            if idle {
                // Woken from parking by its deadline.
                if timedOut { return .timedOut }
                // No other connection is queued: wait here as an idle worker, or park.
                guard services.dispatcher.attach(self) else { return .idle }
                workerAttached = true
            }
            timedOut = false
            self.idle = idle
            await wait(for: .read, until: deadline)
            self.idle = false
            if workerHandedOff {
                workerHandedOff = false
                return .idle
            }
            if timedOut { return .timedOut }
            if isClosed { return .failed }
        }
    }

    /// Ensures at least `minimum` (ideally `preferred`) free bytes after `inputEnd`: compacts
    /// consumed bytes away first, then grows (to at most what is unread plus one 64 KiB read).
    private func makeRoom(atLeast minimum: Int, preferred: Int) {
        if input.count - inputEnd >= preferred { return }
        if inputStart > 0 {
            input.withUnsafeMutableBytes { raw in
                guard let base = raw.baseAddress else { return }
                memmove(base, base + inputStart, inputEnd - inputStart)
            }
            inputEnd -= inputStart
            inputStart = 0
        }
        if input.count - inputEnd >= preferred { return }
        if input.count - inputEnd < minimum || input.count < Self.maxReadSize {
            var capacity = input.count
            while capacity - inputEnd < preferred { capacity *= 2 }
            moveInput(toCapacity: capacity)
        }
    }

    /// Shrinks the input buffer back to its resting size once a message is done.
    func rest() {
        lastReadFilledBuffer = false
        if input.count > Self.restingInputSize, inputEnd - inputStart <= Self.restingInputSize {
            moveInput(toCapacity: Self.restingInputSize)
            services.registry.noteMemoryReleased()
        }
    }

    // MARK: Output

    /// Appends bytes to the output buffer.
    func append<Bytes: Sequence<UInt8>>(_ bytes: Bytes) { output.append(contentsOf: bytes) }

    /// Lets `body` append to the output buffer in place.
    func withOutput<Result>(_ body: (inout ByteStorage) -> Result) -> Result { body(&output) }

    /// Queues a large body to be written after the buffered output without copying it.
    func appendLarge(_ bytes: [UInt8]) {
        if outputBodySent < outputBody.count {
            // One large body is already queued: fall back to copying.
            bytes.withUnsafeBufferPointer { output.append(contentsOf: $0) }
        } else {
            outputBody = bytes
            outputBodySent = 0
        }
    }

    /// Bytes buffered and not yet written.
    var pendingOutputCount: Int { (output.count - outputSent) + (outputBody.count - outputBodySent) }

    /// Writes everything buffered, waiting for the peer (until the write timeout between writes).
    /// `false` when the connection failed or timed out (it is closed then).
    @inline(__always) func flush() async -> Bool {
        assert(isOnItsLoop, "SocketTransport used off its event loop")
        // Sent without waiting (the usual case): no async call, so no frame for one.
        if let sent = flushWithoutWaiting() { return sent }
        return await flushWaiting()
    }

    /// Writes what the socket takes now: `true` when everything went, `false` when the connection
    /// failed, `nil` when the rest must wait for the peer.
    private func flushWithoutWaiting() -> Bool? {
        while outputSent < output.count || outputBodySent < outputBody.count {
            if isClosed { return false }
            guard writable else { return nil }
            switch writeSome() {
            case .transferred:
                continue
            case .wouldBlock, .endOfStream:
                writable = false
                return nil
            case .failed:
                close()
                return false
            }
        }
        resetOutput()
        return true
    }

    /// `flush()` once the socket has stopped taking bytes: waits for room (until the write
    /// timeout, which measures the time between writes, not the whole transfer), writes, again.
    private func flushWaiting() async -> Bool {
        var writeDeadline: UInt64 = 0
        while true {
            if writeDeadline == 0 { writeDeadline = services.clock.now + writeTimeout }
            timedOut = false
            await wait(for: .write, until: writeDeadline)
            if timedOut {
                close()
                return false
            }
            let sentBefore = outputSent + outputBodySent
            if let sent = flushWithoutWaiting() { return sent }
            if outputSent + outputBodySent != sentBefore { writeDeadline = 0 }
        }
    }

    /// Forgets the sent output; a large buffer is let go rather than kept.
    private func resetOutput() {
        output.removeAll(keepingAtMost: Self.restingOutputCapacity)
        outputSent = 0
        outputBody = []
        outputBodySent = 0
    }

    /// One gathered write of the buffered bytes and the large body after them.
    private func writeSome() -> IOResult {
        let head = output.written
        return outputBody.withUnsafeBytes { body in
            var vectors = (iovec(), iovec())
            var count: Int32 = 0
            withUnsafeMutableBytes(of: &vectors) { raw in
                let list = raw.bindMemory(to: iovec.self)
                if outputSent < head.count, let base = head.baseAddress {
                    list[Int(count)] = iovec(iov_base: UnsafeMutableRawPointer(mutating: base + outputSent), iov_len: head.count - outputSent)
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
            let result = withUnsafePointer(to: &vectors) {
                $0.withMemoryRebound(to: iovec.self, capacity: 2) { socket.write($0, count: count) }
            }
            if case .transferred(let written) = result {
                bytesWritten &+= written
                let fromHead = min(written, head.count - outputSent)
                outputSent += fromHead
                outputBodySent += written - fromHead
            }
            return result
        }
    }

    // MARK: Closing

    /// Sends end of stream to the peer but keeps reading (for a lingering close).
    func shutdownOutput() { socket.shutdownWrite() }

    /// Closes the connection (once): leaves the loop's registry, then closes the descriptor.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        services.registry.remove(socket.fd)
        socket.close()
    }

    /// The connected peer's address.
    func peerAddress() -> ClientAddress? {
        socket.peerAddress().map { ClientAddress(host: $0.host, port: $0.port) }
    }
}
