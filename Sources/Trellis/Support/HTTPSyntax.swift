/// The byte rules of HTTP (RFC 9110 §5.6, RFC 9112) and the ASCII helpers built on them, shared by
/// every Trellis module (`package`): the parser, the serializer, cookies, CORS and the catalog all
/// use these and no copies.
@usableFromInline package enum HTTPSyntax {
    /// `tchar`: the characters of a token (method, header name, coding name, cookie name).
    @inlinable package static func isTokenChar(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
            UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
            UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// A byte allowed in a field value: `VCHAR`, `obs-text`, space or horizontal tab.
    @inlinable package static func isFieldValueChar(_ byte: UInt8) -> Bool {
        byte == 0x09 || (byte >= 0x20 && byte != 0x7F)
    }

    /// A byte allowed in a request-target: visible ASCII only (no controls, spaces or bytes >= 0x80).
    @inlinable package static func isTargetChar(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }

    /// A set of ASCII bytes as two bit masks: bit `b` of `low` is byte `b` (0–63), bit `b` of
    /// `high` is byte `64 + b`; no byte of 128 or more is in it. Testing a run of bytes against it
    /// is one mask test per byte, no branch per character class (the serializer's token check,
    /// the server's `Host` check).
    @usableFromInline package struct ByteSet: Sendable {
        @usableFromInline let low: UInt64
        @usableFromInline let high: UInt64

        @inlinable package init(low: UInt64, high: UInt64) {
            self.low = low
            self.high = high
        }

        /// Whether `byte` is in the set.
        @inlinable package func contains(_ byte: UInt8) -> Bool {
            let mask = byte < 64 ? low : (byte < 128 ? high : 0)
            return mask & (UInt64(1) &<< UInt64(byte & 63)) != 0
        }

        /// Whether every byte of `bytes` is in the set (`true` for none).
        /// A byte at a time with an early exit: the fields it checks are short, and the branch-free
        /// form was vectorised four bytes at a time into about fifty instructions per step.
        @inlinable package func containsAll(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            for byte in bytes where !contains(byte) { return false }
            return true
        }
    }

    /// `tchar` (RFC 9110 §5.6.2) as a byte set: the same bytes as `isTokenChar` (a test checks every byte).
    @usableFromInline package static let tokenCharacters = ByteSet(low: 0x03ff_6cfa_0000_0000, high: 0x57ff_ffff_c7ff_fffe)

    /// Whether `bytes` is a non-empty token: one mask test per byte, no branch per character class.
    @inlinable package static func isToken(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        !bytes.isEmpty && tokenCharacters.containsAll(bytes)
    }

    /// Whether `bytes` hold no control byte but HTAB (field-value, RFC 9110 §5.5; the bytes of
    /// `isFieldValueChar`). Eight bytes a step, the last word overlapping the one before it (no
    /// byte loop at the end); only a word `controlOrDeleteBytes` flags (a tab, or a byte to
    /// refuse) is looked at byte by byte. Under eight bytes, one pass without an early exit.
    @inlinable package static func isFieldValue(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        guard count >= 8, let base = bytes.baseAddress else {
            var bad: UInt8 = 0
            for byte in bytes {
                bad |= (byte < 0x20 && byte != 0x09 ? 1 : 0) | (byte == 0x7F ? 1 : 0)
            }
            return bad == 0
        }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while true {
            let start = Swift.min(offset, count &- 8)
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: start, as: UInt64.self))
            if controlOrDeleteBytes(in: word) != 0 {
                for index in start..<(start &+ 8) where !isFieldValueChar(base[index]) { return false }
            }
            if start == count &- 8 { return true }
            offset &+= 8
        }
    }

    /// Whether every byte of `bytes` may appear in a request-target (`isTargetChar`: visible
    /// ASCII, no space). Eight bytes a step, the last word overlapping the one before it: bytes
    /// below 0x21 (`bytes(below:in:)`), and bytes of 0x7F or more, whose high bit is set in
    /// `((w & 0x7F…7F) + 0x01…01) | w` (the sum carries into no other byte). Under eight bytes, a
    /// byte at a time.
    ///
    /// ```swift
    /// Array("/items/42?q=x".utf8).withUnsafeBufferPointer(HTTPSyntax.isTarget) // true
    /// ```
    @inlinable package static func isTarget(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        guard count >= 8, let base = bytes.baseAddress else { return bytes.allSatisfy(isTargetChar) }
        let raw = UnsafeRawPointer(base)
        var flags: UInt64 = 0
        var offset = 0
        while true {
            let start = Swift.min(offset, count &- 8)
            let word = raw.loadUnaligned(fromByteOffset: start, as: UInt64.self)
            flags |= Self.bytes(below: 0x21, in: word) | ((word & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x0101_0101_0101_0101 | word) & 0x8080_8080_8080_8080
            if start == count &- 8 { return flags == 0 }
            offset &+= 8
        }
    }

    /// The bytes of the little-endian `word` below `limit` (at most 0x80), as the high bit of each:
    /// `(w - limit…limit) & ~w & 0x80…80`. Not zero exactly when the word holds such a byte, and
    /// the lowest set bit marks the first one: a borrow only runs upwards, from a flagged byte, so
    /// it may set bits above that one, never in a word without one. The one word test behind the
    /// scans that go eight bytes a step (field values, targets, JSON strings, `firstIndex(of:in:)`).
    ///
    /// ```swift
    /// HTTPSyntax.bytes(below: 0x20, in: word) != 0 // the word holds a control byte
    /// ```
    @inlinable @inline(__always) package static func bytes(below limit: UInt8, in word: UInt64) -> UInt64 {
        (word &- UInt64(limit) &* 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
    }

    /// The bytes of the little-endian `word` equal to `byte`, as the high bit of each: the zero
    /// bytes of `word ^ byte…byte` (`bytes(below: 1, …)`, with the same borrow caveat).
    ///
    /// ```swift
    /// let first = HTTPSyntax.bytes(equalTo: UInt8(ascii: ":"), in: word).trailingZeroBitCount / 8 // 8: none
    /// ```
    @inlinable @inline(__always) package static func bytes(equalTo byte: UInt8, in word: UInt64) -> UInt64 {
        bytes(below: 1, in: word ^ UInt64(byte) &* 0x0101_0101_0101_0101)
    }

    /// The bytes of the little-endian `word` that are control bytes (below 0x20) or DEL, as the
    /// high bit of each (with the borrow caveat of `bytes(below:in:)`).
    ///
    /// ```swift
    /// let first = HTTPSyntax.controlOrDeleteBytes(in: word).trailingZeroBitCount / 8 // 8: none
    /// ```
    @inlinable @inline(__always) package static func controlOrDeleteBytes(in word: UInt64) -> UInt64 {
        bytes(below: 0x20, in: word) | bytes(equalTo: 0x7F, in: word)
    }

    /// Space or horizontal tab (HTTP's optional whitespace).
    @inlinable package static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    /// An ASCII letter.
    @inlinable package static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    /// An ASCII digit.
    @inlinable package static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// The value of a hexadecimal digit (either case), `nil` for any other byte.
    @inlinable package static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `byte` with an ASCII capital letter lower-cased; every other byte unchanged.
    @inlinable package static func lowercased(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

    /// Lower-cases ASCII letters only, returning `text` itself (no copy) when it has none. Unlike
    /// `String.lowercased()`, never touches non-ASCII characters (header names, schemes, codings).
    @inlinable package static func lowercased(_ text: String) -> String {
        var needsWork = false
        for byte in text.utf8 where byte >= 0x41 && byte <= 0x5A {
            needsWork = true
            break
        }
        guard needsWork else { return text }
        // Written in place: no intermediate array (and no heap at all for strings of up to 15 bytes).
        let utf8 = text.utf8
        return String(unsafeUninitializedCapacity: utf8.count) { buffer in
            var index = 0
            for byte in utf8 {
                buffer[index] = lowercased(byte)
                index += 1
            }
            return index
        }
    }

    /// Lower-cases ASCII letters of a substring into a new string.
    @inlinable package static func lowercased(_ text: Substring) -> String { lowercased(String(text)) }

    /// Whether two byte runs are equal, compared eight bytes at a time (a generic
    /// `elementsEqual` goes through iterators byte by byte).
    ///
    /// ```swift
    /// HTTPSyntax.bytesEqual(origin, allowed) // an Origin value against an allowed origin
    /// ```
    @inlinable package static func bytesEqual(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        guard left.count == right.count else { return false }
        guard let leftBase = left.baseAddress, let rightBase = right.baseAddress else { return true }
        let (leftRaw, rightRaw) = (UnsafeRawPointer(leftBase), UnsafeRawPointer(rightBase))
        var offset = 0
        while offset + 8 <= left.count {
            if leftRaw.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != rightRaw.loadUnaligned(fromByteOffset: offset, as: UInt64.self) {
                return false
            }
            offset += 8
        }
        while offset < left.count {
            if left[offset] != right[offset] { return false }
            offset += 1
        }
        return true
    }

    /// Whether two byte runs are equal ignoring ASCII case (header names, list tokens).
    ///
    /// ```swift
    /// HTTPSyntax.equalsIgnoringCase(element, token) // "Close" and "close"
    /// ```
    @inlinable package static func equalsIgnoringCase(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        guard left.count == right.count else { return false }
        for index in left.indices where lowercased(left[index]) != lowercased(right[index]) { return false }
        return true
    }

    /// Whether `bytes` equals the lower-case `lowercased`, ignoring ASCII case.
    @inlinable package static func equalsIgnoringCase<Bytes: Collection<UInt8>>(_ bytes: Bytes, lowercased: String.UTF8View) -> Bool {
        bytes.count == lowercased.count && zip(bytes, lowercased).allSatisfy { Self.lowercased($0) == $1 }
    }

    /// Calls `body` with each element of the comma-separated list in `bytes`, without surrounding
    /// spaces and tabs, where it lies; empty elements are skipped. Stops when `body` returns
    /// `false`.
    ///
    /// ```swift
    /// HTTPSyntax.forEachListElement(bytes) { element in print(element.count); return true }
    /// ```
    @inlinable package static func forEachListElement(
        _ bytes: UnsafeBufferPointer<UInt8>,
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Bool
    ) rethrows {
        try forEachElement(of: bytes, separatedBy: UInt8(ascii: ","), body)
    }

    /// Calls `body` with each piece of `bytes` between the byte `separator`s, without surrounding
    /// spaces and tabs, where it lies; empty pieces are skipped. Stops when `body` returns
    /// `false`. Split at the byte, not at characters: a separator followed by a combining mark is
    /// one `Character` with it.
    ///
    /// ```swift
    /// HTTPSyntax.forEachElement(of: cookieField, separatedBy: UInt8(ascii: ";")) { pair in …; return true }
    /// ```
    @inlinable package static func forEachElement(
        of bytes: UnsafeBufferPointer<UInt8>,
        separatedBy separator: UInt8,
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Bool
    ) rethrows {
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != separator { end += 1 }
            let element = trimmingWhitespace(UnsafeBufferPointer(rebasing: bytes[start..<end]))
            if !element.isEmpty, try !body(element) { return }
            start = end + 1
        }
    }

    /// `bytes` without leading and trailing spaces and tabs.
    ///
    /// ```swift
    /// HTTPSyntax.trimmingWhitespace(value) // the bytes of "a b" for " a b\t"
    /// ```
    @inlinable package static func trimmingWhitespace(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var first = 0
        var last = bytes.count
        while first < last, isWhitespace(bytes[first]) { first += 1 }
        while last > first, isWhitespace(bytes[last - 1]) { last -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[first..<last])
    }

    /// Whether the comma-separated list in `bytes` has an element that is `token`, ignoring ASCII
    /// case: one pass over the bytes where they lie.
    @inlinable package static func list(_ bytes: UnsafeBufferPointer<UInt8>, containsIgnoringCase token: UnsafeBufferPointer<UInt8>) -> Bool {
        var found = false
        forEachListElement(bytes) { element in
            found = equalsIgnoringCase(element, token)
            return !found
        }
        return found
    }

    /// `list(_:containsIgnoringCase:)` for a token written as a literal (`"close"`).
    ///
    /// ```swift
    /// HTTPSyntax.list(value, containsIgnoringCase: "close")
    /// ```
    @inlinable package static func list(_ bytes: UnsafeBufferPointer<UInt8>, containsIgnoringCase token: StaticString) -> Bool {
        list(bytes, containsIgnoringCase: UnsafeBufferPointer(start: token.utf8Start, count: token.utf8CodeUnitCount))
    }
}

extension StringProtocol {
    /// The string without leading and trailing spaces and tabs (HTTP's optional whitespace).
    @inlinable package func trimmingHTTPWhitespace() -> SubSequence { trimming { $0 == " " || $0 == "\t" } }

    /// The string without leading and trailing characters for which `isTrimmed` holds.
    @inlinable package func trimming(while isTrimmed: (Character) -> Bool) -> SubSequence {
        var start = startIndex
        var end = endIndex
        while start < end, isTrimmed(self[start]) { start = index(after: start) }
        while end > start {
            let before = index(before: end)
            guard isTrimmed(self[before]) else { break }
            end = before
        }
        return self[start..<end]
    }
}
