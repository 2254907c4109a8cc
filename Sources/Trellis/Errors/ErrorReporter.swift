/// Where errors that no client should see in detail are reported: unexpected errors that became a
/// `500`, cleanups that threw and background tasks that failed. By default one line on standard
/// error; give a pipeline your own to send them to a logger or an error tracker.
///
/// ```swift
/// let app = Pipeline(reporter: ErrorReporter { report in logger.error("\(report)") }) {
///     Router { Get("/") { _ in "hi" } }
/// }
/// ```
public struct ErrorReporter: Sendable {
    @usableFromInline let sink: @Sendable (ErrorReport) -> Void

    /// A reporter that hands each report to `sink`.
    ///
    /// ```swift
    /// ErrorReporter { report in print(report) }
    /// ```
    public init(_ sink: @escaping @Sendable (ErrorReport) -> Void) { self.sink = sink }

    /// Reports one error.
    ///
    /// ```swift
    /// reporter.report(ErrorReport(stage: .backgroundTask, method: nil, path: nil, error: error))
    /// ```
    @inlinable public func report(_ report: ErrorReport) { sink(report) }

    /// One line per report on standard error: `Trellis: 500 for GET /items/7: <error>`.
    public static let standardError = ErrorReporter { report in
        var line = "Trellis: \(report)\n"
        line.withUTF8 { StandardError.write(UnsafeRawBufferPointer($0)) }
    }

    /// Drops every report (for tests that provoke errors on purpose).
    public static let discarding = ErrorReporter { _ in }
}

/// One reported error: where in a request's life it happened, which request, and the error.
///
/// ```swift
/// ErrorReporter { report in if report.stage == .handler { alert(report.error) } }
/// ```
public struct ErrorReport: Sendable, CustomStringConvertible {
    /// The part of a request's life an error came from.
    public enum Stage: Sendable, Equatable {
        /// A handler or middleware threw an error with no response of its own; the client got a 500.
        case handler
        /// A cleanup registered with `addCleanup` (or a `Provide` release) threw.
        case cleanup
        /// A background task threw.
        case backgroundTask
        /// The server could not send the response a handler built as it was built: a final status
        /// outside 200…999 (a 500 went out instead), or a stream that wrote less than its declared
        /// length (the connection was closed). A handler bug, never the client's doing.
        case response
    }

    /// Where it happened.
    public let stage: Stage
    /// The request's method, when known.
    public let method: HTTPMethod?
    /// The request's path (without the query), when known.
    public let path: String?
    /// The error.
    public let error: any Error
    /// The request's identifier (`RequestID`), when it has one.
    public let requestID: String?

    /// A report.
    ///
    /// ```swift
    /// ErrorReport(stage: .handler, method: .get, path: "/boom", error: error)
    /// ```
    public init(stage: Stage, method: HTTPMethod?, path: String?, error: any Error, requestID: String? = nil) {
        self.stage = stage
        self.method = method
        self.path = path
        self.error = error
        self.requestID = requestID
    }

    /// `500 for GET /boom: <error>`, `cleanup failed: <error>`, `background task failed: <error>`.
    public var description: String {
        var request = method.map { "\($0) \(path ?? "")" } ?? path ?? "a request"
        if let requestID { request += " (request \(requestID))" }
        switch stage {
        case .handler: return "500 for \(request): \(String(reflecting: error))"
        case .cleanup: return "cleanup failed for \(request): \(String(reflecting: error))"
        case .backgroundTask: return "background task failed for \(request): \(String(reflecting: error))"
        case .response: return "response not sent as built for \(request): \(error)"
        }
    }
}
