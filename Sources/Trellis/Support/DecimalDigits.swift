/// An integer's decimal digits, written right-aligned into the end of a buffer: the one routine
/// behind a response head's status code and `Content-Length` and the JSON writer's integers.
///
/// ```swift
/// DecimalDigits.with(-42) { Array($0) }   // "-42" as UTF-8
/// ```
@usableFromInline package enum DecimalDigits {
    /// Writes the digits of `value` so that they end just before `end` in `buffer`, and returns
    /// where they start (`buffer` needs up to 20 bytes before `end`).
    @inlinable package static func write(_ value: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>, endingAt end: Int) -> Int {
        var rest = value
        var start = end
        repeat {
            start -= 1
            buffer[start] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        } while rest > 0
        return start
    }

    /// Writes the two digits of `pair` (below 100) at `position` and `position + 1`: a duration's
    /// fraction two digits a step, and the fields of an access log's time.
    @inlinable @inline(__always) package static func writePair(_ pair: UInt8, at position: Int, in buffer: UnsafeMutableBufferPointer<UInt8>) {
        let tens = pair / 10
        buffer[position] = UInt8(ascii: "0") &+ tens
        buffer[position + 1] = UInt8(ascii: "0") &+ (pair &- tens &* 10)
    }

    /// How many digits `value` has.
    @inlinable package static func count(_ value: UInt64) -> Int {
        var digits = 1
        var rest = value / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        return digits
    }

    /// Calls `body` with the digits of `value`, a `-` first when it is negative (on the stack: no
    /// string is made).
    @inlinable package static func with<Result>(_ value: Int64, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 21) { buffer in
            var start = write(value.magnitude, into: buffer, endingAt: buffer.count)
            if value < 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "-")
            }
            return try body(UnsafeBufferPointer(rebasing: buffer[start...]))
        }
    }
}
