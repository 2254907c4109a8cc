extension Request {
    /// The address and port of the peer the request came from (`nil` in-process).
    ///
    /// ```swift
    /// Get("/ip") { request in request.clientAddress?.host ?? "unknown" }
    /// ```
    public var clientAddress: ClientAddress? { context.client }

    /// The pattern of the route that matched, such as `/items/{item_id}`, once the router has
    /// matched one; what an access log or a metrics label wants instead of the raw path. A
    /// middleware above the router reads it after `next` returns.
    ///
    /// ```swift
    /// let response = try await next(input)
    /// metrics.count(input.request.route ?? "unmatched", status: response.status)
    /// ```
    public var route: String? { context.route(generation: generation) }

    /// The request's identifier, once a `RequestID` middleware above has accepted or made one
    /// (also on the response as `X-Request-ID`, in the access log and in error reports).
    ///
    /// ```swift
    /// Get("/") { request in "request \(request.id ?? "-")" }
    /// ```
    public var id: String? { context.requestID(generation: generation) }

    /// The request's background tasks: work that runs after the response has been written, after
    /// every middleware and every cleanup, in the order added.
    ///
    /// ```swift
    /// Post("/signup") { request in
    ///     request.background.add { try await mailer.sendWelcome(to: address) }
    ///     return HTTPStatus.created
    /// }
    /// ```
    public var background: BackgroundTasks { BackgroundTasks(context: context, generation: generation, method: method, path: path) }

    /// Registers `cleanup` to run once the response has passed back out through every middleware
    /// and has been written (or the client went away), in reverse order of registration, exactly
    /// once, with the outcome. A cleanup that throws is reported and changes nothing else. Added
    /// after the request has finished, it runs at once (with an incomplete outcome; a throw is
    /// reported to the server's `ErrorReporter`).
    ///
    /// ```swift
    /// let session = try await pool.open()
    /// request.addCleanup { outcome in await session.close(commit: outcome.error == nil) }
    /// ```
    public func addCleanup(_ cleanup: @escaping RequestContext.Cleanup) {
        guard !context.addCleanup(cleanup, generation: generation) else { return }
        context.runLate(.cleanup, method: method, path: path) {
            try await cleanup(RequestOutcome(status: .internalServerError, error: RequestFinished(), isComplete: false))
        }
    }
}

/// The outcome's error for a cleanup registered after its request had finished.
public struct RequestFinished: Error, CustomStringConvertible {
    /// `"the request had already finished"`.
    public var description: String { "the request had already finished" }
}

/// Adds background tasks to a request: `request.background.add { … }`.
///
/// Tasks run after the response is fully written, after all middleware and cleanups, one after
/// the other in the order added; the next request on the same connection does not wait for
/// them. A failing task is reported to the pipeline's `ErrorReporter`. A server's graceful drain
/// waits for running tasks (up to its drain timeout); `app.test { }` runs them after returning the
/// response and waits for them at its end.
///
/// ```swift
/// request.background.add { await audit.record("deleted \(id)") }
/// ```
public struct BackgroundTasks: Sendable {
    let context: RequestContext
    let generation: UInt64
    let method: HTTPMethod
    let path: String

    /// Adds a task. Added after the request has finished, it starts at once (a throw is reported).
    ///
    /// ```swift
    /// request.background.add { try await cache.refresh() }
    /// ```
    public func add(_ task: @escaping RequestContext.BackgroundTask) {
        guard !context.addTask(task, generation: generation) else { return }
        context.runLate(.backgroundTask, method: method, path: path, task)
    }
}
