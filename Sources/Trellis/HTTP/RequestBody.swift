/// The body of a request: bytes that arrived with the head, or a bounded stream read from the
/// connection as the handler consumes it.
///
/// Read it whole with `collect(upTo:)` (which answers `413 Content Too Large` past the limit), or
/// piece by piece as an `AsyncSequence` of byte chunks (at most 64 KiB each). The server reads the
/// socket only while a handler asks for more, so a slow reader holds the client back, and sends
/// `100 Continue` only when the body is first read, so a handler that rejects early never makes
/// the client upload.
///
/// ```swift
/// Post("/upload") { request in
///     var total = 0
///     for try await chunk in request.body { total += chunk.count }   // streamed, bounded memory
///     return "\(total) bytes"
/// }
/// Post("/echo") { request in
///     Response(body: try await request.body.collect(upTo: 1 << 20))  // whole, at most 1 MiB
/// }
/// ```
public struct RequestBody: Sendable, AsyncSequence {
    /// One piece of the body.
    public typealias Element = [UInt8]
    /// Reading can fail: `HTTPError` 413 past the limit, 408 when the client stalls, 400 for broken framing.
    public typealias Failure = any Error

    @usableFromInline enum Storage: Sendable {
        case buffered([UInt8])
        case streamed(any RequestBodySource, token: UInt64)
    }

    @usableFromInline var storage: Storage

    /// The announced length (`Content-Length`, or the size of a body that arrived whole); `nil`
    /// for a chunked body still on its way.
    public let expectedLength: Int?

    /// The most bytes this body may have; reading past it throws `HTTPError(.contentTooLarge)`.
    /// `nil`: only the server's `maxBodyBytes` ceiling applies. Lower it in a middleware (before
    /// any byte is read) with `limit(to:)`.
    public private(set) var maxBytes: Int?

    /// A body holding `bytes`.
    ///
    /// ```swift
    /// let body = RequestBody(bytes: Array("hi".utf8))
    /// ```
    public init(bytes: [UInt8]) {
        storage = .buffered(bytes)
        expectedLength = bytes.count
        maxBytes = nil
    }

    /// A body a server reads from its connection through `source`; `token` identifies the request
    /// (a source refuses reads for a request that is over).
    package init(source: any RequestBodySource, token: UInt64, expectedLength: Int?) {
        storage = .streamed(source, token: token)
        self.expectedLength = expectedLength
        maxBytes = nil
    }

    /// No body.
    public static var empty: RequestBody { RequestBody(bytes: []) }

    /// The bytes, when the whole body arrived with the head (no reading needed); `nil` for a stream.
    @inlinable public var bufferedBytes: [UInt8]? {
        if case .buffered(let bytes) = storage { return bytes }
        return nil
    }

    /// Whether the body is known to be empty.
    public var isEmpty: Bool { expectedLength == 0 }

    /// Lowers the body limit for everything downstream (it never raises it). A body announced
    /// larger than the limit is refused with 413 at the first read, before any byte is read.
    ///
    /// ```swift
    /// input.request.body.limit(to: 64 * 1024)
    /// ```
    public mutating func limit(to bytes: Int) {
        maxBytes = Swift.min(maxBytes ?? Int.max, Swift.max(0, bytes))
    }

    /// Declares the body unwanted without reading it: a server does not invite it (no
    /// `100 Continue`) and closes the connection after the response instead of reading it.
    ///
    /// ```swift
    /// guard authorized else { await request.body.refuse(); return Response(status: .unauthorized) }
    /// ```
    public func refuse() async {
        if case .streamed(let source, let token) = storage { await source.refuseBody(token: token) }
    }

    /// Reads the whole body, refusing more than `limit` bytes (or the body's own limit, if lower)
    /// with `HTTPError(.contentTooLarge)`.
    ///
    /// ```swift
    /// let bytes = try await request.body.collect(upTo: 1 << 20)
    /// ```
    public func collect(upTo limit: Int) async throws -> [UInt8] {
        var body = self
        body.limit(to: limit)
        if case .buffered(let bytes) = body.storage {
            try body.check(total: bytes.count)
            return bytes
        }
        var collected: [UInt8] = []
        for try await chunk in body {
            if collected.isEmpty {
                collected = chunk
            } else {
                collected.append(contentsOf: chunk)
            }
        }
        return collected
    }

    /// Reads the whole body up to its own limit (`limit(to:)`) or, without one, the server's
    /// `maxBodyBytes` ceiling.
    ///
    /// ```swift
    /// let text = String(decoding: try await request.body.collect(), as: UTF8.self)
    /// ```
    public func collect() async throws -> [UInt8] { try await collect(upTo: maxBytes ?? Int.max) }

    func check(total: Int) throws {
        if let maxBytes, total > maxBytes { throw Self.tooLarge(maxBytes) }
    }

    static func tooLarge(_ limit: Int) -> HTTPError {
        HTTPError(.contentTooLarge, "Request body larger than \(limit) bytes.")
    }

    /// Iterates the body's chunks.
    public func makeAsyncIterator() -> Iterator { Iterator(body: self) }

    /// Yields the body's chunks; a stream is read from the connection on demand.
    public struct Iterator: AsyncIteratorProtocol {
        public typealias Element = [UInt8]
        public typealias Failure = any Error
        let body: RequestBody
        var delivered = 0
        var finished = false

        init(body: RequestBody) { self.body = body }

        /// The next chunk, or `nil` at the end of the body.
        public mutating func next() async throws -> [UInt8]? {
            guard !finished else { return nil }
            switch body.storage {
            case .buffered(let bytes):
                finished = true
                try body.check(total: bytes.count)
                return bytes.isEmpty ? nil : bytes
            case .streamed(let source, let token):
                if let maxBytes = body.maxBytes, let expected = body.expectedLength, expected > maxBytes {
                    finished = true
                    await source.refuseBody(token: token)
                    throw RequestBody.tooLarge(maxBytes)
                }
                guard let chunk = try await source.nextBodyChunk(token: token) else {
                    finished = true
                    return nil
                }
                delivered += chunk.count
                if let maxBytes = body.maxBytes, delivered > maxBytes {
                    finished = true
                    await source.refuseBody(token: token)
                    throw RequestBody.tooLarge(maxBytes)
                }
                return chunk
            }
        }

        /// The next chunk (typed-throws requirement of `AsyncIteratorProtocol`).
        public mutating func next(isolation actor: isolated (any Actor)?) async throws(any Error) -> [UInt8]? {
            try await next()
        }
    }
}

/// Where a streamed request body comes from: implemented by a server's connection (and by
/// `GZip`'s decompressing body). Plumbing between Trellis modules, not for users.
///
/// Each call is for the request identified by `token`; once that request's response is finished, the
/// source throws instead of reading (the bytes on the connection belong to the next request).
@usableFromInline package protocol RequestBodySource: AnyObject, Sendable {
    /// The next piece of the body (at most 64 KiB), or `nil` at its end. Throws `HTTPError` 408
    /// when the client stalls, 400 for broken framing, 413 past the server's ceiling.
    func nextBodyChunk(token: UInt64) async throws -> [UInt8]?
    /// The handler refused the rest of the body (over a limit): the connection closes after the response.
    func refuseBody(token: UInt64) async
}

extension RequestBody: ExpressibleByArrayLiteral {
    /// A body from literal bytes, for tests.
    ///
    /// ```swift
    /// let body: RequestBody = [0x68, 0x69]
    /// ```
    public init(arrayLiteral elements: UInt8...) { self.init(bytes: elements) }
}
