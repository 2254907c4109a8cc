/// An HTTP request as a value: method, target, headers and the body.
///
/// The server validates the head and the body's framing before a `Request` exists. The body is a
/// `RequestBody`: bytes that arrived with the head, or a bounded stream that the handler reads on
/// demand (`collect(upTo:)` or `for try await chunk in request.body`).
///
/// ```swift
/// let request = Request(method: .get, target: "/items/42?q=x", headers: [.host: "example.com"])
/// request.path          // "/items/42"
/// request.query["q"]    // "x"
/// ```
@dynamicMemberLookup
public struct Request: Sendable {
    /// The request method.
    public var method: HTTPMethod
    /// The request-target exactly as received (origin-form `/a?b`, absolute-form `http://h/a?b`, or `*`).
    ///
    /// ```swift
    /// request.target // "/items/42?q=x"
    /// ```
    public var target: String {
        get {
            targetLayout.start == 0 && targetLayout.end == targetText.utf8.count ? targetText : String(targetSlice)
        }
        set {
            targetText = newValue
            targetLayout = TargetLayout(ofWhole: newValue)
        }
    }

    /// The request-target where it lies: a slice of the request head's text on a server (reading
    /// it makes no copy).
    ///
    /// ```swift
    /// request.targetSlice.hasPrefix("/api/") // true for "/api/items"
    /// ```
    public var targetSlice: Substring {
        get { TargetLayout.slice(of: targetText, targetLayout.target) }
        set {
            let base = newValue.base
            let range = newValue.utf8OffsetsInBase
            targetText = base
            targetLayout = base.withContiguousUTF8 { TargetLayout(of: $0, in: range) }
        }
    }

    /// The protocol version.
    public var version: HTTPVersion
    /// The header fields, in the order received.
    public var headers: HTTPHeaders
    /// The body: read it with `try await body.collect(upTo:)` or iterate its chunks.
    public var body: RequestBody
    /// Path parameters captured by the router (empty until a route matches).
    public var parameters: Parameters
    /// What this request shares with everything that handles it: client address, matched route,
    /// cleanups and background tasks (one per connection on a server, reused request after request).
    public let context: RequestContext
    /// The request's generation in `context`.
    @usableFromInline package let generation: UInt64

    /// The text the target lies in (the request head's on a server, else the target itself).
    @usableFromInline var targetText: String
    /// Where the target, its path and its query lie in `targetText`.
    @usableFromInline var targetLayout: TargetLayout

    /// Creates a request.
    ///
    /// ```swift
    /// let request = Request(method: .post, target: "/echo", headers: [.contentType: "text/plain"], body: Array("hi".utf8))
    /// ```
    public init(
        method: HTTPMethod,
        target: String,
        version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = [:],
        body: [UInt8] = []
    ) {
        self.init(method: method, target: target, version: version, headers: headers, body: RequestBody(bytes: body))
    }

    /// Creates a request with a body (bytes, or a stream a server reads from its connection).
    ///
    /// ```swift
    /// let request = Request(method: .post, target: "/upload", headers: [:], body: RequestBody(bytes: [1, 2, 3]))
    /// ```
    public init(
        method: HTTPMethod,
        target: String,
        version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = [:],
        body: RequestBody
    ) {
        self.init(
            method: method, targetText: target, targetRange: 0..<target.utf8.count, version: version, headers: headers, body: body,
            context: RequestContext()
        )
    }

    /// Creates a request in `context` whose target is the UTF-8 offsets `targetRange` of
    /// `targetText` (a server passes the request head's text, and its connection's context: one
    /// per connection, reused request after request).
    package init(
        method: HTTPMethod,
        targetText: String,
        targetRange: Range<Int>,
        version: HTTPVersion,
        headers: HTTPHeaders,
        body: RequestBody,
        context: RequestContext
    ) {
        self.context = context
        self.generation = context.generation
        self.method = method
        self.targetText = targetText
        self.targetLayout = targetText.withContiguousUTF8 { TargetLayout(of: $0, in: targetRange) }
        self.version = version
        self.headers = headers
        self.body = body
        self.parameters = Parameters()
    }

    /// The path, still percent-encoded, without the query: `"/items/42"` for `/items/42?q=x`.
    public var path: String { String(pathSlice) }

    /// The path as a slice of `target`, for code that must not copy it.
    ///
    /// ```swift
    /// request.pathSlice.hasPrefix("/static/") // true for "/static/app.css?v=2"
    /// ```
    public var pathSlice: Substring { TargetLayout.slice(of: targetText, targetLayout.path) }

    /// Whether the path (still percent-encoded, without the query) is exactly the bytes of `path`:
    /// compared where it lies, without making a string of it.
    @inlinable package func hasPath(_ path: String) -> Bool {
        let range = targetLayout.path
        return targetText.withContiguousUTF8 { text in
            path.withContiguousUTF8 { HTTPSyntax.bytesEqual(UnsafeBufferPointer(rebasing: text[range]), $0) }
        }
    }

    /// Whether the target is `*` (asterisk-form: `OPTIONS *` asks about the server as a whole).
    @inlinable package var isAsteriskTarget: Bool { targetLayout.isAsterisk }

    /// The raw query string after `?` (not decoded), or `nil` when the target has none.
    public var rawQuery: Substring? { targetLayout.query.map { TargetLayout.slice(of: targetText, $0) } }

    /// The decoded query pairs (duplicates kept in order).
    ///
    /// ```swift
    /// request.query["q"]
    /// ```
    public var query: QueryParameters {
        QueryParameters(text: targetText, bounds: targetLayout.query ?? targetLayout.end..<targetLayout.end)
    }

    /// The path part of the target that occupies the UTF-8 offsets `range` of `text` (origin or
    /// absolute form), as `Request.path` reads it.
    package static func path(ofTarget text: String, in range: Range<Int>) -> String {
        let layout = text.withContiguousUTF8 { TargetLayout(of: $0, in: range) }
        return String(TargetLayout.slice(of: text, layout.path))
    }
}

extension Request: RequestInput {
    /// A request carries itself: lent, not copied (a middleware that reads `input.request` in a
    /// call would otherwise copy the whole request first).
    @inlinable public var request: Request {
        _read { yield self }
        _modify { yield &self }
    }
}
