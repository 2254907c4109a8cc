import Synchronization

/// What one request shares with everything that handles it, beyond its value: the connection's
/// client address, the route pattern the router matched, the cleanups to run after the response
/// and the background tasks to run after those.
///
/// A server keeps one context per connection and reuses it for each request on it, so a request
/// that registers nothing costs no allocation; a request made with `Request(…)` gets its own. Each
/// request holds the generation it was made in, and the generation moves on when the request ends
/// (`Request.end(…)`): a cleanup or task registered through a request that has already ended is run
/// at once instead of joining a later request.
///
/// ```swift
/// request.context.client?.host   // "127.0.0.1"
/// ```
public final class RequestContext: Sendable {
    /// The peer the connection came from, when known.
    public let client: ClientAddress?
    /// Hears about cleanups and tasks registered after their request ended (they run at once).
    let reporter: ErrorReporter
    private let state = Locked(State())
    /// Whether the current request registered a cleanup or a task (read without the lock per request).
    private let hasWork = Atomic<Bool>(false)

    /// A cleanup: runs after the response, with the outcome.
    public typealias Cleanup = @Sendable (RequestOutcome) async throws -> Void
    /// A background task: runs after the cleanups.
    public typealias BackgroundTask = @Sendable () async throws -> Void

    /// The generation of the current request; bumped by `endWithoutWork()` and `finish`.
    private let current = Atomic<UInt64>(1)
    /// The generation `State.route` was recorded for (0: none; generations start at 1).
    private let routeGeneration = Atomic<UInt64>(0)
    /// The two words of `State.route`, for `setRoute`'s check without the lock (both zero, which
    /// no string is, until a route is recorded). Written with the lock held; read without it.
    private let routeLowWord = Atomic<UInt64>(0)
    private let routeHighWord = Atomic<UInt64>(0)

    /// A value recorded for one request: read back only by that request.
    struct Recorded {
        var generation: UInt64 = 0
        var value: String?

        func value(for generation: UInt64) -> String? { self.generation == generation ? value : nil }
    }

    struct State {
        /// The pattern recorded last; it belongs to the request of `routeGeneration`.
        var route: String?
        var requestID = Recorded()
        var cleanups: [Cleanup] = []
        var tasks: [BackgroundTask] = []
    }

    /// A context for the requests of one connection (or one request).
    ///
    /// ```swift
    /// let context = RequestContext()
    /// ```
    package init(client: ClientAddress? = nil, reporter: ErrorReporter = .standardError) {
        self.client = client
        self.reporter = reporter
    }

    /// The generation requests made now belong to.
    @usableFromInline package var generation: UInt64 { current.load(ordering: .acquiring) }

    /// Ends the current request when it registered nothing (`finish` does this otherwise): what is
    /// registered through it from now on no longer joins the connection's next request.
    @usableFromInline package func endWithoutWork() { current.wrappingAdd(1, ordering: .acquiringAndReleasing) }

    // MARK: Route

    /// Records the route pattern that matched (called by the router, once per routed request).
    ///
    /// The requests of a connection mostly repeat their route: when the pattern is the one recorded
    /// last (the same string, compared by its two words), only the generation moves on, in one
    /// atomic store and without the lock (about 100 instructions fewer per request). A reader
    /// holding the lock then sees the same pattern with either generation, both right for it.
    @usableFromInline package func setRoute(_ pattern: String, generation: UInt64) {
        let (low, high) = SmallASCIIString.rawWords(of: pattern)
        if routeLowWord.load(ordering: .relaxed) == low && routeHighWord.load(ordering: .relaxed) == high {
            routeGeneration.store(generation, ordering: .releasing)
            return
        }
        state.withLock { state in
            state.route = pattern
            routeLowWord.store(low, ordering: .relaxed)
            routeHighWord.store(high, ordering: .relaxed)
            routeGeneration.store(generation, ordering: .releasing)
        }
    }

    /// The route pattern matched for the request of `generation`, if routing has happened.
    func route(generation: UInt64) -> String? {
        state.withLock { state in routeGeneration.load(ordering: .acquiring) == generation ? state.route : nil }
    }

    /// Records the request's identifier (called by `RequestID`).
    @usableFromInline package func setRequestID(_ id: String, generation: UInt64) {
        state.withLock { $0.requestID = Recorded(generation: generation, value: id) }
    }

    /// The identifier recorded for the request of `generation`.
    func requestID(generation: UInt64) -> String? {
        state.withLock { $0.requestID.value(for: generation) }
    }

    // MARK: Cleanups and tasks

    /// Registers a cleanup for the request of `generation`; `false` when that request is finished.
    func addCleanup(_ cleanup: @escaping Cleanup, generation: UInt64) -> Bool {
        let added = state.withLock { state in
            guard current.load(ordering: .acquiring) == generation else { return false }
            state.cleanups.append(cleanup)
            return true
        }
        if added { hasWork.store(true, ordering: .releasing) }
        return added
    }

    /// Registers a background task for the request of `generation`; `false` when that request is finished.
    func addTask(_ task: @escaping BackgroundTask, generation: UInt64) -> Bool {
        let added = state.withLock { state in
            guard current.load(ordering: .acquiring) == generation else { return false }
            state.tasks.append(task)
            return true
        }
        if added { hasWork.store(true, ordering: .releasing) }
        return added
    }

    /// Runs work registered through a request that has already ended: at once, in a task of its
    /// own, a throw reported like any cleanup's or background task's.
    func runLate(_ stage: ErrorReport.Stage, method: HTTPMethod, path: String, _ work: @escaping @Sendable () async throws -> Void) {
        let reporter = reporter
        Task {
            do {
                try await work()
            } catch {
                reporter.report(ErrorReport(stage: stage, method: method, path: path, error: error))
            }
        }
    }

    /// Whether the current request has cleanups or background tasks (a cheap check for servers).
    @usableFromInline package var needsFinishing: Bool { hasWork.load(ordering: .acquiring) }

    /// Ends the current request: runs its cleanups in reverse order of registration (each exactly
    /// once; one that throws is reported and the others still run), and hands back its background
    /// tasks for the caller to run once the response is out. Registrations made after this point
    /// for the same request run at once.
    @usableFromInline package func finish(_ outcome: RequestOutcome, method: HTTPMethod, path: String, reporter: ErrorReporter) async
        -> BackgroundWork
    {
        guard hasWork.load(ordering: .acquiring) else {
            endWithoutWork()
            return BackgroundWork(tasks: [], method: method, path: path, requestID: nil)
        }
        let identifier = requestID(generation: current.load(ordering: .acquiring))
        var tasks: [BackgroundTask] = []
        while true {
            // Cleanups may register more cleanups or tasks; keep going until none are left.
            let cleanups: [Cleanup] = state.withLock { state in
                defer { state.cleanups = [] }
                return state.cleanups
            }
            if cleanups.isEmpty { break }
            for cleanup in cleanups.reversed() {
                do {
                    try await cleanup(outcome)
                } catch {
                    reporter.report(ErrorReport(stage: .cleanup, method: method, path: path, error: error, requestID: identifier))
                }
            }
        }
        state.withLock { state in
            tasks = state.tasks
            state.tasks = []
            current.wrappingAdd(1, ordering: .acquiringAndReleasing)
        }
        hasWork.store(false, ordering: .releasing)
        return BackgroundWork(tasks: tasks, method: method, path: path, requestID: identifier)
    }
}

/// The background tasks of a finished request, in the order they were added.
@usableFromInline package struct BackgroundWork: Sendable {
    /// The tasks.
    package let tasks: [RequestContext.BackgroundTask]
    /// The request they belong to (for reports).
    let method: HTTPMethod
    let path: String
    let requestID: String?

    /// Whether there is nothing to run.
    @usableFromInline package var isEmpty: Bool { tasks.isEmpty }

    /// Runs the tasks one after the other; one that throws is reported and the next still runs.
    package func run(reporter: ErrorReporter) async {
        for task in tasks {
            do {
                try await task()
            } catch {
                reporter.report(ErrorReport(stage: .backgroundTask, method: method, path: path, error: error, requestID: requestID))
            }
        }
    }
}
