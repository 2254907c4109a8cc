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
