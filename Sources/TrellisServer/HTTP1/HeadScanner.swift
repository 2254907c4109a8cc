import Trellis

/// Finds the lines and the end of a request head in bytes that arrive piece by piece, rejecting bare
/// CR and bare LF line endings and NUL bytes as soon as they are seen, and enforcing the size limits
/// without waiting for the head to finish. Each complete line is handed to the caller as soon as its
/// CRLF arrives, so an invalid line is rejected before the rest of the head. Resumable: it never
/// rescans bytes it has seen.
package struct HeadScanner {
    enum Outcome {
        /// More bytes are needed.
        case incomplete
        /// The head occupies `start..<end` of the buffer (`end` is just past the blank line).
        case complete(start: Int, end: Int)
    }

    let maxRequestLineLength: Int
    let maxHeadLength: Int
    /// Where the head starts (after ignored leading blank lines).
    private var start: Int
    private var lineStart: Int
    private var position: Int
    private var sawRequestLine = false
    private var skippedBlankLines = 0
    /// No byte of the current line so far is a control byte (but HTAB) or DEL.
    private var lineIsPlain = true

    /// A scanner for a head that starts at the first unread byte.
    init(maxRequestLineLength: Int, maxHeadLength: Int) {
        self.maxRequestLineLength = maxRequestLineLength
        self.maxHeadLength = maxHeadLength
        start = 0
        lineStart = 0
        position = 0
    }

    /// Whether any byte of a request has been seen (for the header timeout and clean closes).
    var hasStarted: Bool { position > start || sawRequestLine }

    /// The bytes of a line whose CRLF has not arrived yet, and whether it is the request line: what
    /// the framer checks so that a line that can no longer become valid is rejected at once.
    var pendingLine: (range: Range<Int>, isRequestLine: Bool)? {
        position > lineStart ? (lineStart..<position, !sawRequestLine) : nil
    }

    /// Scans the new bytes of `buffer` (indices up to `buffer.count`), calling `line` with the range of
    /// each complete non-blank line (without its CRLF), and whether the line is plain: no byte of
    /// it is a control byte but HTAB, or DEL (so a field value in it needs no check of its own;
    /// the line's parser refuses any other line with its own message). The first is the request line.
    mutating func scan(
        _ buffer: UnsafeBufferPointer<UInt8>,
        line: (Range<Int>, Bool) throws(ParseError) -> Void
    ) throws(ParseError) -> Outcome {
        // The state the loop changes is kept in locals and stored back once, when the scan returns
        // or throws: stored as it changed, it was reloaded after each line's call, wider than it
        // was stored (a store-forwarding stall on every line).
        var position = self.position
        var lineStart = self.lineStart
        var lineIsPlain = self.lineIsPlain
        defer {
            self.position = position
            self.lineStart = lineStart
            self.lineIsPlain = lineIsPlain
        }
        while position < buffer.count {
            // Ordinary bytes (all but control bytes and DEL) are skipped sixteen at a time; the
            // limits are checked once at each stop.
            position = Self.endOfOrdinaryBytes(in: buffer, from: position)
            try checkLimits(position: position, lineStart: lineStart)
            guard position < buffer.count else { break }
            let byte = buffer[position]
            // Most stops are a line's CR: that test comes first and alone (compared with the other
            // bytes as one switch, it became a jump table that cost a table load before every line end).
            if _fastPath(byte == UInt8(ascii: "\r")) {
                // Look at the next byte before moving on, so a CR at the end of a read is checked later.
                guard position + 1 < buffer.count else { return .incomplete }
                if buffer[position + 1] != UInt8(ascii: "\n") { throw .badRequest("Bare CR in the request head.") }
                // The CRLF ends a line: its CR and LF are taken in one step (the limits are checked
                // at the LF, as for any byte).
                position += 1
                try checkLimits(position: position, lineStart: lineStart)
                let isBlank = position - 1 == lineStart
                if isBlank {
                    if !sawRequestLine {
                        // RFC 9112 §2.2: ignore at least one empty line before the request-line.
                        skippedBlankLines += 1
                        if skippedBlankLines > 8 { throw .badRequest("Too many empty lines before the request line.") }
                        start = position + 1
                        lineStart = position + 1
                        position += 1
                        continue
                    }
                    return .complete(start: start, end: position + 1)
                }
                try line(lineStart..<(position - 1), lineIsPlain)
                sawRequestLine = true
                lineStart = position + 1
                lineIsPlain = true
            } else if byte == UInt8(ascii: "\n") {
                // A LF after a CR is taken with the CR: this one has none.
                throw .badRequest("Bare LF line ending; lines must end with CRLF.")
            } else if byte == 0 {
                throw .badRequest("NUL byte in the request head.")
            } else if byte != UInt8(ascii: "\t") {
                lineIsPlain = false
            }
            position += 1
        }
        return .incomplete
    }

    /// The first offset at or after `start` that holds a control byte (below 0x20) or DEL, or
    /// `buffer.count`. Sixteen bytes a step, as two words: the lowest bit
    /// `HTTPSyntax.controlOrDeleteBytes` sets marks the first such byte exactly, so no byte loop
    /// is needed to find it.
    @inline(__always)
    package static func endOfOrdinaryBytes(in buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = buffer.baseAddress else { return start }
        let raw = UnsafeRawPointer(base)
        let end = buffer.count
        var next = start
        @inline(__always) func stops(at offset: Int) -> UInt64 {
            HTTPSyntax.controlOrDeleteBytes(in: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
        }
        while end &- next >= 16 {
            let first = stops(at: next)
            let second = stops(at: next &+ 8)
            if first | second != 0 {
                return first != 0
                    ? next &+ first.trailingZeroBitCount &>> 3
                    : next &+ 8 &+ second.trailingZeroBitCount &>> 3
            }
            next &+= 16
        }
        if end &- next >= 8 {
            let word = stops(at: next)
            if word != 0 { return next &+ word.trailingZeroBitCount &>> 3 }
            next &+= 8
        }
        while next < end, base[next] >= 0x20, base[next] != 0x7F { next &+= 1 }
        return next
    }

    /// Throws when the request line or the head has grown past its limit (`position` and
    /// `lineStart`: the scan's own, which it keeps in locals while it runs).
    @inline(__always)
    private func checkLimits(position: Int, lineStart: Int) throws(ParseError) {
        if !sawRequestLine, position - lineStart > maxRequestLineLength {
            throw ParseError(status: .uriTooLong, message: "Request line longer than \(maxRequestLineLength) bytes.")
        }
        if position - start > maxHeadLength {
            throw ParseError(
                status: .requestHeaderFieldsTooLarge,
                message: "Request head larger than \(maxHeadLength) bytes."
            )
        }
    }
}
