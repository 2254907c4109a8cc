/// How a request ended, as its cleanups see it: the status sent, the error the response was made
/// from (if any), and whether the whole response reached the socket.
///
/// ```swift
/// request.addCleanup { outcome in
///     if let error = outcome.error { log("rolled back after \(error)") } else { try await tx.commit() }
/// }
/// ```
public struct RequestOutcome: Sendable {
    /// The status of the response that was sent (or was being sent).
    public let status: HTTPStatus
    /// The error the response was made from: an `HTTPError` or other `HTTPResponseError`, or an
    /// unexpected error that became a 500. `nil` when the handler answered normally.
    public let error: (any Error)?
    /// Whether the whole response was written; `false` when the client went away or the server
    /// stopped before the end.
    public let isComplete: Bool

    /// An outcome.
    ///
    /// ```swift
    /// let outcome = RequestOutcome(status: .ok, error: nil, isComplete: true)
    /// ```
    public init(status: HTTPStatus, error: (any Error)?, isComplete: Bool) {
        self.status = status
        self.error = error
        self.isComplete = isComplete
    }

    /// The outcome of sending `response` (completely or not).
    ///
    /// ```swift
    /// let outcome = RequestOutcome(response: response, isComplete: written)
    /// ```
    public init(response: Response, isComplete: Bool) {
        self.init(status: response.status, error: response.error, isComplete: isComplete)
    }
}
