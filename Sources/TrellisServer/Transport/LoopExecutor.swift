import Trellis
import Synchronization

/// A job waiting for an event loop, and how the loop runs it.
struct QueuedJob {
    let job: UnownedJob
    /// A job of a connection task, which `TaskRouting` put on the loop: it runs as the generic
    /// executor runs jobs. Otherwise a job of a task that prefers the loop as its task executor.
    let isRouted: Bool
}

/// The jobs waiting for one event loop, shared between the loop's thread and any thread that
/// enqueues. Once the loop has stopped, jobs go to the global concurrent executor instead, so a
/// task that outlives its loop (a handler still running after a forced drain) can still finish.
final class JobQueue: Sendable {
    private struct State {
        var jobs: [QueuedJob] = []
        var stopped = false
    }

    private let state = Locked<State>(State())
    private let sleeping = Atomic<Bool>(false)
    /// Whether `state.jobs` may hold jobs: set under the lock by `enqueue`, cleared under it by
    /// `take`, so that a loop with only local work takes no lock.
    private let hasRemoteJobs = Atomic<Bool>(false)
    private let wakeUp: WakeUpSignal
    /// Jobs enqueued on the loop's own thread (a continuation the loop resumed, a task switching
    /// back to it): that thread is the only one to touch them, so they need no lock.
    @exclusivity(unchecked) nonisolated(unsafe) private var localJobs: [QueuedJob] = []
    nonisolated(unsafe) private var localStopped = false

    init(wakeUp: WakeUpSignal) { self.wakeUp = wakeUp }

    /// Queues a job from the loop's own thread (the caller knows it is on it).
    func enqueueOnLoop(_ job: QueuedJob) {
        if localStopped {
            Self.sendToGlobalExecutor(job)
        } else {
            localJobs.append(job)
        }
    }

    /// Queues a job; wakes the loop if it is blocked in `Poller.wait`.
    func enqueue(_ job: QueuedJob) {
        let queued = state.withLock { state -> Bool in
            guard !state.stopped else { return false }
            state.jobs.append(job)
            hasRemoteJobs.store(true, ordering: .sequentiallyConsistent)
            // Signal inside the lock: after `stop()` the descriptor is closed.
            if sleeping.exchange(false, ordering: .sequentiallyConsistent) { wakeUp.signal() }
            return true
        }
        if !queued { Self.sendToGlobalExecutor(job) }
    }

    /// Hands a job of a stopped loop to the global concurrent executor; a connection task is no
    /// longer routed to the loop first.
    private static func sendToGlobalExecutor(_ job: QueuedJob) {
        if job.isRouted { TaskRouting.forget(job.job) }
        globalConcurrentExecutor.enqueue(job.job)
    }

    /// Wakes the loop (for a stop request).
    func wake() {
        state.withLock { state in if !state.stopped { wakeUp.signal() } }
    }

    /// Moves the waiting jobs into `jobs` (the loop's own array, empty on entry, swapped to avoid
    /// allocating): the loop's own first, then the others. Called on the loop's thread.
    func take(into jobs: inout [QueuedJob]) {
        swap(&localJobs, &jobs)
        if hasRemoteJobs.load(ordering: .sequentiallyConsistent) {
            state.withLock { state in
                jobs.append(contentsOf: state.jobs)
                state.jobs.removeAll(keepingCapacity: true)
                hasRemoteJobs.store(false, ordering: .sequentiallyConsistent)
            }
        }
    }

    /// Whether no job waits (called on the loop's thread, after `setSleeping(true)`: a job enqueued
    /// from elsewhere either is seen here or wakes the poller).
    var isEmpty: Bool { localJobs.isEmpty && !hasRemoteJobs.load(ordering: .sequentiallyConsistent) }

    /// Marks the loop as about to block (enqueuers must wake it) or awake.
    func setSleeping(_ value: Bool) { sleeping.store(value, ordering: .sequentiallyConsistent) }

    /// Stops the queue: later jobs, and any still queued, run on the global concurrent executor.
    func stop() {
        localStopped = true
        let leftover = localJobs + state.withLock { state -> [QueuedJob] in
            state.stopped = true
            defer { state.jobs = [] }
            return state.jobs
        }
        localJobs = []
        for job in leftover { Self.sendToGlobalExecutor(job) }
    }
}

/// Runs the jobs of one event loop's tasks on that loop's thread, between its `Poller.wait` calls:
/// its connection tasks, which `TaskRouting` puts on its queue, and the tasks that prefer it as
/// their `TaskExecutor` (background tasks, a stream written from another task). A handler's
/// `await` suspends only its own connection.
///
/// It holds the loop's queue, not the loop, so a stopped server's loops are freed.
final class LoopExecutor: TaskExecutor, Sendable {
    let queue: JobQueue
    /// The loop's thread, recorded by `runsOnCurrentThread()` before the loop runs any job.
    private let thread = Atomic<UInt>(0)

    init(queue: JobQueue) { self.queue = queue }

    func enqueue(_ job: consuming ExecutorJob) {
        enqueue(QueuedJob(job: UnownedJob(job), isRouted: false))
    }

    /// Queues a job of a connection task (`TaskRouting`'s hook, from any thread).
    func enqueueRouted(_ job: UnownedJob) {
        enqueue(QueuedJob(job: job, isRouted: true))
    }

    private func enqueue(_ job: QueuedJob) {
        if isCurrentThread {
            queue.enqueueOnLoop(job)
        } else {
            queue.enqueue(job)
        }
    }

    /// Records the calling thread as the loop's (called once, when the loop starts).
    func runsOnCurrentThread() { thread.store(PlatformThread.currentID, ordering: .releasing) }

    /// Whether the caller runs on the loop's thread: the check every loop-confined type asserts.
    var isCurrentThread: Bool { thread.load(ordering: .acquiring) == PlatformThread.currentID }

    /// Runs `operation` on the loop's thread (for calls from another task); fails with
    /// `LoopExecutor.Stopped` once the loop has stopped and jobs run elsewhere.
    @concurrent func run<Result: Sendable>(_ operation: @escaping @Sendable () async throws -> Result) async throws -> Result {
        try await withTaskExecutorPreference(self) {
            guard isCurrentThread else { throw Stopped() }
            return try await operation()
        }
    }

    /// The loop has stopped: work can no longer be confined to it.
    struct Stopped: Error, CustomStringConvertible {
        var description: String { "the connection's event loop has stopped" }
    }
}
