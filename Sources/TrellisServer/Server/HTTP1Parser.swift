public import Trellis

/// Parses complete HTTP/1.1 requests from bytes with the server's strict rules, without a
/// socket: for benchmarks, fuzzing and tools.
///
/// One parser reuses its storage from request to request, as a server's connection does: once
/// the previous request is gone, parsing the next allocates nothing but the text its long values
/// and target are sliced from (`HTTPHeaders.Field.valueSlice`, `Request.targetSlice`).
///
/// ```swift
/// let request = try HTTP1Parser.parse(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
///
/// var parser = HTTP1Parser()
/// for message in messages { handle(try parser.parseRequest(message)) }
/// ```
public struct HTTP1Parser {
    /// Why the bytes are not a valid request: the status the server would answer with, and why.
    public struct Failure: Error, CustomStringConvertible {
        /// The response status (400, 413, 414, 431, 501, 505, …).
        public let status: HTTPStatus
        /// The reason.
        public let message: String
        /// `"400 Bad Request: Bare LF line ending; …"`.
        public var description: String { "\(status): \(message)" }
    }

    private var framer: HTTP1Framer
    /// The context of the requests made here, reused while no earlier request holds it.
    private var context = RequestContext()

    /// A parser with the server's limits.
    ///
    /// ```swift
    /// var limits = ServerConfiguration.Limits()
    /// limits.maxHeaderCount = 50
    /// var parser = HTTP1Parser(limits: limits)
    /// ```
    public init(limits: ServerConfiguration.Limits = .init()) {
        framer = HTTP1Framer(limits: HTTP1Framer.Limits(limits))
    }

    /// Parses a request (head and, for `Content-Length` or chunked framing, body) from `bytes`.
    /// Throws `Failure` for invalid or incomplete input.
    ///
    /// ```swift
    /// let request = try HTTP1Parser.parse(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
    /// ```
    public static func parse(_ bytes: [UInt8], limits: ServerConfiguration.Limits = .init()) throws(Failure) -> Request {
        var parser = HTTP1Parser(limits: limits)
        return try parser.parseRequest(bytes)
    }

    /// Parses the next request from `bytes` (a whole request: head and, for `Content-Length` or
    /// chunked framing, body), reusing this parser's storage. Throws `Failure` for invalid or
    /// incomplete input.
    ///
    /// ```swift
    /// var parser = HTTP1Parser()
    /// let request = try parser.parseRequest(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
    /// ```
    public mutating func parseRequest(_ bytes: [UInt8]) throws(Failure) -> Request {
        framer.reset()
        // A context no earlier request holds (and that holds no work) serves the next request, as
        // a connection's does; otherwise the request gets its own.
        if isKnownUniquelyReferenced(&context), !context.needsFinishing {
            context.endWithoutWork()
        } else {
            context = RequestContext()
        }
        do {
            return try bytes.withUnsafeBufferPointer { buffer throws(ParseError) in
                guard case (var head, let headLength)? = try framer.parseHead(buffer) else {
                    throw .badRequest("Incomplete request head.")
                }
                var body: [UInt8] = []
                var position = headLength
                while framer.bodyState != .complete {
                    let consumed = try framer.decodeBody(UnsafeBufferPointer(rebasing: buffer[position...]), into: &body, maximum: .max)
                    if consumed == 0 { throw .badRequest("Incomplete body.") }
                    position += consumed
                }
                return head.takeRequest(body: RequestBody(bytes: body), context: context)
            }
        } catch {
            throw Failure(status: error.status, message: error.message)
        }
    }
}
