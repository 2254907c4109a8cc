public import Trellis

/// Parses one complete HTTP/1.1 request from bytes with the server's strict rules, without a
/// socket: for benchmarks, fuzzing and tools.
///
/// ```swift
/// let request = try HTTP1Parser.parse(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
/// ```
public enum HTTP1Parser {
    /// Why the bytes are not a valid request: the status the server would answer with, and why.
    public struct Failure: Error, CustomStringConvertible {
        /// The response status (400, 413, 414, 431, 501, 505, …).
        public let status: HTTPStatus
        /// The reason.
        public let message: String
        /// `"400 Bad Request: Bare LF line ending; …"`.
        public var description: String { "\(status): \(message)" }
    }

    /// Parses a request (head and, for `Content-Length` or chunked framing, body) from `bytes`.
    /// Throws `Failure` for invalid or incomplete input.
    public static func parse(_ bytes: [UInt8], limits: ServerConfiguration.Limits = .init()) throws(Failure) -> Request {
        do {
            return try bytes.withUnsafeBufferPointer { buffer throws(ParseError) in
                var framer = HTTP1Framer(limits: HTTP1Framer.Limits(limits))
                guard let (head, headLength) = try framer.parseHead(buffer) else {
                    throw .badRequest("Incomplete request head.")
                }
                var body: [UInt8] = []
                var position = headLength
                while framer.bodyState != .complete {
                    let consumed = try framer.decodeBody(UnsafeBufferPointer(rebasing: buffer[position...]), into: &body, maximum: .max)
                    if consumed == 0 { throw .badRequest("Incomplete body.") }
                    position += consumed
                }
                return Request(method: head.method, target: head.target, version: head.version, headers: head.headers, body: body)
            }
        } catch {
            throw Failure(status: error.status, message: error.message)
        }
    }
}
