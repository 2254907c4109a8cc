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
    ///
    /// The head is written in place, into the output's spare room (`HeadBuffer` over it), made at
    /// least `usualHeadCapacity` bytes first: no scratch copy, and no `Array` append — with its
    /// capacity and uniqueness checks — per piece. A head that does not fit is written again into
    /// room computed from the response.
    package static func writeHead(
        _ response: Response,
        into output: inout ByteStorage,
        date: [UInt8],
        requestVersion: HTTPVersion,
        isHeadRequest: Bool,
        keepAlive: Bool
    ) -> (plan: BodyPlan, keepAlive: Bool) {
        /// Writes the head into the output's spare room, made at least `capacity` bytes; `nil`
        /// (and nothing counted as written) when it does not fit.
        @inline(__always) func write(within capacity: Int, into output: inout ByteStorage) -> (plan: BodyPlan, keepAlive: Bool)? {
            output.write(intoSpareRoomOfAtLeast: capacity) { room in
                var head = HeadBuffer(room)
                let result = writeHead(response, into: &head, date: date, requestVersion: requestVersion, isHeadRequest: isHeadRequest, keepAlive: keepAlive)
                return head.overflowed ? (nil, 0) : (result, head.count)
            }
        }
        // Most heads fit here, and need no count of their fields' bytes first (about 200
        // instructions a response, callgrind).
        if let written = write(within: usualHeadCapacity, into: &output) { return written }
        // The computed room counts every byte the head may take: a head that does not fit is a
        // miscount, which stops the process rather than send a truncated head.
        guard let written = write(within: HeadBuffer.capacity(for: response, date: date), into: &output) else {
            preconditionFailure("response head larger than its computed capacity")
        }
        return written
    }

    /// Appends the head to an array (for tests and fuzz targets): the same writing as the server's.
    ///
    /// ```swift
    /// var bytes: [UInt8] = []
    /// _ = ResponseSerializer.writeHead(.text("hi"), into: &bytes, date: [], requestVersion: .http1_1, isHeadRequest: false, keepAlive: true)
    /// ```
    package static func writeHead(
        _ response: Response,
        into output: inout [UInt8],
        date: [UInt8],
        requestVersion: HTTPVersion,
        isHeadRequest: Bool,
        keepAlive: Bool
    ) -> (plan: BodyPlan, keepAlive: Bool) {
        var buffer = ByteStorage(initialCapacity: usualHeadCapacity)
        defer { buffer.deallocate() }
        let result = writeHead(response, into: &buffer, date: date, requestVersion: requestVersion, isHeadRequest: isHeadRequest, keepAlive: keepAlive)
        output.append(contentsOf: buffer.written)
        return result
    }

    /// The room a response head is first written into: a usual head (status line, a handful of
    /// fields, `Date`, `Content-Length`) takes a few hundred bytes.
    package static let usualHeadCapacity = 1024

    private static func writeHead(
        _ response: Response,
        into head: inout HeadBuffer,
        date: [UInt8],
        requestVersion: HTTPVersion,
        isHeadRequest: Bool,
        keepAlive: Bool
    ) -> (plan: BodyPlan, keepAlive: Bool) {
        var keepAlive = keepAlive
        let status = response.status
        if status.code == 200, status.reasonPhrase == "OK" {
            // The commonest status line, written whole (no digits to count, no phrase to check).
            head.append("HTTP/1.1 200 OK\r\n")
        } else {
            head.append("HTTP/1.1 ")
            head.appendDecimal(status.code)
            head.append(UInt8(ascii: " "))
            // A reason phrase is `*( HTAB / SP / VCHAR / obs-text )`: one with a control byte (CR,
            // LF, …) could split the response, so it falls back to the standard phrase.
            status.reasonPhrase.withContiguousUTF8 { phrase in
                if HTTPSyntax.isFieldValue(phrase) {
                    head.append(phrase)
                } else {
                    HTTPStatus.standardReasonPhrase(for: status.code).withContiguousUTF8 { head.append($0) }
                }
            }
            head.appendLineEnd()
        }

        var explicitHeadLengthIndex: Int?
        // Each field read where it lies (iterating by value would retain and release its strings).
        response.headers.withFields { fields in
            for index in fields.indices {
                switch framingField(fields, at: index) {
                case .contentLength:
                    if isHeadRequest { explicitHeadLengthIndex = index }
                case .managed:
                    break
                case .connection:
                    if HTTPHeaders.Field.withValueBytes(in: fields, at: index, { HTTPSyntax.list($0, containsIgnoringCase: "close") }) {
                        keepAlive = false
                    }
                case nil:
                    head.appendField(fields, at: index)
                }
            }
        }
        let explicitHeadLength = explicitHeadLengthIndex.map { response.headers[$0] }
        date.withUnsafeBufferPointer { head.append($0) }

        var plan = BodyPlan.none
        if status.forbidsBody {
            // 1xx, 204 and 304 carry no content and (1xx, 204) no Content-Length.
            if status.code == 304, let explicitHeadLength { head.appendLength(explicitHeadLength) }
        } else if let produce = response.body.stream {
            if let length = response.body.declaredLength {
                head.appendLength(length)
                if !isHeadRequest && length > 0 { plan = .sized(length, produce) }
            } else if isHeadRequest {
                // Length unknown without running the stream: send neither framing header.
            } else if requestVersion == .http1_1 {
                head.append("Transfer-Encoding: chunked\r\n")
                plan = .chunked(produce)
            } else {
                keepAlive = false
                plan = .untilClose(produce)
            }
        } else {
            let count = response.body.knownLength ?? 0
            if isHeadRequest {
                if let explicitHeadLength { head.appendLength(explicitHeadLength) } else { head.appendLength(count) }
            } else {
                head.appendLength(count)
                if count > 0 { plan = .fixed(response.body) }
            }
        }
        if !keepAlive {
            head.append("Connection: close\r\n")
        } else if requestVersion == .http1_0 {
            head.append("Connection: keep-alive\r\n")
        }
        head.appendLineEnd()
        return (plan, keepAlive)
    }

    /// A minimal response for a request that could not be parsed; the connection closes after it.
    static func writeError(_ error: ParseError, into output: inout ByteStorage, date: [UInt8]) {
        var response = Response.text(error.message + "\n", status: error.status)
        response.headers[.connection] = "close"
        _ = writeHead(response, into: &output, date: date, requestVersion: .http1_1, isHeadRequest: false, keepAlive: false)
        output.append(contentsOf: error.message.utf8)
        output.append(10)
    }

    /// Appends the chunk-size line, the data and CRLF of one chunk.
    package static func appendChunk(_ bytes: [UInt8], to output: inout ByteStorage) {
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

    /// Which framing field the name of `fields[index]` is, if any: its length and then its key
    /// (the length and first seven bytes, lower-cased) rule out every other name without reading
    /// its text; only a name with a framing field's key is compared whole. The name is read where
    /// it lies (a copy would retain and release its strings).
    static func framingField(_ fields: UnsafeBufferPointer<HTTPHeaders.Field>, at index: Int) -> FramingField? {
        let key = fields[index].name.key
        switch fields[index].name.utf8Count {
        case 14 where key == Keys.contentLength: return fields[index].name == .contentLength ? .contentLength : nil
        case 17 where key == Keys.transferEncoding: return fields[index].name == .transferEncoding ? .managed : nil
        // Seven bytes or fewer: the key is the whole name.
        case 4 where key == Keys.date: return .managed
        case 10 where key == Keys.connection: return fields[index].name == .connection ? .connection : nil
        default: return nil
        }
    }

    /// The framing fields' keys. Kept apart from the names: matching with `Name ==` against
    /// `.contentLength` and the others instead cost about 200 instructions more per `GET /`
    /// (callgrind), each comparison loading a whole static name. Written out as constants (a test
    /// checks each against its name's key): as `static let`s computed from the names, every
    /// field's check began with a call to the runtime's one-time-initialisation check.
    package enum Keys {
        /// `Content-Length`'s key.
        package static var contentLength: UInt64 { 0x8E74_6E65_746E_6F63 }
        /// `Transfer-Encoding`'s key.
        package static var transferEncoding: UInt64 { 0x9165_6673_6E61_7274 }
        /// `Date`'s key.
        package static var date: UInt64 { 0x8400_0000_6574_6164 }
        /// `Connection`'s key.
        package static var connection: UInt64 { 0x8A74_6365_6E6E_6F63 }
    }
}
