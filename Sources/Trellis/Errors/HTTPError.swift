/// An error that becomes a specific HTTP response: its status, a message and extra headers.
///
/// Anything else a handler or middleware throws (that is not an `HTTPResponseError`) becomes a
/// `500 Internal Server Error` whose body says no more than that, so internal details never reach
/// a client; the pipeline's `ErrorReporter` gets the error.
///
/// ```swift
/// guard let item = store[id] else { throw HTTPError(.notFound, "No item \(id).") }
/// throw HTTPError(.unauthorized, "Missing token.", headers: [.wwwAuthenticate: "Bearer"])
/// ```
public struct HTTPError: HTTPResponseError, Sendable, CustomStringConvertible {
    /// The response status.
    public var status: HTTPStatus
    /// The message sent to the client (plain text, or `{"detail": message}` with JSON error bodies).
    public var message: String
    /// Extra response headers, e.g. `WWW-Authenticate` or `Allow`.
    public var headers: HTTPHeaders

    /// Creates an error; `message` defaults to the status's reason phrase.
    ///
    /// ```swift
    /// throw HTTPError(.badRequest, "Field 'name' is required.")
    /// ```
    public init(_ status: HTTPStatus, _ message: String? = nil, headers: HTTPHeaders = [:]) {
        self.status = status
        self.message = message ?? status.reasonPhrase
        self.headers = headers
    }

    /// The message.
    public var detail: String { message }

    /// `"404 Not Found: No item 7."`.
    public var description: String { "\(status): \(message)" }

    /// The response a client receives for this error (in the current request's error format).
    ///
    /// ```swift
    /// HTTPError(.notFound).response.status // 404
    /// ```
    public var response: Response { Response(error: self) }
}
