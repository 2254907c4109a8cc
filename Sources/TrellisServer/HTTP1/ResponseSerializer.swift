package import Trellis

/// Writes a response head (status line, the handler's fields, `Date`, framing and `Connection`)
/// into a byte buffer.
package enum ResponseSerializer {
    /// How the body follows the head.
    package enum BodyPlan {
        /// Nothing follows (HEAD, 1xx, 204, 304, or an empty body).
        case none
        /// This fixed body (bytes or text, not empty) follows, announced by `Content-Length`.
        case fixed(ResponseBody)
        /// A stream follows in chunked coding (HTTP/1.1).
        case chunked(@Sendable (ResponseBodyWriter) async throws -> Void)
        /// A stream follows and the connection closes after it (HTTP/1.0 has no chunked coding).
        case untilClose(@Sendable (ResponseBodyWriter) async throws -> Void)
        /// A stream of exactly this many bytes follows, framed by `Content-Length`.
        case sized(Int, @Sendable (ResponseBodyWriter) async throws -> Void)
    }

    static let crlf: [UInt8] = [13, 10]

    /// Appends the head to `output` and says what must follow. `keepAlive` is whether the server
    /// intends to keep the connection; the result's `keepAlive` may be `false` if the response forces a close.
    package static func writeHead(
        _ response: Response,
        into output: inout [UInt8],
        date: [UInt8],
        requestVersion: HTTPVersion,
        isHeadRequest: Bool,
        keepAlive: Bool
    ) -> (plan: BodyPlan, keepAlive: Bool) {
        var keepAlive = keepAlive
        let status = response.status
        output.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(status.code, to: &output)
        output.append(UInt8(ascii: " "))
        // A reason phrase is `*( HTAB / SP / VCHAR / obs-text )`: one with a control byte (CR, LF, …)
        // could split the response, so it falls back to the standard phrase.
        if isValidReasonPhrase(status.reasonPhrase) {
            output.append(contentsOf: status.reasonPhrase.utf8)
        } else {
            output.append(contentsOf: HTTPStatus.standardReasonPhrase(for: status.code).utf8)
        }
        output.append(contentsOf: crlf)

        var explicitHeadLength: String?
        // Each field read where it lies (iterating by value would retain and release its three strings).
        response.headers.withFields { fields in
            for index in fields.indices {
                switch framingField(fields[index].name.canonicalName) {
                case .contentLength:
                    if isHeadRequest { explicitHeadLength = fields[index].value }
                case .managed:
                    break
                case .connection:
                    if HTTPHeaders.list(fields[index].value, containsIgnoringCase: "close") {
                        keepAlive = false
                    }
                case nil:
                    appendField(fields[index].name.rawName, fields[index].value, to: &output)
                }
            }
        }
        output.append(contentsOf: date)

        var plan = BodyPlan.none
        if status.forbidsBody {
            // 1xx, 204 and 304 carry no content and (1xx, 204) no Content-Length.
            if status.code == 304, let explicitHeadLength { appendLength(explicitHeadLength, to: &output) }
        } else {
            if let produce = response.body.stream {
                if let length = response.body.declaredLength {
                    output.append(contentsOf: "Content-Length: ".utf8)
                    appendDecimal(length, to: &output)
                    output.append(contentsOf: crlf)
                    if !isHeadRequest && length > 0 { plan = .sized(length, produce) }
                } else if isHeadRequest {
                    // Length unknown without running the stream: send neither framing header.
                } else if requestVersion == .http1_1 {
                    output.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8)
                    plan = .chunked(produce)
                } else {
                    keepAlive = false
                    plan = .untilClose(produce)
                }
            } else {
                let count = response.body.knownLength ?? 0
                if isHeadRequest {
                    appendLength(explicitHeadLength ?? String(count), to: &output)
                } else {
                    output.append(contentsOf: "Content-Length: ".utf8)
                    appendDecimal(count, to: &output)
                    output.append(contentsOf: crlf)
                    if count > 0 { plan = .fixed(response.body) }
                }
            }
        }
        if !keepAlive {
            output.append(contentsOf: "Connection: close\r\n".utf8)
        } else if requestVersion == .http1_0 {
            output.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        output.append(contentsOf: crlf)
        return (plan, keepAlive)
    }

    /// A minimal response for a request that could not be parsed; the connection closes after it.
    static func writeError(_ error: ParseError, into output: inout [UInt8], date: [UInt8]) {
        var response = Response.text(error.message + "\n", status: error.status)
        response.headers[.connection] = "close"
        _ = writeHead(response, into: &output, date: date, requestVersion: .http1_1, isHeadRequest: false, keepAlive: false)
        output.append(contentsOf: error.message.utf8)
        output.append(10)
    }

    static func appendLength(_ value: String, to output: inout [UInt8]) {
        guard RequestHeadParser.parseContentLength(value) != nil else { return }
        output.append(contentsOf: "Content-Length: ".utf8)
        output.append(contentsOf: value.utf8)
        output.append(contentsOf: crlf)
    }

    static func appendDecimal(_ value: Int, to output: inout [UInt8]) {
        if value < 10 {
            output.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var remaining = value
        withUnsafeMutableBytes(of: &digits) { raw in
            while remaining > 0 {
                raw[19 - count] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
                count += 1
            }
            output.append(contentsOf: raw[(20 - count)...])
        }
    }

    /// Appends the chunk-size line, the data and CRLF of one chunk.
    package static func appendChunk(_ bytes: [UInt8], to output: inout [UInt8]) {
        output.append(contentsOf: String(bytes.count, radix: 16).utf8)
        output.append(contentsOf: crlf)
        output.append(contentsOf: bytes)
        output.append(contentsOf: crlf)
    }

    /// The fields the server writes itself (framing, `Date`) or reads (`Connection`).
    enum FramingField {
        case contentLength
        /// `Transfer-Encoding` and `Date`: dropped, the server writes its own.
        case managed
        case connection
    }

    /// Which framing field `canonicalName` (lower-cased) is, if any: a length and a first byte
    /// rule out nearly every other name without comparing strings.
    static func framingField(_ canonicalName: String) -> FramingField? {
        let utf8 = canonicalName.utf8
        switch (utf8.count, utf8.first) {
        case (14, UInt8(ascii: "c")): return canonicalName == "content-length" ? .contentLength : nil
        case (17, UInt8(ascii: "t")): return canonicalName == "transfer-encoding" ? .managed : nil
        case (4, UInt8(ascii: "d")): return canonicalName == "date" ? .managed : nil
        case (10, UInt8(ascii: "c")): return canonicalName == "connection" ? .connection : nil
        default: return nil
        }
    }

    /// Appends `name: value` and CRLF, or nothing when the name is not a token or the value holds a
    /// control byte (CR, LF, NUL, …: a handler's value must not split the response). One pass over
    /// each string's bytes where they lie (a native string's UTF-8 is contiguous).
    static func appendField(_ name: String, _ value: String, to output: inout [UInt8]) {
        name.withContiguousUTF8 { nameBytes in
            value.withContiguousUTF8 { valueBytes in
                guard isToken(nameBytes), isFieldValue(valueBytes) else { return }
                output.append(contentsOf: nameBytes)
                output.append(UInt8(ascii: ":"))
                output.append(UInt8(ascii: " "))
                output.append(contentsOf: valueBytes)
                output.append(13)
                output.append(10)
            }
        }
    }

    /// `tchar` (RFC 9110 §5.6.2): the same set as `HTTPSyntax.isTokenChar` (a test checks every byte).
    static let tokenCharacters = HTTPSyntax.ByteSet(low: 0x03ff_6cfa_0000_0000, high: 0x57ff_ffff_c7ff_fffe)

    /// Whether `bytes` is a non-empty token: one mask test per byte, no branch per character class.
    package static func isToken(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        !bytes.isEmpty && tokenCharacters.containsAll(bytes)
    }

    /// Whether `bytes` hold no control byte but HTAB (field-value, RFC 9110 §5.5): the whole value is
    /// checked without an early exit, which the compiler turns into a few wide operations.
    package static func isFieldValue(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var bad: UInt8 = 0
        for byte in bytes {
            bad |= (byte < 0x20 && byte != 0x09 ? 1 : 0) | (byte == 0x7F ? 1 : 0)
        }
        return bad == 0
    }

    static func isValidReasonPhrase(_ phrase: String) -> Bool { phrase.utf8.allSatisfy(HTTPSyntax.isFieldValueChar) }
}
