extension StringProtocol {
    /// Calls `body` with the text's UTF-8 bytes where they lie (a native string's are contiguous),
    /// or with a copy when they are not (a bridged string): the one way Trellis scans text as bytes.
    ///
    /// ```swift
    /// let hasQuery = target.withContiguousUTF8 { $0.contains(UInt8(ascii: "?")) }
    /// ```
    @inlinable package func withContiguousUTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        return try Array(utf8).withUnsafeBufferPointer(body)
    }
}

extension Substring {
    /// Calls `body` with the slice's UTF-8 bytes where they lie in its base string (or with a
    /// copy when the base is not native). A slice's own contiguous-storage path is the generic
    /// `Slice` one, several times dearer: a parsed header value is a slice, and the server writes
    /// every response field through here.
    ///
    /// ```swift
    /// let hasComma = field.valueSlice.withContiguousUTF8 { $0.contains(UInt8(ascii: ",")) }
    /// ```
    @inlinable package func withContiguousUTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        let whole = base.utf8
        // A whole string as a slice (every value a handler sets): its own bytes, no offsets.
        if startIndex == whole.startIndex && endIndex == whole.endIndex,
            let result = try whole.withContiguousStorageIfAvailable(body)
        {
            return result
        }
        let offsets = utf8OffsetsInBase
        if let result = try whole.withContiguousStorageIfAvailable({ try body(UnsafeBufferPointer(rebasing: $0[offsets])) }) {
            return result
        }
        return try Array(utf8).withUnsafeBufferPointer(body)
    }

    /// Where the slice lies in its base string, as UTF-8 offsets (measured in the base's own view:
    /// a slice's view goes through generic slice code).
    ///
    /// ```swift
    /// let text = "GET /a?b HTTP/1.1"
    /// text.dropFirst(4).prefix(4).utf8OffsetsInBase // 4..<8
    /// ```
    @inlinable package var utf8OffsetsInBase: Range<Int> {
        let whole = base.utf8
        return whole.distance(from: whole.startIndex, to: startIndex)..<whole.distance(from: whole.startIndex, to: endIndex)
    }
}

extension StringProtocol {
    /// The index of the first UTF-8 byte `byte` (an ASCII byte, so the index is a character
    /// boundary), scanned where the bytes lie: a `String.UTF8View` or `Substring.UTF8View` scan
    /// through the generic `Collection` path costs about forty instructions a byte.
    ///
    /// ```swift
    /// let question = target.firstIndex(ofASCII: UInt8(ascii: "?"))
    /// ```
    @inlinable package func firstIndex(ofASCII byte: UInt8) -> Index? {
        guard let offset = withContiguousUTF8({ $0.firstIndex(of: byte) }) else { return nil }
        return utf8.index(startIndex, offsetBy: offset)
    }

    /// Whether the text holds the ASCII byte `byte`, scanned where the bytes lie.
    ///
    /// ```swift
    /// if path.containsASCII(UInt8(ascii: "%")) { … }
    /// ```
    @inlinable package func containsASCII(_ byte: UInt8) -> Bool {
        withContiguousUTF8 { $0.firstIndex(of: byte) != nil }
    }
}

extension Substring {
    /// The whole of `string` as a slice, by its own bounds: `Substring(string)` and `string[...]`
    /// go through generic paths that cost several times more (every header value a handler sets
    /// is stored as a slice).
    ///
    /// ```swift
    /// let value = Substring(wholeString: "text/plain")
    /// ```
    @inlinable package init(wholeString string: String) { self = string[string.startIndex..<string.endIndex] }
}
