/// An error that knows the response a client should get for it: its status, extra headers and a
/// human-readable detail. Throw one anywhere in a pipeline; `next` hands its response back to the
/// middleware above, as FastAPI's `call_next` returns the response of an `HTTPException`.
///
/// `HTTPError` is one conformer; a user's own error type conforms the same way. The body is the
/// detail as plain text, or `{"detail": "…"}` when the pipeline asks for JSON error bodies
/// (`Pipeline(errorFormat: .json)`); implement `response(format:)` to write any other body.
///
/// ```swift
/// struct OutOfStock: HTTPResponseError {
///     let sku: String
///     var status: HTTPStatus { .conflict }
///     var detail: String { "\(sku) is out of stock." }
/// }
/// Get("/buy/{sku}") { request in throw OutOfStock(sku: try request.parameters.require("sku")) }
/// ```
public protocol HTTPResponseError: Error {
    /// The response status.
    var status: HTTPStatus { get }
    /// Extra response headers (e.g. `WWW-Authenticate`); none by default.
    var headers: HTTPHeaders { get }
    /// What went wrong, for the client; the status's reason phrase by default.
    var detail: String { get }
    /// The response for this error; by default the detail as plain text or `{"detail": "…"}`, plus `headers`.
    func response(format: ErrorFormat) -> Response
}

extension HTTPResponseError {
    /// No extra headers.
    public var headers: HTTPHeaders { [:] }
    /// The status's reason phrase.
    public var detail: String { status.reasonPhrase }

    /// The detail in `format`, with `status` and `headers`.
    ///
    /// ```swift
    /// HTTPError(.notFound).response(format: .json).status // 404, body {"detail":"Not Found"}
    /// ```
    public func response(format: ErrorFormat) -> Response {
        var response = format.body(detail: detail, status: status)
        for field in headers { response.headers.append(field) }
        return response
    }
}

/// How error responses spell their body: plain text (the default) or FastAPI's `{"detail": "…"}`.
///
/// Choose it for a whole pipeline with `Pipeline(errorFormat: .json) { … }`.
///
/// ```swift
/// ErrorFormat.json.body(detail: "No such item.", status: .notFound).status // 404
/// ```
public enum ErrorFormat: Sendable, Equatable {
    /// `text/plain; charset=utf-8` with the detail as the body.
    case plainText
    /// `application/json` with `{"detail": "…"}`.
    case json

    /// The format error responses use in the current request (set by `Pipeline` around each request).
    @TaskLocal public static var current: ErrorFormat = .plainText

    /// A response with `detail` as its body in this format.
    ///
    /// ```swift
    /// let response = ErrorFormat.current.body(detail: "Try later.", status: .serviceUnavailable)
    /// ```
    public func body(detail: String, status: HTTPStatus) -> Response {
        switch self {
        case .plainText:
            return Response.text(detail, status: status)
        case .json:
            let bytes = (try? JSONWriter.encode(Detail(detail: detail))) ?? Array(#"{"detail":"error"}"#.utf8)
            return Response(status: status, headers: [.contentType: "application/json"], body: .bytes(bytes))
        }
    }

    private struct Detail: Encodable {
        let detail: String
    }
}

extension Response {
    /// The response a client receives for `error`: the error's own response when it is an
    /// `HTTPResponseError`, else a bare `500 Internal Server Error` (the error's text is not sent).
    /// The response remembers the error (`response.error`) for cleanups, `Recover` and the reporter.
    ///
    /// ```swift
    /// do { response = try await next(input) } catch { response = Response(error: error) }
    /// ```
    public init(error: any Error) {
        if let rendered = error as? any HTTPResponseError {
            self = rendered.response(format: ErrorFormat.current)
        } else {
            self = ErrorFormat.current.body(detail: "Internal Server Error", status: .internalServerError)
        }
        self.error = error
    }

    /// The error this response was made from, if any (set by `Response(error:)`).
    ///
    /// ```swift
    /// if let error = response.error as? PaymentError { … }
    /// ```
    public var error: (any Error)? {
        get { failure?.error }
        set { failure = ErrorBox(error: newValue, representation: failure?.representation) }
    }

    /// Whether this response stands for an error that has no response of its own (a 500 the
    /// error reporter hears about).
    public var isUnexpectedError: Bool {
        guard let error else { return false }
        return !(error is any HTTPResponseError)
    }
}

/// Holds what a few responses carry besides status, headers and body, out of line, so a
/// `Response` grows by one pointer (nil on the success path), not an existential: the error it was
/// made from, and for a 304 or 206 the representation it stands for.
@usableFromInline final class ErrorBox: Sendable {
    let error: (any Error)?
    let representation: Response.Representation?

    /// A box, or `nil` when there is nothing to hold.
    init?(error: (any Error)?, representation: Response.Representation?) {
        if error == nil && representation == nil { return nil }
        self.error = error
        self.representation = representation
    }
}

/// Turns errors that have a response into that response, for the step that hands them to a
/// middleware as `next`'s result. Errors without one are rethrown.
@usableFromInline enum ErrorRendering {
    /// The response for `error` as an `Output`, or `nil` when `Output` is not `Response` or the error has no response.
    @inlinable static func response<Output>(for error: any Error, as output: Output.Type) -> Output? {
        guard Output.self == Response.self, error is any HTTPResponseError else { return nil }
        return Response(error: error) as? Output
    }
}
