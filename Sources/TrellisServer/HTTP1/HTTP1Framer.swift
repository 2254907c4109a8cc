import Trellis

/// Frames HTTP/1.1 requests in bytes that arrive piece by piece: finds and validates the head line
/// by line (an invalid line is rejected as soon as its CRLF arrives, not at the end of the head),
/// interprets the framing fields, then decodes the body (`Content-Length` or chunked) in bounded
/// pieces. The one implementation of scan → parse → framing, used by the server's connections and
/// by `HTTP1Parser`.
package struct HTTP1Framer {
    package struct Limits {
        package var maxRequestLineLength: Int
        package var maxTargetLength: Int
        package var maxHeadLength: Int
        package var maxHeaderCount: Int
        package var maxBodyLength: Int

        package init(maxRequestLineLength: Int, maxTargetLength: Int, maxHeadLength: Int, maxHeaderCount: Int, maxBodyLength: Int) {
            self.maxRequestLineLength = maxRequestLineLength
            self.maxTargetLength = maxTargetLength
            self.maxHeadLength = maxHeadLength
            self.maxHeaderCount = maxHeaderCount
            self.maxBodyLength = maxBodyLength
        }
    }

    /// Where the body of the current request stands.
    package enum BodyState: Equatable {
        /// No body, or all of it has been decoded.
        case complete
        /// This many bytes of a `Content-Length` body are still to come.
        case length(remaining: Int)
        /// A chunked body is being decoded.
        case chunked
    }

    /// The most body bytes handed over at once (one chunk of a streamed body).
    package static let maxBodyChunk = 64 * 1024

    let limits: Limits
    private var scanner: HeadScanner
    /// The request line, its target as a range of the head's bytes.
    private var requestLine: (method: HTTPMethod, target: Range<Int>, version: HTTPVersion)?
    /// The fields accepted so far. A short value is made a small string as its line arrives, until
    /// the head's text is known to be needed: from then on each value is only located in the
    /// head's bytes (`Field.init(name:headTextRange:)`), and `HeadText` gives the headers that
    /// text once the head is complete.
    private var headers = HTTPHeaders()
    /// The head's text will be made (the target or a value accepted so far is too long to be a
    /// small string), and the values from here on lie in it.
    private var headTextWillBeMade = false
    /// Where the first field's value lies in the head: that field holds the head's text once it
    /// is made (`HTTPHeaders.adoptHeadText(_:firstValue:)`).
    private var firstValue = 0..<0
    /// The framing fields noted as their lines arrived.
    private var framingFields = RequestHeadParser.FramingFields()
    package private(set) var bodyState = BodyState.complete
    private var chunked: ChunkedDecoder
    /// The common field names, fetched once for every line of every head, and the framing field
    /// of each (by the name's slot in the table).
    private let commonNames = HTTPHeaders.Name.CommonNames()
    private let commonNameFramingFields = RequestHeadParser.FramingField.ofCommonNameSlots

    package init(limits: Limits) {
        self.limits = limits
        scanner = HeadScanner(maxRequestLineLength: limits.maxRequestLineLength, maxHeadLength: limits.maxHeadLength)
        chunked = ChunkedDecoder(maxBodyLength: limits.maxBodyLength, maxTrailerLength: limits.maxHeadLength)
        headers.reserveCapacity(8)
    }

    /// Forgets the previous request; the next head starts at offset 0 of the unread bytes.
    package mutating func reset() {
        scanner = HeadScanner(maxRequestLineLength: limits.maxRequestLineLength, maxHeadLength: limits.maxHeadLength)
        requestLine = nil
        // The previous request's copy of these fields is gone by now (its response was written):
        // the storage is reused rather than allocated again.
        headers.removeAll(keepingCapacity: true)
        headTextWillBeMade = false
        framingFields = RequestHeadParser.FramingFields()
        bodyState = .complete
    }

    /// Whether any byte of a request head has been seen (for the header timeout and clean closes).
    package var headStarted: Bool { scanner.hasStarted }

    // MARK: Head

    /// Scans the unread bytes (which start where the head starts); returns the head and its length
    /// in bytes once the blank line has arrived, `nil` while more bytes are needed.
    package mutating func parseHead(_ buffer: UnsafeBufferPointer<UInt8>) throws(ParseError) -> (head: RequestHead, length: Int)? {
        var scanner = self.scanner
        defer { self.scanner = scanner }
        let outcome = try scanner.scan(buffer) { range, isPlain throws(ParseError) in
            try acceptLine(UnsafeBufferPointer(rebasing: buffer[range]), at: range.lowerBound, isPlain: isPlain)
        }
        guard case .complete(_, let end) = outcome, let requestLine else {
            if let pending = scanner.pendingLine { try checkUnfinishedLine(UnsafeBufferPointer(rebasing: buffer[pending.range]), pending.isRequestLine) }
            return nil
        }
        let headBytes = UnsafeBufferPointer(rebasing: buffer[0..<end])
        let text = headTextWillBeMade ? HeadText.of(headBytes) : nil
        if headTextWillBeMade { HeadText.giveValues(to: &headers, text: text, head: headBytes, firstValue: firstValue) }
        let meaning = try RequestHeadParser.interpret(
            method: requestLine.method,
            target: UnsafeBufferPointer(rebasing: buffer[requestLine.target]),
            version: requestLine.version,
            headers: headers,
            found: framingFields
        )
        let target = HeadText.piece(requestLine.target, of: headBytes, text: text)
        var head = RequestHead(
            method: requestLine.method,
            targetText: target.text,
            targetRange: target.range,
            version: requestLine.version,
            headers: headers,
            framing: meaning.framing,
            keepAlive: meaning.keepAlive,
            expectsContinue: meaning.expectsContinue
        )
        // An absolute-form target's authority replaces `Host` (RFC 9112 §3.2.2).
        if let authority = meaning.authority { head.headers[.host] = authority }
        switch head.framing {
        case .none: bodyState = .complete
        case .length(let length): bodyState = .length(remaining: length)
        case .chunked:
            bodyState = .chunked
            chunked = ChunkedDecoder(maxBodyLength: limits.maxBodyLength, maxTrailerLength: limits.maxHeadLength)
        }
        return (head, end)
    }

    /// Rejects a line whose CRLF has not arrived when its bytes so far can no longer become valid,
    /// with the status the whole line would get: the request line's method, target and version
    /// (`RequestHeadParser.checkUnfinishedRequestLine`), and a header line that starts with
    /// whitespace (obsolete line folding, or whitespace before the first field: RFC 9112 §2.2,
    /// §5.2), after the same field-count check a complete line gets.
    private func checkUnfinishedLine(_ line: UnsafeBufferPointer<UInt8>, _ isRequestLine: Bool) throws(ParseError) {
        if isRequestLine {
            try RequestHeadParser.checkUnfinishedRequestLine(line, maxTargetLength: limits.maxTargetLength)
        } else if let first = line.first, HTTPSyntax.isWhitespace(first) {
            if headers.count == limits.maxHeaderCount {
                throw ParseError(status: .requestHeaderFieldsTooLarge, message: "More than \(limits.maxHeaderCount) header fields.")
            }
            throw .badRequest("Obsolete line folding is not accepted.")
        }
    }

    /// Validates one complete line of the head, at `offset` in the head's bytes, as soon as it has
    /// arrived. `isPlain`: the scanner found no control byte but HTAB, nor DEL, in it.
    private mutating func acceptLine(_ line: UnsafeBufferPointer<UInt8>, at offset: Int, isPlain: Bool) throws(ParseError) {
        guard requestLine != nil else {
            let (method, target, version) = try RequestHeadParser.parseRequestLine(line, maxTargetLength: limits.maxTargetLength)
            requestLine = (method, (offset + target.lowerBound)..<(offset + target.upperBound), version)
            // A long target lies in the head's text (`HeadText.piece`), and so can every value.
            if target.count > HeadText.smallStringCapacity { headTextWillBeMade = true }
            return
        }
        if headers.count == limits.maxHeaderCount {
            throw ParseError(status: .requestHeaderFieldsTooLarge, message: "More than \(limits.maxHeaderCount) header fields.")
        }
        let parts = try RequestHeadParser.fieldLineParts(line, isPlain: isPlain, commonNames: commonNames)
        let name = parts.name(in: line, commonNames)
        let valueRange = parts.value
        let framingField = parts.commonSlot >= 0
            ? commonNameFramingFields[parts.commonSlot] : RequestHeadParser.FramingField(line, nameLength: parts.nameLength)
        let value = UnsafeBufferPointer(rebasing: line[valueRange])
        if value.count > HeadText.smallStringCapacity { headTextWillBeMade = true }
        if headers.isEmpty { firstValue = (offset + valueRange.lowerBound)..<(offset + valueRange.upperBound) }
        if headTextWillBeMade {
            // Only located now: the head's text will be made for a long piece, and this value
            // lies in it (`HeadText.giveValues(to:text:head:firstValue:)`), without a reference
            // of its own.
            headers.append(HTTPHeaders.Field(name: name, headTextRange: (offset + valueRange.lowerBound)..<(offset + valueRange.upperBound)))
        } else {
            // Short enough to live in the field itself, in a head that may need no text of its
            // own: made now (no allocation, no second pass).
            headers.append(HTTPHeaders.Field(name: name, value: String(utf8: value)))
        }
        guard let field = framingField else { return }
        switch field {
        case .contentLength:
            guard framingFields.contentLength == nil else { throw .badRequest("More than one Content-Length header.") }
            guard let length = RequestHeadParser.parseContentLength(value) else { throw .badRequest("Invalid Content-Length.") }
            if length > limits.maxBodyLength {
                throw ParseError(status: .contentTooLarge, message: "Body larger than \(limits.maxBodyLength) bytes.")
            }
            framingFields.contentLength = length
        case .host:
            guard !framingFields.hasHost else { throw .badRequest("More than one Host header.") }
            framingFields.hasHost = true
            if !HostPort.hasAuthorityCharacters(value) { throw .badRequest("Invalid Host header.") }
        case .transferEncoding:
            if requestLine?.version == .http1_0 { throw .badRequest("Transfer-Encoding is not allowed in an HTTP/1.0 request.") }
            fallthrough
        default:
            framingFields.note(field, value: value, at: headers.count - 1, isHTTP1_0: requestLine?.version == .http1_0)
        }
    }

    // MARK: Body

    /// Decodes body bytes from `buffer` into `chunk`, adding at most `maximum` bytes; returns how many
    /// bytes of `buffer` it consumed. `bodyState` is `.complete` once the body has ended.
    package mutating func decodeBody(
        _ buffer: UnsafeBufferPointer<UInt8>,
        into chunk: inout [UInt8],
        maximum: Int
    ) throws(ParseError) -> Int {
        switch bodyState {
        case .complete:
            return 0
        case .length(let remaining):
            let count = min(remaining, buffer.count, maximum)
            chunk.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[0..<count]))
            bodyState = remaining == count ? .complete : .length(remaining: remaining - count)
            return count
        case .chunked:
            let consumed = try chunked.decode(buffer, into: &chunk, maximum: maximum)
            if chunked.isDone { bodyState = .complete }
            return consumed
        }
    }

    /// Skips body bytes without keeping them; returns how many bytes of `buffer` it consumed and how
    /// many of them were body content.
    package mutating func skipBody(_ buffer: UnsafeBufferPointer<UInt8>) throws(ParseError) -> (consumed: Int, content: Int) {
        switch bodyState {
        case .complete:
            return (0, 0)
        case .length(let remaining):
            let count = min(remaining, buffer.count)
            bodyState = remaining == count ? .complete : .length(remaining: remaining - count)
            return (count, count)
        case .chunked:
            var scratch: [UInt8] = []
            scratch.reserveCapacity(min(buffer.count, Self.maxBodyChunk))
            var consumed = 0
            var content = 0
            while consumed < buffer.count, !chunked.isDone {
                scratch.removeAll(keepingCapacity: true)
                let step = try chunked.decode(UnsafeBufferPointer(rebasing: buffer[consumed...]), into: &scratch, maximum: Self.maxBodyChunk)
                if step == 0 { break }
                consumed += step
                content += scratch.count
            }
            if chunked.isDone { bodyState = .complete }
            return (consumed, content)
        }
    }
}
