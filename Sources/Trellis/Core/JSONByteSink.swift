/// Where `JSONWriter.appendQuoted` writes: an array of bytes, or a JSON writer's own storage.
///
/// ```swift
/// var bytes: [UInt8] = []
/// JSONWriter.appendQuoted("a\"b", to: &bytes) // "a\"b", quoted and escaped
/// ```
@usableFromInline package protocol JSONByteSink {
    /// Appends one byte.
    mutating func append(_ byte: UInt8)
    /// Appends `bytes`.
    mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>)
    /// Appends the first `count` bytes (at most 16) of the little-endian words `low` and `high`.
    mutating func append(low: UInt64, high: UInt64, count: Int)
}

extension JSONByteSink {
    /// Appends the first `count` bytes (at most 16) of the little-endian words `low` and `high`.
    @inlinable package mutating func append(low: UInt64, high: UInt64, count: Int) {
        for index in 0..<count {
            append(UInt8(truncatingIfNeeded: (index < 8 ? low : high) &>> UInt64(8 &* (index & 7))))
        }
    }
}

extension Array: JSONByteSink where Element == UInt8 {}

/// The JSON writer's own storage (`JSONWriter.State.bytes`), written in place.
extension ByteStorage: JSONByteSink {}
