import CTrellisSystem
import Trellis
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// One thread with its own poller, listener and connections. It accepts connections, makes an
/// `HTTP1Connection` for each and starts its task on the `LoopExecutor`, runs those tasks' jobs,
/// delivers readiness to the transports through its `ConnectionRegistry` and enforces deadlines.
/// It is the top of the server's layers: it calls down into them and nothing calls back up; what a
/// connection needs from it travels down as `LoopServices`.
///
/// Confinement: `run()` owns the loop's state on the loop's thread; from other threads only
/// `requestStop()` (atomic flag and wake-up) and `discard()` (before `run()`) are called.
final class EventLoop: @unchecked Sendable {
    private static let wakeToken = UInt64.max
    private static let listenerToken = UInt64.max - 1

    let core: ServerCore
    private let executor: LoopExecutor
    private let queue: JobQueue
    private let poller: Poller
    private let wakeUp: WakeUpSignal
    private var listener: SharedListener?
    /// Set from any thread by `requestStop()`.
    private let stopRequested = Atomic<Bool>(false)
    private let services: LoopServices
    private let connectionConfiguration: HTTP1Configuration
    private let dates = HTTPDateCache()

    // Touched only on the loop's own thread (so without the runtime's exclusivity bookkeeping).
    @exclusivity(unchecked) private var jobs: [QueuedJob] = []
    private var registry: ConnectionRegistry { services.registry }
    private var clock: LoopClock { services.clock }
    private var draining = false
    private var drainDeadline: UInt64 = 0
    private var acceptPaused = false
    private var acceptResumeAt: UInt64 = 0
    private var nextSweep: UInt64 = 0
    /// No trim before this time (the registry records whether memory was freed since the last).
    private var nextTrim: UInt64 = 0
    private var now: UInt64 { clock.now }

    init(core: ServerCore, listener: SharedListener) throws(ServerError) {
        self.core = core
        self.listener = listener
        poller = try Poller(kind: core.configuration.eventBackend)
        do {
            wakeUp = try WakeUpSignal()
        } catch {
            poller.close()
            throw error
        }
        queue = JobQueue(wakeUp: wakeUp)
        executor = LoopExecutor(queue: queue)
        let dispatcher = ConnectionDispatcher(executor: executor)
        services = LoopServices(
            clock: LoopClock(),
            executor: executor,
            registry: ConnectionRegistry(poller: poller),
            inputBuffers: InputBufferPool(bufferSize: SocketTransport.restingInputSize),
            dispatcher: dispatcher,
            backgroundTasks: BackgroundTaskCount(queue: queue)
        )
        connectionConfiguration = HTTP1Configuration(core.configuration)
        _ = poller.register(input: wakeUp.fd, token: Self.wakeToken)
        _ = watch(listener)
        jobs.reserveCapacity(256)
        let serve = core.serve
        let executor = executor
        dispatcher.startWorker = { connection in
            let first = unsafeDowncast(connection, to: HTTP1Connection.self)
            TaskRouting.startTask(on: executor) { await serve(first) }
        }
    }

    /// Worker tasks alive on this loop (readable from any thread).
    var workerCount: Int { services.dispatcher.workers }

    /// Asks the loop to stop accepting and drain its connections (from any thread).
    func requestStop() {
        stopRequested.store(true, ordering: .sequentiallyConsistent)
        queue.wake()
    }

    /// Starts watching the listener (exclusively when other loops watch it too).
    private func watch(_ listener: SharedListener) -> Bool {
        listener.isShared
            ? poller.register(sharedListener: listener.socket.fd, token: Self.listenerToken)
            : poller.register(input: listener.socket.fd, token: Self.listenerToken)
    }

    /// Stops watching the listener for good (closed by the last loop that lets go of it).
    private func letGoOfListener() {
        guard let listener else { return }
        if !acceptPaused { poller.deregister(listener.socket.fd) }
        listener.release()
        self.listener = nil
    }

    /// Closes the descriptors of a loop that never ran (a later loop failed to start).
    func discard() {
        letGoOfListener()
        queue.stop()
        poller.close()
        wakeUp.close()
    }

    // MARK: The loop

    func run() {
        executor.runsOnCurrentThread()
        var events = [Poller.Event](repeating: Poller.Event(token: 0, readiness: []), count: 256)
        var raw = [ctrellis_event](repeating: ctrellis_event(), count: 256)
        while true {
            runJobs()
            services.dispatcher.jobsRan()
            clock.advance()
            releaseClosedConnections()
            if stopRequested.load(ordering: .sequentiallyConsistent) && !draining { beginDrain() }
            if draining {
                if registry.isEmpty && services.backgroundTasks.isZero { break }
                if now >= drainDeadline {
                    forceCloseAll()
                    break
                }
            }
            queue.setSleeping(true)
            let timeout: Int32 =
                !queue.isEmpty || registry.hasPendingTurns || services.dispatcher.hasQueued ? 0 : (registry.isEmpty && !acceptPaused && !draining ? 1000 : 50)
            let count = poller.wait(into: &events, raw: &raw, timeout: timeout)
            queue.setSleeping(false)
            clock.advance()
            for index in 0..<count { dispatch(events[index]) }
            registry.resumeTurns()
            if now >= nextSweep { sweep() }
            services.dispatcher.scheduleWorker()
        }
        services.dispatcher.retireAll()
        runJobs()
        letGoOfListener()
        queue.stop()
        poller.close()
        wakeUp.close()
        core.loopFinished()
    }

    private func runJobs() {
        // Jobs may enqueue more jobs; run until the queue is empty (bounded so I/O is not starved).
        var rounds = 0
        repeat {
            queue.take(into: &jobs)
            if jobs.isEmpty { return }
            let unowned = executor.asUnownedTaskExecutor()
            for queued in jobs {
                if queued.isRouted {
                    queued.job.runSynchronously(on: TaskRouting.genericExecutor)
                } else {
                    queued.job.runSynchronously(on: unowned)
                }
            }
            jobs.removeAll(keepingCapacity: true)
            rounds += 1
        } while rounds < 16
    }

    private func dispatch(_ event: Poller.Event) {
        switch event.token {
        case Self.wakeToken:
            wakeUp.drain()
        case Self.listenerToken:
            acceptConnections()
        default:
            registry.transport(for: Int32(truncatingIfNeeded: event.token))?.handle(event.readiness)
        }
    }

    // MARK: Accepting

    private func acceptConnections() {
        assert(executor.isCurrentThread, "EventLoop state touched off its thread")
        guard let listener, !draining, !acceptPaused else { return }
        for _ in 0..<64 {
            guard core.reserveConnection() else {
                core.configuration.events.send(.connectionLimitReached(core.configuration.maxConnections))
                pauseAccepting(until: 0)
                return
            }
            let socket: Socket
            switch listener.socket.accept() {
            case .accepted(let accepted):
                socket = accepted
            case .wouldBlock:
                core.releaseConnection()
                return
            case .outOfResources(let code):
                core.releaseConnection()
                core.configuration.events.send(.acceptFailed(errno: code))
                // Out of descriptors: stop accepting for a moment instead of spinning on a ready listener.
                pauseAccepting(until: now + 100_000_000)
                return
            }
            socket.setNoDelay()
            guard poller.register(connection: socket.fd, token: UInt64(UInt32(bitPattern: socket.fd))) else {
                socket.close()
                core.releaseConnection()
                continue
            }
            let transport = SocketTransport(socket: socket, services: services, writeTimeout: connectionConfiguration.writeTimeout)
            registry.add(transport)
            let connection = HTTP1Connection(
                transport: transport,
                services: services,
                configuration: connectionConfiguration,
                dates: dates,
                reporter: core.reporter
            )
            services.dispatcher.enqueue(connection)
        }
    }

    private func pauseAccepting(until time: UInt64) {
        guard let listener, !acceptPaused else { return }
        poller.deregister(listener.socket.fd)
        acceptPaused = true
        acceptResumeAt = time
    }

    private func resumeAccepting() {
        guard let listener, acceptPaused, !draining else { return }
        acceptPaused = false
        _ = watch(listener)
        acceptConnections()
    }

    // MARK: Connections

    /// Gives the connections that closed since the last iteration back to the server's count, and
    /// resumes accepting if the limit had paused it.
    private func releaseClosedConnections() {
        let closed = registry.takeClosedCount()
        guard closed > 0 else { return }
        core.releaseConnections(closed)
        if acceptPaused, acceptResumeAt == 0 { resumeAccepting() }
    }

    /// Enforces deadlines and resumes paused accepting; runs every 50 ms. At most once a second,
    /// after connections closed or shrank their buffers, returns free heap pages to the system so
    /// the resident size falls back after a burst.
    private func sweep() {
        assert(executor.isCurrentThread, "EventLoop state touched off its thread")
        nextSweep = now + 50_000_000
        if now >= nextTrim, registry.takeMemoryReleased() {
            nextTrim = now + 1_000_000_000
            releaseFreeMemory()
        }
        if acceptPaused, acceptResumeAt != 0, now >= acceptResumeAt { resumeAccepting() }
        if acceptPaused, acceptResumeAt == 0, core.hasRoom { resumeAccepting() }
        registry.forEach { $0.checkDeadline(now: now) }
        TaskRouting.checkInstallation()
    }

    private func beginDrain() {
        draining = true
        drainDeadline = now + core.configuration.timeouts.drain.nanoseconds
        letGoOfListener()
        for transport in registry.all { transport.requestShutdown() }
    }

    private func forceCloseAll() {
        for transport in registry.all { transport.forceClose() }
    }
}
