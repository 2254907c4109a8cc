extension HTTPSyntax {
    /// A `ByteSet` as 256 flags, one per byte, made once per process and never freed: testing a
    /// byte is one load and one compare, where a `ByteSet` test shifts a mask chosen by two
    /// compares (about 14 instructions a byte against 6). For the checks that run over a whole
    /// field on every request, such as the server's `Host` check.
    ///
    /// Unchecked for concurrency: its flags are written by `init`, before the table can be shared,
    /// and only read after; there is no confinement for a debug assertion to check.
    ///
    /// ```swift
    /// let authority = HTTPSyntax.ByteTable(HostPort.authorityCharacters)
    /// authority.containsAll(bytes) // the same answer as HostPort.authorityCharacters.containsAll(bytes)
    /// ```
    package struct ByteTable: @unchecked Sendable {
        /// 256 flags, written once by `init` and only read after (so sharing them is safe).
        private let flags: UnsafePointer<Bool>

        /// The table of the bytes in `set`.
        package init(_ set: ByteSet) {
            let flags = UnsafeMutablePointer<Bool>.allocate(capacity: 256)
            for byte in 0...255 { (flags + byte).initialize(to: set.contains(UInt8(byte))) }
            self.flags = UnsafePointer(flags)
        }

        /// Whether every byte of `bytes` is in the table's set (`true` for none).
        @inline(__always) package func containsAll(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            for byte in bytes where !flags[Int(byte)] { return false }
            return true
        }
    }
}
