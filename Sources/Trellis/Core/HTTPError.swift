/// An error that becomes a specific HTTP response: its status, a plain-text message and extra headers.
///
/// Anything else a handler or middleware throws becomes a `500 Internal Server Error` whose body
/// says no more than that, so internal details never reach a client.
///
/// ```swift
/// guard let item = store[id] else { throw HTTPError(.notFound, "No item \(id).") }
/// throw HTTPError(.unauthorized, "Missing token.", headers: [.wwwAuthenticate: "Bearer"])
/// ```
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    /// The response status.
    public var status: HTTPStatus
    /// The plain-text body sent to the client.
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

    /// `"404 Not Found: No item 7."`.
    public var description: String { "\(status): \(message)" }

    /// The response a client receives for this error.
    ///
    /// ```swift
    /// HTTPError(.notFound).response.status // 404
    /// ```
    public var response: Response {
        var response = Response.text(message, status: status)
        for field in headers { response.headers.append(field) }
        return response
    }
}

extension Response {
    /// The response a client receives for `error`: an `HTTPError`'s own response, or a bare 500 for
    /// anything else (the error's text is not sent).
    ///
    /// ```swift
    /// do { response = try await next(input) } catch { response = Response(error: error) }
    /// ```
    public init(error: any Error) {
        if let httpError = error as? HTTPError {
            self = httpError.response
        } else {
            self = Response.text("Internal Server Error", status: .internalServerError)
        }
    }
}
