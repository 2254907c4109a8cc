import CTrellisLinux
import Glibc
import Synchronization

/// One thread with its own epoll instance, listener and connections. It accepts connections, starts
/// one task per connection on its `LoopExecutor`, runs those tasks' jobs, delivers readiness to
/// the connections and enforces their deadlines.
@usableFromInline final class EventLoop: @unchecked Sendable {
    private static let wakeToken = UInt64.max
    private static let listenerToken = UInt64.max - 1

    let core: ServerCore
    let epollFD: Int32
    let wakeFD: Int32
    private var listener: ListeningSocket?
    private(set) var executor: LoopExecutor!

    // Shared with other threads.
    private let queue = Mutex<[UnownedJob]>([])
    private let sleeping = Atomic<Bool>(false)
    private let stopRequested = Atomic<Bool>(false)

    // Touched only on the loop's own thread.
    private var jobs: [UnownedJob] = []
    private var connections: [Int32: Connection] = [:]
    private(set) var draining = false
    private var drainDeadline: UInt64 = 0
    private var acceptPaused = false
    private var acceptResumeAt: UInt64 = 0
    private var nextSweep: UInt64 = 0
    private var dateCache = HTTPDateCache()
    var now: UInt64 = monotonicNanoseconds()

    init(core: ServerCore, listener: ListeningSocket) throws(ServerError) {
        self.core = core
        self.listener = listener
        epollFD = ctrellis_epoll_create()
        wakeFD = ctrellis_eventfd()
        guard epollFD >= 0, wakeFD >= 0 else { throw .system("epoll_create1/eventfd", errno) }
        _ = ctrellis_epoll_add(epollFD, wakeFD, CTRELLIS_EPOLLIN, Self.wakeToken)
        _ = ctrellis_epoll_add(epollFD, listener.fd, CTRELLIS_EPOLLIN, Self.listenerToken)
        jobs.reserveCapacity(256)
        executor = LoopExecutor(loop: self)
    }

    // MARK: Cross-thread entry points

    /// Queues a job; wakes the loop if it is blocked in `epoll_wait`.
    func enqueue(_ job: UnownedJob) {
        queue.withLock { $0.append(job) }
        if sleeping.exchange(false, ordering: .sequentiallyConsistent) { wake() }
    }

    /// Asks the loop to stop accepting and drain its connections.
    func requestStop() {
        stopRequested.store(true, ordering: .sequentiallyConsistent)
        wake()
    }

    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    // MARK: The loop

    func run() {
        var events = [ctrellis_event](repeating: ctrellis_event(), count: 256)
        while true {
            runJobs()
            now = monotonicNanoseconds()
            if stopRequested.load(ordering: .sequentiallyConsistent) && !draining { beginDrain() }
            if draining {
                if connections.isEmpty { break }
                if now >= drainDeadline {
                    forceCloseAll()
                    break
                }
            }
            sleeping.store(true, ordering: .sequentiallyConsistent)
            let pending = queue.withLock { !$0.isEmpty }
            let timeout: Int32 = pending ? 0 : (connections.isEmpty && !acceptPaused && !draining ? 1000 : 50)
            let count = events.withUnsafeMutableBufferPointer { ctrellis_epoll_wait(epollFD, $0.baseAddress, 256, timeout) }
            sleeping.store(false, ordering: .sequentiallyConsistent)
            now = monotonicNanoseconds()
            if count > 0 {
                for index in 0..<Int(count) { dispatch(events[index]) }
            }
            if now >= nextSweep { sweep() }
        }
        runJobs()
        if let listener {
            close(listener.fd)
            self.listener = nil
        }
        core.loopFinished()
    }

    private func runJobs() {
        // Jobs may enqueue more jobs; run until the queue is empty (bounded so I/O is not starved).
        var rounds = 0
        repeat {
            queue.withLock { swap(&$0, &jobs) }
            if jobs.isEmpty { return }
            let unowned = executor.asUnownedTaskExecutor()
            for job in jobs { job.runSynchronously(on: unowned) }
            jobs.removeAll(keepingCapacity: true)
            rounds += 1
        } while rounds < 16
    }

    private func dispatch(_ event: ctrellis_event) {
        switch event.data {
        case Self.wakeToken:
            var value: UInt64 = 0
            _ = read(wakeFD, &value, 8)
        case Self.listenerToken:
            acceptConnections()
        default:
            connections[Int32(truncatingIfNeeded: event.data)]?.handleEvents(event.events)
        }
    }

    // MARK: Accepting

    private func acceptConnections() {
        guard let listener, !draining, !acceptPaused else { return }
        for _ in 0..<64 {
            guard core.reserveConnection() else {
                pauseAccepting(until: 0)
                return
            }
            let fd = ctrellis_accept(listener.fd)
            if fd < 0 {
                core.releaseConnection()
                switch errno {
                case EAGAIN, EWOULDBLOCK, EINTR, ECONNABORTED, EPROTO:
                    return
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    // Out of descriptors: stop accepting for a moment instead of spinning on a ready listener.
                    pauseAccepting(until: now + 100_000_000)
                    return
                default:
                    return
                }
            }
            _ = ctrellis_set_int_option(fd, Int32(IPPROTO_TCP), CTRELLIS_TCP_NODELAY, 1)
            let connection = Connection(fd: fd, loop: self)
            let events = CTRELLIS_EPOLLIN | CTRELLIS_EPOLLOUT | CTRELLIS_EPOLLRDHUP | CTRELLIS_EPOLLET
            guard ctrellis_epoll_add(epollFD, fd, events, UInt64(UInt32(bitPattern: fd))) == 0 else {
                close(fd)
                core.releaseConnection()
                continue
            }
            connections[fd] = connection
            let serve = core.serve
            Task(executorPreference: executor) { await serve(connection) }
        }
    }

    private func pauseAccepting(until time: UInt64) {
        guard let listener, !acceptPaused else { return }
        _ = ctrellis_epoll_del(epollFD, listener.fd)
        acceptPaused = true
        acceptResumeAt = time
    }

    private func resumeAccepting() {
        guard let listener, acceptPaused, !draining else { return }
        acceptPaused = false
        _ = ctrellis_epoll_add(epollFD, listener.fd, CTRELLIS_EPOLLIN, Self.listenerToken)
        acceptConnections()
    }

    // MARK: Connections

    /// The `Date` header line for this second.
    func dateLine() -> [UInt8] { dateCache.current() }

    /// Closes a connection's socket and forgets it.
    func remove(_ connection: Connection) {
        _ = ctrellis_epoll_del(epollFD, connection.fd)
        close(connection.fd)
        connections[connection.fd] = nil
        core.releaseConnection()
        if acceptPaused, acceptResumeAt == 0 { resumeAccepting() }
    }

    /// Enforces deadlines and resumes paused accepting; runs every 50 ms.
    private func sweep() {
        nextSweep = now + 50_000_000
        if acceptPaused, acceptResumeAt != 0, now >= acceptResumeAt { resumeAccepting() }
        if acceptPaused, acceptResumeAt == 0, core.hasRoom { resumeAccepting() }
        for connection in connections.values { connection.checkDeadline(now: now) }
    }

    private func beginDrain() {
        draining = true
        drainDeadline = now + core.configuration.timeouts.drain.nanoseconds
        if let listener {
            _ = ctrellis_epoll_del(epollFD, listener.fd)
            close(listener.fd)
            self.listener = nil
        }
        for connection in connections.values { connection.shutdownIfIdle() }
    }

    private func forceCloseAll() {
        for connection in Array(connections.values) { connection.forceClose() }
    }
}
