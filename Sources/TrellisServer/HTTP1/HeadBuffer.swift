import Trellis

/// A response head being written into room it must not pass: the spare room of the connection's
/// output (a `ByteStorage`), in place. Every write checks that it fits: one that does not is left
/// out and marks the buffer `overflowed` (nothing is written past the end), and the head is then
/// written again into room computed from the response (`capacity(for:date:)`).
///
/// ```swift
/// output.write(intoSpareRoomOfAtLeast: 1024) { room in
///     var head = HeadBuffer(room)
///     head.append("HTTP/1.1 ")
///     return ((), head.overflowed ? 0 : head.count)
/// }
/// ```
struct HeadBuffer {
    private let storage: UnsafeMutableBufferPointer<UInt8>
    private(set) var count = 0
    /// Some write did not fit, and was left out: `written` is not the whole head.
    private(set) var overflowed = false

    init(_ storage: UnsafeMutableBufferPointer<UInt8>) { self.storage = storage }

    /// The bytes written so far.
    var written: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: storage[..<count]) }

    /// Room for everything `ResponseSerializer.writeHead` may write for `response`: its fields
    /// (each `name: value\r\n`, framing fields included, which covers a `HEAD` response's own
    /// `Content-Length`), the reason phrase (or the standard one in its place), `date`, and a fixed
    /// allowance for the status code, a length line, `Transfer-Encoding`, `Connection` and the
    /// final CRLF.
    static func capacity(for response: Response, date: [UInt8]) -> Int {
        var capacity = fixedAllowance + date.count
        capacity += max(response.status.reasonPhrase.utf8.count, HTTPStatus.standardReasonPhrase(for: response.status.code).utf8.count)
        response.headers.withFields { fields in
            for index in fields.indices {
                capacity += fields[index].name.withUTF8 { $0.count } + fields[index].valueUTF8Count + 4
            }
        }
        return capacity
    }

    /// "HTTP/1.1 " (9), a status code (≤ 20 digits), a space, CRLF; "Content-Length: " (16), ≤ 20
    /// digits, CRLF; "Transfer-Encoding: chunked\r\n" (28); "Connection: keep-alive\r\n" (24);
    /// the final CRLF: 9 + 20 + 1 + 2 + 38 + 28 + 24 + 2 = 124.
    static let fixedAllowance = 128

    /// Where `length` bytes go, or `nil` (and `overflowed`) when they do not fit.
    @inline(__always) private mutating func reserve(_ length: Int) -> Int? {
        guard length <= storage.count &- count else {
            overflowed = true
            return nil
        }
        defer { count &+= length }
        return count
    }

    @inline(__always) mutating func append(_ byte: UInt8) {
        if let offset = reserve(1) { storage[offset] = byte }
    }

    @inline(__always) mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        _ = copy(bytes, flaggingControlBytes: false)
    }

    /// Appends a field value a handler set, and says whether it may be sent: no control byte but
    /// HTAB, nor DEL (RFC 9110 §5.5; a CR or LF would split the response). The words the copy loads
    /// are checked as they pass, a few instructions per eight bytes; only a value with a flagged
    /// byte (a tab, or one to refuse) is checked again byte by byte.
    @inline(__always) mutating func appendFieldValue(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        copy(bytes, flaggingControlBytes: true) == 0 || HTTPSyntax.isFieldValue(bytes)
    }

    /// Copies `bytes` to the end, and with `flaggingControlBytes` returns
    /// `HTTPSyntax.controlOrDeleteBytes` of every word it copied (zero when no byte is a control
    /// byte or DEL; not zero for a tab, which the caller tells apart). A piece longer than 32 bytes
    /// is copied by memcpy and checked whole: not zero when `HTTPSyntax.isFieldValue` refuses it.
    ///
    /// Short pieces (most names and values) are copied inline: cheaper than a call to memcpy, and
    /// than a byte loop, which the compiler vectorises for long runs only. Eight bytes at a time,
    /// the last word overlapping the one before it; under eight bytes, two overlapping four-byte
    /// words, or one to three single bytes. Every store stays inside the piece's room.
    @inline(__always) private mutating func copy(_ bytes: UnsafeBufferPointer<UInt8>, flaggingControlBytes: Bool) -> UInt64 {
        guard let source = bytes.baseAddress, !bytes.isEmpty, let start = reserve(bytes.count) else { return 0 }
        let destination = storage.baseAddress.unsafelyUnwrapped.advanced(by: start)
        let count = bytes.count
        guard count <= 32 else {
            destination.update(from: source, count: count)
            return flaggingControlBytes && !HTTPSyntax.isFieldValue(bytes) ? 1 : 0
        }
        let from = UnsafeRawPointer(source)
        let to = UnsafeMutableRawPointer(destination)
        var flags: UInt64 = 0
        @inline(__always) func flag(_ word: UInt64) {
            if flaggingControlBytes { flags |= HTTPSyntax.controlOrDeleteBytes(in: UInt64(littleEndian: word)) }
        }
        if count >= 8 {
            var offset = 0
            while count &- offset > 8 {
                let word = from.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                to.storeBytes(of: word, toByteOffset: offset, as: UInt64.self)
                flag(word)
                offset &+= 8
            }
            let last = from.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            to.storeBytes(of: last, toByteOffset: count &- 8, as: UInt64.self)
            flag(last)
        } else if count >= 4 {
            let first = from.loadUnaligned(as: UInt32.self)
            let last = from.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
            to.storeBytes(of: first, as: UInt32.self)
            to.storeBytes(of: last, toByteOffset: count &- 4, as: UInt32.self)
            flag(UInt64(UInt32(littleEndian: first)) | UInt64(UInt32(littleEndian: last)) &<< 32)
        } else {
            destination[0] = source[0]
            destination[count &>> 1] = source[count &>> 1]
            destination[count &- 1] = source[count &- 1]
            // The one to three bytes in the low three bytes of a word whose other five are `A`s.
            flag(0x4141_4141_4100_0000 | UInt64(source[0]) | UInt64(source[count &>> 1]) &<< 8 | UInt64(source[count &- 1]) &<< 16)
        }
        return flags
    }

    /// `append` and `appendFieldValue` for a closure that reads a string where it lies: out of
    /// line, so that the closure itself stays small and is inlined. With the copy inlined into it,
    /// each closure was compiled as a function of its own, called with a context, and the field's
    /// strings were retained several times around the call (`GET /` 60 and `+ Origin` 206
    /// instructions a request more than this way).
    /// Appends a short ASCII value from its string's two words (`HTTPHeaders.Field.smallValueWords`)
    /// and returns true, when it has no control byte or DEL and 16 bytes of room are left: both
    /// words stored whole, the count moved by the value's length. Otherwise appends nothing and
    /// returns false, for the exact path (`appendFieldValue`) to write or refuse it.
    @inline(__always) private mutating func appendSmallFieldValue(_ small: (low: UInt64, high: UInt64, count: Int)) -> Bool {
        let (low, high) = SmallASCIIString.paddedWithSpaces(small)
        guard HTTPSyntax.controlOrDeleteBytes(in: low) | HTTPSyntax.controlOrDeleteBytes(in: high) == 0,
            storage.count &- count >= 16, let base = storage.baseAddress
        else { return false }
        let to = UnsafeMutableRawPointer(base.advanced(by: count))
        to.storeBytes(of: small.low.littleEndian, as: UInt64.self)
        to.storeBytes(of: small.high.littleEndian, toByteOffset: 8, as: UInt64.self)
        count &+= small.count
        return true
    }

    @inline(never) mutating func appendOutOfLine(_ bytes: UnsafeBufferPointer<UInt8>) { append(bytes) }
    @inline(never) mutating func appendFieldValueOutOfLine(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { appendFieldValue(bytes) }

    @inline(__always) mutating func append(_ literal: StaticString) {
        append(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// CR LF.
    @inline(__always) mutating func appendLineEnd() {
        guard let start = reserve(2) else { return }
        storage[start] = 13
        storage[start + 1] = 10
    }

    /// Appends a non-negative integer in decimal (a negative one as 0).
    mutating func appendDecimal(_ value: Int) {
        // Written in place: counted first, so the digits go straight into the reserved room.
        let magnitude = UInt64(max(0, value))
        let digits = DecimalDigits.count(magnitude)
        guard let start = reserve(digits) else { return }
        _ = DecimalDigits.write(magnitude, into: storage, endingAt: start + digits)
    }

    /// `Content-Length: <length>` and CRLF.
    mutating func appendLength(_ length: Int) {
        append("Content-Length: ")
        appendDecimal(length)
        appendLineEnd()
    }

    /// `Content-Length: <value>` and CRLF for a handler's own value (a `HEAD` or `304` answer),
    /// or nothing when it is not a valid length.
    mutating func appendLength(_ field: borrowing HTTPHeaders.Field) {
        guard field.withValueBytes({ RequestHeadParser.parseContentLength($0) }) != nil else { return }
        append("Content-Length: ")
        field.withValueBytes { append($0) }
        appendLineEnd()
    }

    /// Appends `name: value` and CRLF, or nothing when the name is not a token or the value holds a
    /// control byte (CR, LF, NUL, …: a handler's value must not split the response). The name was
    /// checked when it was made (`Name.isToken`); the value is checked as it is copied
    /// (`appendFieldValue`), and the field is taken back out when it fails (a copy that did not fit
    /// marks the buffer `overflowed`, and the whole head is written again). The field is read where
    /// it lies in `fields` (a copy would retain and release its strings; a handler may send a
    /// request's fields back, whose values may lie in the first one's text).
    mutating func appendField(_ fields: UnsafeBufferPointer<HTTPHeaders.Field>, at index: Int) {
        guard fields[index].name.isToken else { return }
        let start = count
        fields[index].name.withUTF8 { appendOutOfLine($0) }
        append(": ")
        if let small = fields[index].smallValueWords, appendSmallFieldValue(small) {
            appendLineEnd()
            return
        }
        guard HTTPHeaders.Field.withValueBytes(in: fields, at: index, { appendFieldValueOutOfLine($0) }) else {
            count = start
            return
        }
        appendLineEnd()
    }
}
