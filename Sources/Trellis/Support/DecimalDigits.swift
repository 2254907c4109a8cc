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

    /// The eight decimal digits of `value` (below 100,000,000, leading zeros kept) as ASCII in one
    /// little-endian word, the first digit in the lowest byte: split in halves, quarters and
    /// digits a whole word at a time, each division by 10,000, 100 or 10 a multiply and a shift
    /// (exact at these sizes), about 20 instructions where a digit-by-digit loop takes about 100.
    ///
    /// ```swift
    /// DecimalDigits.eightDigits(1_234) // the bytes of "00001234"
    /// ```
    @inlinable @inline(__always) package static func eightDigits(_ value: UInt32) -> UInt64 {
        // Two lanes of 32 bits: the first four digits (low lane), the last four.
        let halves = UInt64(value / 10_000) | UInt64(value % 10_000) &<< 32
        // Each lane (below 10,000) to two 16-bit lanes: lane / 100 (times 5,243, shifted by 19)
        // and lane % 100.
        let hundreds = (halves &* 5_243) &>> 19 & 0x0000_007F_0000_007F
        let quarters = hundreds | (halves &- hundreds &* 100) &<< 16
        // Each 16-bit lane (below 100) to two bytes: lane / 10 (times 103, shifted by 10), lane % 10.
        let tens = (quarters &* 103) &>> 10 & 0x000F_000F_000F_000F
        let digits = tens | (quarters &- tens &* 10) &<< 8
        return digits | 0x3030_3030_3030_3030
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
