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
        get { String(targetSlice) }
        set { targetSlice = Substring(wholeString: newValue) }
    }

    /// The request-target where it lies: a slice of the request head's text on a server (reading
    /// it makes no copy).
    ///
    /// ```swift
    /// request.targetSlice.hasPrefix("/api/") // true for "/api/items"
    /// ```
    public var targetSlice: Substring {
        didSet { (pathRange, queryRange) = Request.split(targetSlice) }
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

    @usableFromInline var pathRange: Range<String.Index>
    @usableFromInline var queryRange: Range<String.Index>?

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
        self.init(method: method, target: Substring(wholeString: target), version: version, headers: headers, body: body, context: RequestContext())
    }

    /// Creates a request in `context`: a server passes its connection's (one per connection,
    /// reused request after request).
    package init(
        method: HTTPMethod,
        target: Substring,
        version: HTTPVersion,
        headers: HTTPHeaders,
        body: RequestBody,
        context: RequestContext
    ) {
        self.context = context
        self.generation = context.generation
        self.method = method
        self.targetSlice = target
        self.version = version
        self.headers = headers
        self.body = body
        self.parameters = Parameters()
        (pathRange, queryRange) = Request.split(target)
    }

    /// The path, still percent-encoded, without the query: `"/items/42"` for `/items/42?q=x`.
    public var path: String { String(pathSlice) }

    /// The path as a slice of `target`, for code that must not copy it. (The ranges are indices
    /// of the target's base string, sliced there directly: a slice of a slice checks them again.)
    @inlinable public var pathSlice: Substring { targetSlice.base[pathRange] }

    /// The raw query string after `?` (not decoded), or `nil` when the target has none.
    public var rawQuery: Substring? { queryRange.map { targetSlice.base[$0] } }

    /// The decoded query pairs (duplicates kept in order).
    ///
    /// ```swift
    /// request.query["q"]
    /// ```
    public var query: QueryParameters { QueryParameters(parsing: rawQuery) }

    /// The path part of a request-target (origin or absolute form), as `Request.path` reads it.
    package static func path(ofTarget target: Substring) -> Substring { target[split(target).0] }

    /// Splits a request-target into its path and query ranges (indices of `target`'s base, as a
    /// slice's are); absolute-form targets lose their scheme and authority.
    static func split(_ target: Substring) -> (Range<String.Index>, Range<String.Index>?) {
        // One scan of the bytes where they lie (`/`, `?` and `://` are ASCII, so every offset found
        // is a character boundary; a scan by `Character` or through the generic UTF-8 view costs
        // several times more).
        let (pathStart, question) = target.withContiguousUTF8 { bytes -> (Int, Int?) in
            var pathStart = 0
            if let first = bytes.first, first != UInt8(ascii: "/"), let colon = bytes.firstIndex(of: UInt8(ascii: ":")),
                colon + 2 < bytes.count, bytes[colon + 1] == UInt8(ascii: "/"), bytes[colon + 2] == UInt8(ascii: "/")
            {
                // absolute-form: scheme "://" authority path-abempty [ "?" query ]
                pathStart = bytes[(colon + 3)...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? bytes.count
            }
            return (pathStart, bytes[pathStart...].firstIndex(of: UInt8(ascii: "?")))
        }
        // Indices made in the base string's UTF-8 view (a slice's own view goes through generic
        // slice code): the same indices, as a slice shares its base's.
        let utf8 = target.base.utf8
        let path = utf8.index(target.startIndex, offsetBy: pathStart)
        guard let question else { return (path..<target.endIndex, nil) }
        let questionIndex = utf8.index(target.startIndex, offsetBy: question)
        return (path..<questionIndex, utf8.index(after: questionIndex)..<target.endIndex)
    }
}

extension Request: RequestInput {
    /// A request carries itself.
    @inlinable public var request: Request {
        get { self }
        set { self = newValue }
    }
}
