import Synchronization

/// What a connection needs from the event loop that runs it, handed down as one value when the
/// connection is made: the loop's clock, its executor (to run on its thread and to check that
/// confined state is touched only there), the registry a closing transport leaves, the pool of
/// read buffers between requests, and the count of background tasks a drain waits for. The
/// transport and HTTP layers see this, never the loop.
struct LoopServices: Sendable {
    /// Loop-confined; read on the loop's thread only.
    nonisolated(unsafe) let clock: LoopClock
    let executor: LoopExecutor
    /// Loop-confined; used on the loop's thread only.
    nonisolated(unsafe) let registry: ConnectionRegistry
    /// Loop-confined; the read buffers of connections between requests.
    nonisolated(unsafe) let inputBuffers: InputBufferPool
    /// Loop-confined; hands connections ready for their next request to the loop's workers.
    nonisolated(unsafe) let dispatcher: ConnectionDispatcher
    /// Background tasks of finished requests still running (a drain waits for them).
    let backgroundTasks: BackgroundTaskCount

    /// Whether the caller runs on the loop's thread.
    var isCurrentThread: Bool { executor.isCurrentThread }

    /// Brings the calling connection task back to the loop's thread after the pipeline's code left
    /// it. `TaskRouting` catches every way back that enqueues the task, but not the return from
    /// an actor that ran elsewhere: an actor that another thread is running when the task calls
    /// it takes the task into its queue and runs it on that thread (or on a thread of the global
    /// pool), and when the task returns to nonisolated code the runtime keeps that thread rather
    /// than enqueueing it. The handler's own code may go on there; the connection's code calls
    /// this (after a check: `SocketTransport.returnToLoopIfLeft()`) before it touches the
    /// connection. Once the loop has stopped, the task stays where it is (its transport is closed).
    ///
    /// ```swift
    /// if !isOnItsLoop { await services.returnToLoop() }     // SocketTransport
    /// ```
    func returnToLoop() async {
        _ = try? await executor.run {}
    }
}

/// Counts the background tasks a loop has started and not yet finished.
final class BackgroundTaskCount: Sendable {
    private let count = Atomic<Int>(0)
    private let queue: JobQueue

    init(queue: JobQueue) { self.queue = queue }

    var isZero: Bool { count.load(ordering: .acquiring) == 0 }

    func started() { count.wrappingAdd(1, ordering: .acquiringAndReleasing) }

    /// One finished: wakes the loop, which may be draining and waiting for the last one.
    func finished() {
        count.wrappingSubtract(1, ordering: .acquiringAndReleasing)
        queue.wake()
    }
}
