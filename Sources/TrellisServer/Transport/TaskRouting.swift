import CTrellisThreadLocal
import Synchronization
import Trellis
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps each connection task on its event loop without a task-executor preference.
///
/// A task that *prefers* the loop (`Task(executorPreference:)`) is kept there by the runtime, but
/// every executor check it makes (after each `await` of a closure or a wait, three or four per
/// request) then looks the preference up under the task's status-record lock: about a thousand
/// instructions a request. A connection task has no preference instead:
/// - the loop runs its jobs as the global concurrent executor runs jobs (as the generic executor,
///   with no task executor), so an executor check finds nothing to switch: about sixty
///   instructions;
/// - everything that would send the task to the global concurrent executor (a continuation the
///   loop or a timer resumes, `Task.yield()`, a return from an actor that must enqueue it) goes
///   through `swift_task_enqueueGlobal`, whose hook (the one swift-nio installs to take over the
///   global executor) looks the task up here and puts it on its loop's queue, from any thread;
/// - the one way back it cannot see: a task that ran an actor on another thread (another thread
///   was running the actor when the task called it) returns to nonisolated code on that thread,
///   enqueueing nothing. The handler's code goes on there; the connection comes back before it
///   touches its state (`SocketTransport.returnToLoopIfLeft()`);
/// - the loop names itself in a thread-specific value while it creates a connection task (the hook
///   lists the task as it takes its first job) and while it resumes a continuation (no lookup);
///   a task is removed from the list when it ends.
///
/// ```swift
/// TaskRouting.startTask(on: executor) { await serve(connection) }     // EventLoop, on accept
/// TaskRouting.resuming(on: executor) { waiter.resume() }              // SocketTransport
/// ```
///
/// Every other job goes where it went. Child tasks a handler starts (`async let`, task groups)
/// run on the global concurrent executor; a task of the loop's that must run there
/// (`LoopExecutor.run`) still prefers it. Without the hook (a runtime without the symbol) a
/// connection task prefers its loop, as before.
enum TaskRouting {
    /// `swift_task_enqueueGlobal`'s own implementation, as the hook receives it.
    typealias Original = @convention(thin) (UnownedJob) -> Void
    /// The hook's type (`swift_task_enqueueGlobal_hook`).
    typealias Hook = @convention(thin) (UnownedJob, Original) -> Void

    /// What installing the hook set up. (Unchecked: the slot is the runtime's, written once here
    /// and read by the runtime; `checkInstallation` only reads it.)
    private struct Installation: @unchecked Sendable {
        /// Where the runtime keeps its hook.
        let slot: UnsafeMutablePointer<Hook?>
        /// The hook this one replaced (swift-nio's, say), which gets the jobs this one does not take.
        let previous: Hook?
    }

    /// The connection tasks, by address (a task's first job is the task), and their loops'
    /// executors (retained while listed).
    private static let routes = Locked<[UInt: Unmanaged<LoopExecutor>]>([:])

    /// The generic executor as `runSynchronously` takes it: no identity (a constant, so no
    /// one-time initialisation to check on each use).
    static var genericExecutor: UnownedSerialExecutor { unsafeBitCast((UInt(0), UInt(0)), to: UnownedSerialExecutor.self) }

    /// The hook: a job of a listed task (or of the task a loop is creating or resuming on this
    /// thread) goes to its loop; any other job goes where it went.
    private static let hook: Hook = { job, original in
        guard let installation = TaskRouting.installation else { return original(job) }
        if let executor = TaskRouting.loop(of: job) {
            executor._withUnsafeGuaranteedRef { $0.enqueueRouted(job) }
        } else if let previous = installation.previous {
            previous(job, original)
        } else {
            original(job)
        }
    }

    /// Installs the hook once per process; `nil` when the runtime has none. Where the next job a
    /// thread hands to the global executor goes instead (a loop's executor, with `adopting` set
    /// while the loop creates a connection task) is the thread's `ctrellis_enqueue_target`: set by
    /// the loop around a call that enqueues one of its tasks, read by the hook.
    private static let installation: Installation? = {
        guard let process = dlopen(nil, RTLD_NOW),
            let symbol = dlsym(process, "swift_task_enqueueGlobal_hook")
        else { return nil }
        let slot = symbol.assumingMemoryBound(to: Hook?.self)
        let installation = Installation(slot: slot, previous: slot.pointee)
        slot.pointee = hook
        return installation
    }()

    /// False once another hook replaced this one without passing jobs on to it (swift-nio's
    /// global-executor takeover, installed after the server started): new connection tasks then
    /// prefer their loops. (Tasks already routed would run wherever that hook sends them, off
    /// their loops: take over the global executor before starting a server.)
    private static let isRouting = Atomic<Bool>(true)

    /// Checks that the hook is still the runtime's (`EventLoop.sweep`, every 50 ms).
    static func checkInstallation() {
        guard let installation, isRouting.load(ordering: .relaxed) else { return }
        let current = installation.slot.pointee.map { unsafeBitCast($0, to: UInt.self) }
        if current != unsafeBitCast(hook, to: UInt.self) {
            isRouting.store(false, ordering: .relaxed)
            assertionFailure("swift_task_enqueueGlobal_hook was replaced after the server started; new connections prefer their loops")
        }
    }

    /// The bit of an enqueue target that says the task is being created (it is listed).
    private static let adopting: UInt = 1

    /// The loop a job's task belongs to: the loop that named itself on this thread for it (which
    /// lists the task when it is creating it), or the one listed for it.
    @inline(__always) private static func loop(of job: UnownedJob) -> Unmanaged<LoopExecutor>? {
        if let raw = ctrellis_enqueue_target_get() {
            let target = UInt(bitPattern: raw)
            let executor = Unmanaged<LoopExecutor>.fromOpaque(UnsafeRawPointer(raw) - Int(target & adopting))
            if target & adopting != 0 {
                _ = executor.retain()
                routes.withLock { $0[address(of: job)] = executor }
            }
            return executor
        }
        return routes.withLock { $0[address(of: job)] }
    }

    /// A job's address: for a task's job, the task's.
    private static func address(of job: UnownedJob) -> UInt { UInt(bitPattern: unsafeBitCast(job, to: Int.self)) }

    /// Runs `body`, which enqueues one task of `executor`'s loop (or none), with the loop named as
    /// this thread's enqueue target (`adopting`: the task is being created).
    @inline(__always) private static func enqueueing(
        onto executor: LoopExecutor,
        adopting isAdopting: Bool,
        _ body: () -> Void
    ) {
        let target = UInt(bitPattern: Unmanaged.passUnretained(executor).toOpaque()) | (isAdopting ? adopting : 0)
        ctrellis_enqueue_target_set(UnsafeMutableRawPointer(bitPattern: target))
        body()
        ctrellis_enqueue_target_set(nil)
    }

    /// Calls `resume`, which resumes a continuation of a task of `executor`'s loop (a connection
    /// task, or a task that prefers the loop, which the runtime enqueues there itself), on the
    /// loop's thread: a connection task goes onto the loop's queue without a lookup.
    @inline(__always) static func resuming(on executor: LoopExecutor, _ resume: () -> Void) {
        guard installation != nil else { return resume() }
        enqueueing(onto: executor, adopting: false, resume)
    }

    /// Starts `operation` in a connection task of `executor`'s loop (called on the loop's thread).
    static func startTask(on executor: LoopExecutor, _ operation: @escaping @Sendable () async -> Void) {
        guard installation != nil, isRouting.load(ordering: .relaxed) else {
            Task(executorPreference: executor, operation: operation)
            return
        }
        enqueueing(onto: executor, adopting: true) {
            Task {
                defer { forgetCurrentTask() }
                // The hook took the first job onto the loop; if the runtime enqueued it some other
                // way, the task prefers the loop instead.
                guard executor.isCurrentThread else {
                    await withTaskExecutorPreference(executor) { await operation() }
                    return
                }
                await operation()
            }
        }
    }

    /// Stops routing the calling task (at its end, before its memory can be reused).
    private static func forgetCurrentTask() {
        guard let address = withUnsafeCurrentTask(body: { $0.map { unsafeBitCast($0, to: UInt.self) } }) else { return }
        forget(address)
    }

    /// Stops routing `job`'s task (its loop has stopped: it finishes on the global executor).
    static func forget(_ job: UnownedJob) { forget(address(of: job)) }

    private static func forget(_ address: UInt) {
        routes.withLock { $0.removeValue(forKey: address) }?.release()
    }
}
