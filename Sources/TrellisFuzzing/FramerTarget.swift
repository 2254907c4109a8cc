import Trellis
import TrellisServer

/// The HTTP/1 framer fed as a connection feeds it: bytes arriving in pieces, heads and then bodies
/// (`Content-Length` or chunked) decoded in bounded chunks, up to eight pipelined requests.
enum FramerTarget {
    /// Small limits, so that every limit can be reached by a short input.
    static let limits = HTTP1Framer.Limits(
        maxRequestLineLength: 96, maxTargetLength: 64, maxHeadLength: 512, maxHeaderCount: 8, maxBodyLength: 300
    )

    struct Framed: Equatable {
        var method: String
        var target: String
        var fields: [String]
        var body: [UInt8]
        /// The fields a response may carry (`sendableLines`), and what the serializer wrote for
        /// them (`sentBackLines`): the same lines.
        var sendable: [String]
        var sentBack: [String]
    }

    /// What a byte stream frames into: the requests, then how it ended.
    struct Outcome: Equatable {
        var requests: [Framed] = []
        /// The status of the error that ended it, 0 for a clean end, -1 for input that ran out mid-message.
        var end = 0
    }

    /// Checks: a body is never longer than the input; the same bytes split two ways frame into the
    /// same requests and end the same way (cleanly, mid-message, or refused).
    static func run(_ input: inout FuzzInput) -> String? {
        let seeds = input.bytes(upTo: 8)
        let data = input.rest()
        let whole = frame([data])
        let pieces = frame(split(data, sizes: seeds))
        for request in whole.requests where request.body.count > data.count {
            return "a body of \(request.body.count) bytes from \(data.count) bytes of input"
        }
        // The same requests, and the same kind of end. Which error status ends a stream may differ
        // when the bytes hold two problems (a request line both malformed and too long is refused
        // for whichever is seen first, and pieces show problems earlier than the whole line does).
        if whole.requests != pieces.requests || whole.end.signum() != pieces.end.signum() {
            return "splitting the input changed the outcome: \(whole) vs \(pieces)"
        }
        for request in whole.requests where request.sentBack != request.sendable {
            return "a request's fields sent back in a response wrote \(request.sentBack) for \(request.sendable)"
        }
        return nil
    }

    /// The fields of `headers` a response may carry (not the server's own framing fields, a token
    /// name, a value of field-value bytes), as `name: value` lines in lower case.
    static func sendableLines(of headers: HTTPHeaders) -> [String] {
        headers.filter { !SerializerTarget.managed.contains($0.name.canonicalName) }
            .filter { field in
                field.name.rawName.utf8.allSatisfy(HTTPSyntax.isTokenChar) && field.value.utf8.allSatisfy(HTTPSyntax.isFieldValueChar)
            }
            .map { "\($0.name.canonicalName): \($0.value)" }
    }

    /// The fields the server writes when a handler sends `headers` (a request's, whose values lie
    /// in its head's text) back in a response, as `name: value` lines in lower case.
    static func sentBackLines(of headers: HTTPHeaders) -> [String] {
        var response = Response(status: .ok, body: [])
        response.headers = headers
        var output: [UInt8] = []
        _ = ResponseSerializer.writeHead(response, into: &output, date: [], requestVersion: .http1_1, isHeadRequest: false, keepAlive: true)
        guard let written = SerializerTarget.ResponseHead(output) else { return ["the head does not parse"] }
        return written.fields.filter { !SerializerTarget.managed.contains($0.name) }.map { "\($0.name): \($0.value)" }
    }

    static func frame(_ pieces: [[UInt8]]) -> Outcome {
        var framer = HTTP1Framer(limits: limits)
        var unread: [UInt8] = []
        var outcome = Outcome()
        var next = 0
        func more() -> Bool {
            guard next < pieces.count else { return false }
            unread += pieces[next]
            next += 1
            return true
        }
        while outcome.requests.count < 8 {
            framer.reset()
            var parsed: (head: RequestHead, length: Int)?
            while parsed == nil {
                do {
                    parsed = try unread.withUnsafeBufferPointer { buffer throws(ParseError) in try framer.parseHead(buffer) }
                } catch {
                    outcome.end = error.status.code
                    return outcome
                }
                if parsed == nil, !more() {
                    outcome.end = unread.isEmpty && !framer.headStarted ? 0 : -1
                    return outcome
                }
            }
            guard let (head, length) = parsed else { return outcome }
            unread.removeFirst(length)
            var body: [UInt8] = []
            while framer.bodyState != .complete {
                let consumed: Int
                do {
                    consumed = try unread.withUnsafeBufferPointer { buffer throws(ParseError) in
                        try framer.decodeBody(buffer, into: &body, maximum: 37)
                    }
                } catch {
                    outcome.end = error.status.code
                    return outcome
                }
                unread.removeFirst(consumed)
                if framer.bodyState != .complete, consumed == 0, !more() {
                    outcome.end = -1
                    return outcome
                }
            }
            outcome.requests.append(
                Framed(
                    method: head.method.rawValue,
                    target: String(decoding: Array(head.targetText.utf8)[head.targetRange], as: UTF8.self),
                    fields: head.headers.map { "\($0.name.rawName): \($0.value)" }, body: body,
                    sendable: sendableLines(of: head.headers), sentBack: sentBackLines(of: head.headers)
                )
            )
        }
        return outcome
    }
}
