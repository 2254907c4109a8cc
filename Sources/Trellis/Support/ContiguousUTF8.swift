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
