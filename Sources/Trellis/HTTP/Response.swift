/// An HTTP response as a value: status, headers and body.
///
/// ```swift
/// Response(status: .created, headers: [.contentType: "application/json"], body: Array(#"{"ok":true}"#.utf8))
/// ```
public struct Response: Sendable {
    /// The status code and reason phrase.
    public var status: HTTPStatus
    /// The header fields, in order. A server adds `Date` and framing (`Content-Length` or `Transfer-Encoding`).
    public var headers: HTTPHeaders
    /// The content.
    public var body: ResponseBody
    /// The error the response was made from (see `error`); one pointer, nil on the success path.
    /// Nil by its default value rather than in `init`: an init that assigns it copies the whole
    /// response once and destroys the copy (Swift 6.3 at -O; about 240 instructions a response).
    @usableFromInline var failure: ErrorBox? = nil

    /// Creates a response.
    ///
    /// ```swift
    /// Response(status: .noContent)
    /// ```
    @inlinable public init(status: HTTPStatus = .ok, headers: HTTPHeaders = [:], body: ResponseBody = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Creates a response whose body is `body`.
    ///
    /// ```swift
    /// Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: request.body)
    /// ```
    @inlinable public init(status: HTTPStatus = .ok, headers: HTTPHeaders = [:], body: [UInt8]) {
        self.init(status: status, headers: headers, body: .bytes(body))
    }

    /// A `text/plain; charset=utf-8` response.
    ///
    /// ```swift
    /// Response.text("Hello, World!")
    /// ```
    @inlinable public static func text(_ text: String, status: HTTPStatus = .ok) -> Response {
        Response(status: status, headers: HTTPHeaders(.contentType, "text/plain; charset=utf-8"), body: .text(text))
    }
}
