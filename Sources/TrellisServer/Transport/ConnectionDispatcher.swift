import Synchronization

/// Hands an event loop's connections to the loop's few worker tasks, as nginx hands its connections
/// to one process: a connection waiting for its next request holds no task. When the connection
/// becomes readable (or its idle deadline passes, or the server drains), the loop queues it here
/// and a worker serves it until it would wait for a request again (it is parked then:
/// `SocketTransport.park`) or closes. A worker waiting in the middle of a request (a body, a slow handler, a full socket)
/// keeps its connection; the queue is then served by another worker, started when none is idle.
/// An idle worker waits in the read of the connection it served last (`attach(_:)`), so a lone
/// connection's next request goes on without the queue; the loop hands it over when another
/// connection is queued first.
///
/// Why: a task's frames (the whole pipeline, inlined into one async frame of a few KiB) belong to
/// the task. With a task per connection, 1,024 busy connections touch 1,024 such frames in turn, out
/// of the core's cache; with workers, the requests of every connection run in the frames of one or
/// two tasks that stay warm. Loop thread only.
///
/// ```swift
/// dispatcher.enqueue(connection)              // the loop: readable, timed out or draining
/// dispatcher.scheduleWorker()                 // the loop: after its events, wakes or starts a worker
/// let next = dispatcher.takeQueued()          // a worker: the next queued connection, if any,
/// let woken = await dispatcher.waitForNext()  // else the one it is woken with, or nil to end
/// if dispatcher.attach(transport) { … }       // or, between requests, idle in its last read
/// ```
final class ConnectionDispatcher {
    /// Starts a worker task that serves `connection` first (set by the loop, which knows how to serve).
    var startWorker: (AnyObject) -> Void = { _ in }
    /// The most workers kept waiting for work; a worker that finds the queue empty beyond them ends,
    /// so a burst of slow requests returns its tasks' memory.
    let maxIdleWorkers: Int
    private let executor: LoopExecutor

    // Loop-confined, and never accessed across a call that could reach them again: without the
    // runtime's exclusivity bookkeeping.
    /// The queued connections, first in first out: `queuedCount` of them from `start`, in a ring of
    /// `capacity` slots (a power of two) that doubles when full.
    @exclusivity(unchecked) private var slots: UnsafeMutablePointer<Unmanaged<AnyObject>>
    @exclusivity(unchecked) private var capacity = 256
    @exclusivity(unchecked) private var start = 0
    @exclusivity(unchecked) private var queuedCount = 0
    /// An idle worker: waiting here for a connection, or waiting in the read of the connection it
    /// served last (`attach(_:)`).
    private enum IdleWorker {
        case waiting(UnsafeContinuation<Handoff, Never>)
        case attached(SocketTransport)
    }
    /// Idle workers, the most recent last (woken first: its frames are the warmest).
    @exclusivity(unchecked) private var idle: [IdleWorker] = []
    /// A worker was woken or started since the loop last ran its jobs: it takes the whole queue
    /// unless it waits mid-request, which the loop learns after running its jobs.
    @exclusivity(unchecked) private var workerScheduled = false
    @exclusivity(unchecked) private var retired = false
    /// Worker tasks alive (serving, waiting mid-request or idle); read from any thread (the tests).
    private let liveWorkers = Atomic<Int>(0)
    var workers: Int { liveWorkers.load(ordering: .relaxed) }

    /// A connection handed to a worker. Confinement: it is made on the loop's thread and the worker
    /// resumes on that thread (`TaskRouting.resuming(on:)`), so the connection never crosses
    /// threads; `waitForNext()` asserts it in debug builds.
    private struct Handoff: @unchecked Sendable { let connection: AnyObject? }

    init(executor: LoopExecutor, maxIdleWorkers: Int = 4) {
        self.executor = executor
        self.maxIdleWorkers = maxIdleWorkers
        slots = .allocate(capacity: capacity)
    }

    deinit {
        while takeQueued() != nil {}
        slots.deallocate()
    }

    var hasQueued: Bool { queuedCount > 0 }

    /// Queues a parked connection that has work (or must learn that it timed out or must close).
    func enqueue(_ connection: AnyObject) {
        assert(executor.isCurrentThread, "ConnectionDispatcher used off its event loop")
        if queuedCount == capacity { grow() }
        (slots + ((start + queuedCount) & (capacity - 1))).initialize(to: .passRetained(connection))
        queuedCount += 1
    }

    private func grow() {
        let larger = UnsafeMutablePointer<Unmanaged<AnyObject>>.allocate(capacity: capacity * 2)
        for index in 0..<queuedCount { (larger + index).initialize(to: slots[(start + index) & (capacity - 1)]) }
        slots.deallocate()
        slots = larger
        capacity *= 2
        start = 0
    }

    /// The first queued connection, if any: what a worker takes without waiting.
    func takeQueued() -> AnyObject? {
        guard queuedCount > 0 else { return nil }
        let connection = slots[start].takeRetainedValue()
        start = (start + 1) & (capacity - 1)
        queuedCount -= 1
        return connection
    }

    /// Called by the loop after its events: if connections wait and no worker is on its way, wakes
    /// the most recent idle worker with the first of them, or starts a worker.
    func scheduleWorker() {
        guard !workerScheduled, !retired, queuedCount > 0 else { return }
        workerScheduled = true
        switch idle.popLast() {
        case .waiting(let worker):
            guard let connection = takeQueued() else { return }
            TaskRouting.resuming(on: executor) { worker.resume(returning: Handoff(connection: connection)) }
        case .attached(let transport):
            // The worker parks the connection it waited on and takes the queue.
            transport.handOffWorker()
        case nil:
            guard let connection = takeQueued() else { return }
            liveWorkers.wrappingAdd(1, ordering: .relaxed)
            startWorker(connection)
        }
    }

    /// A worker about to wait in `transport`'s read between requests asks to wait there as an idle
    /// worker: granted when no connection is queued (it would take that one instead) and fewer than
    /// `maxIdleWorkers` are idle. While it waits, the connection's own next request resumes it
    /// directly (`detach(_:)`), and the dispatcher may take it for another connection
    /// (`SocketTransport.handOffWorker()`).
    func attach(_ transport: SocketTransport) -> Bool {
        guard !retired, queuedCount == 0, idle.count < maxIdleWorkers else { return false }
        idle.append(.attached(transport))
        return true
    }

    /// The worker attached to `transport` was woken by its own connection (readable, timed out,
    /// closed): it is no longer idle, and it will take the queue after that request, as a worker
    /// woken by the loop does.
    func detach(_ transport: SocketTransport) {
        guard let index = idle.lastIndex(where: { if case .attached(let other) = $0 { other === transport } else { false } }) else { return }
        idle.remove(at: index)
        workerScheduled = true
    }

    /// Called by the loop after running its jobs: the scheduled worker has run, so connections still
    /// queued wait behind a worker that waits mid-request; another one takes them.
    func jobsRan() {
        workerScheduled = false
        scheduleWorker()
    }

    /// A worker's next connection when none is queued (`takeQueued()` first): the one the loop wakes
    /// it with, while fewer than `maxIdleWorkers` wait; `nil` when the worker should end.
    func waitForNext() async -> AnyObject? {
        guard !retired, idle.count < maxIdleWorkers else {
            liveWorkers.wrappingSubtract(1, ordering: .relaxed)
            return nil
        }
        // The continuation that inherits the executor: this worker is on its loop already (see
        // `SocketTransport.wait`).
        let connection = await _unsafeInheritExecutor_withUnsafeContinuation { idle.append(.waiting($0)) }.connection
        assert(executor.isCurrentThread, "a worker was handed a connection off its event loop")
        if connection == nil { liveWorkers.wrappingSubtract(1, ordering: .relaxed) }
        return connection
    }

    /// When the loop stops: ends the idle workers (they run once more with the loop's last jobs) and
    /// forgets the queue (its connections are closed).
    func retireAll() {
        retired = true
        while takeQueued() != nil {}
        let waiting = idle
        idle.removeAll()
        for worker in waiting {
            switch worker {
            case .waiting(let worker): TaskRouting.resuming(on: executor) { worker.resume(returning: Handoff(connection: nil)) }
            case .attached(let transport): transport.handOffWorker()
            }
        }
    }
}
