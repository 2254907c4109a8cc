/// The content of a response: bytes known up front, or a stream written piece by piece.
///
/// A server sends bytes with `Content-Length` and a stream with chunked transfer coding (or until
/// close on HTTP/1.0).
///
/// ```swift
/// let fixed: ResponseBody = .bytes(Array("hi".utf8))
/// let streamed = ResponseBody.stream { writer in
///     for line in ["a\n", "b\n"] { try await writer.write(Array(line.utf8)) }
/// }
/// ```
public struct ResponseBody: Sendable {
    /// How the body is held.
    public enum Storage: Sendable {
        /// All bytes, known up front.
        case bytes([UInt8])
        /// Bytes produced while the response is being sent.
        case stream(@Sendable (ResponseBodyWriter) async throws -> Void)
    }

    /// What the body holds: `Storage`'s cases, plus text kept as the `String` it was given (its
    /// UTF-8 is written straight from the string, so a text response allocates no byte array).
    @usableFromInline enum Content: Sendable {
        case bytes([UInt8])
        case text(String)
        case stream(@Sendable (ResponseBodyWriter) async throws -> Void)
    }

    @usableFromInline var content: Content

    /// The body's storage. Reading it from a text body makes its UTF-8 bytes.
    ///
    /// ```swift
    /// if case .bytes(let bytes) = response.body.storage { print(bytes.count) }
    /// ```
    @inlinable public var storage: Storage {
        get {
            switch content {
            case .bytes(let bytes): return .bytes(bytes)
            case .text(let text): return .bytes(Array(text.utf8))
            case .stream(let produce): return .stream(produce)
            }
        }
        set {
            switch newValue {
            case .bytes(let bytes): content = .bytes(bytes)
            case .stream(let produce): content = .stream(produce)
            }
        }
    }

    /// The exact length a stream will write, when known up front (a file): the server then frames
    /// it with `Content-Length` instead of chunked coding, and `HEAD` can state it.
    public var declaredLength: Int?

    /// Whether the byte array was made for this response alone (a JSON body), so that a server
    /// can give its storage to the next one made on its thread (`recycleStorage()`).
    @usableFromInline var isRecyclable = false

    /// Wraps a storage value.
    @inlinable public init(storage: Storage) {
        switch storage {
        case .bytes(let bytes): content = .bytes(bytes)
        case .stream(let produce): content = .stream(produce)
        }
        declaredLength = nil
    }

    @inlinable init(content: Content) {
        self.content = content
        declaredLength = nil
    }

    /// A body holding `bytes`.
    @inlinable public static func bytes(_ bytes: [UInt8]) -> ResponseBody { ResponseBody(content: .bytes(bytes)) }

    /// A body holding `text` as UTF-8, written from the string itself (no byte array is made).
    ///
    /// ```swift
    /// Response(status: .ok, headers: [.contentType: "text/csv"], body: .text("a,b\n1,2\n"))
    /// ```
    @inlinable public static func text(_ text: String) -> ResponseBody { ResponseBody(content: .text(text)) }

    /// A body produced by `produce`, which writes pieces through the writer it is given.
    public static func stream(_ produce: @escaping @Sendable (ResponseBodyWriter) async throws -> Void) -> ResponseBody {
        ResponseBody(content: .stream(produce))
    }

    /// A body of exactly `length` bytes produced by `produce` (a file read from disk): sent with
    /// `Content-Length`. Writing fewer or more bytes than `length` fails the response and closes
    /// the connection.
    ///
    /// ```swift
    /// ResponseBody.stream(length: 5) { writer in try await writer.write("hello") }
    /// ```
    public static func stream(length: Int, _ produce: @escaping @Sendable (ResponseBodyWriter) async throws -> Void) -> ResponseBody {
        var body = ResponseBody(content: .stream(produce))
        body.declaredLength = max(0, length)
        return body
    }

    /// An empty body.
    public static var empty: ResponseBody { ResponseBody(content: .bytes([])) }

    /// A body holding `bytes` that nothing else holds (an encoder's output), whose storage a
    /// server gives to the next such body made on its thread once the response is written.
    package static func recyclable(_ bytes: [UInt8]) -> ResponseBody {
        var body = ResponseBody(content: .bytes(bytes))
        body.isRecyclable = true
        return body
    }

    /// Empties a recyclable body and keeps its storage for the next `ThreadSpares.takeBytes(for: .body)` on
    /// this thread (a JSON encoding): a server calls it once the response is written. A body
    /// something else still holds is copied when emptied, not shared.
    @usableFromInline package mutating func recycleStorage() {
        guard isRecyclable, case .bytes(var bytes) = content else { return }
        content = .bytes([])
        ThreadSpares.keep(&bytes, for: .body)
    }

    /// The bytes of a fixed body, or `nil` for a stream.
    @inlinable public var bytes: [UInt8]? {
        switch content {
        case .bytes(let bytes): return bytes
        case .text(let text): return Array(text.utf8)
        case .stream: return nil
        }
    }

    /// The length of a fixed body or of a stream with a declared length, else `nil`.
    @inlinable public var knownLength: Int? {
        switch content {
        case .bytes(let bytes): return bytes.count
        case .text(let text): return text.utf8.count
        case .stream: return declaredLength
        }
    }

    /// Calls `body` with a fixed body's bytes where they lie (`nil` for a stream).
    @inlinable package func withFixedBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result? {
        switch content {
        case .bytes(let bytes): return try bytes.withUnsafeBufferPointer(body)
        case .text(let text): return try text.withContiguousUTF8(body)
        case .stream: return nil
        }
    }

    /// The fixed bytes as an array when the body holds one (no copy), for a server that queues a
    /// large body without copying it.
    @inlinable package var byteArray: [UInt8]? {
        if case .bytes(let bytes) = content { return bytes }
        return nil
    }

    /// The stream, or `nil` for a fixed body.
    @inlinable package var stream: (@Sendable (ResponseBodyWriter) async throws -> Void)? {
        if case .stream(let produce) = content { return produce }
        return nil
    }

    /// Collects the whole body (runs a stream to completion), e.g. in tests.
    ///
    /// ```swift
    /// let text = String(decoding: try await response.body.collect(), as: UTF8.self)
    /// ```
    public func collect() async throws -> [UInt8] {
        switch content {
        case .bytes(let bytes):
            return bytes
        case .text(let text):
            return Array(text.utf8)
        case .stream(let produce):
            let collector = Collector()
            try await produce(ResponseBodyWriter { collector.append($0) })
            return collector.take()
        }
    }

    /// The bytes a collecting writer received. A producer may hand its writer to several tasks,
    /// so appends take a lock (each chunk lands whole, in the order the writes happened).
    private final class Collector: Sendable {
        private let bytes = Locked<[UInt8]>([])
        func append(_ chunk: [UInt8]) { bytes.withLock { $0 += chunk } }
        func take() -> [UInt8] { bytes.withLock { $0 } }
    }
}

/// Receives the pieces of a streamed response body; the server supplies one per response.
///
/// ```swift
/// ResponseBody.stream { writer in try await writer.write(Array("chunk".utf8)) }
/// ```
public struct ResponseBodyWriter: Sendable {
    @usableFromInline let sink: @Sendable ([UInt8]) async throws -> Void

    /// Creates a writer that hands each piece to `sink`.
    public init(_ sink: @escaping @Sendable ([UInt8]) async throws -> Void) { self.sink = sink }

    /// Sends one piece; waits while the connection cannot take more (back-pressure). Empty pieces are skipped.
    @inlinable public func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        try await sink(bytes)
    }

    /// Sends a string as UTF-8.
    public func write(_ text: String) async throws { try await write(Array(text.utf8)) }
}
