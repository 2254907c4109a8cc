/// Durations written as decimal numbers, the one routine behind `X-Process-Time` (seconds, 9
/// digits), the access log (seconds with 6 or milliseconds with 3) and `Timeout`'s messages.
/// Negative durations are written as zero.
///
/// ```swift
/// DurationText.string(.microseconds(1500), unit: .milliseconds, fractionDigits: 3)  // "1.500"
/// ```
@usableFromInline package enum DurationText {
    /// The unit the number counts.
    @usableFromInline package enum Unit: Int, Sendable {
        case seconds = 0
        case milliseconds = 3
    }

    /// Writes `duration` right-aligned into the end of `buffer` (at least 32 bytes) and returns
    /// where it starts: `<whole>.<fractionDigits digits>`, or `<whole>` for 0 digits (truncated).
    @inlinable package static func write(
        _ duration: Duration,
        unit: Unit,
        fractionDigits: Int,
        into buffer: UnsafeMutableBufferPointer<UInt8>
    ) -> Int {
        precondition(fractionDigits >= 0 && unit.rawValue + fractionDigits <= 18 && buffer.count >= 32)
        let (wholeSeconds, attoseconds) = duration.components
        var scale: Int64 = 1
        for _ in 0..<(unit.rawValue + fractionDigits) { scale *= 10 }
        var divisor: Int64 = 1
        for _ in 0..<(18 - unit.rawValue - fractionDigits) { divisor *= 10 }
        let (product, overflow) = max(0, wholeSeconds).multipliedReportingOverflow(by: scale)
        let value = UInt64(overflow ? Int64.max : product) &+ UInt64(max(0, attoseconds / divisor))
        return write(count: value, fractionDigits: fractionDigits, into: buffer)
    }

    /// Writes a duration of `nanoseconds` as `write(_:unit:fractionDigits:into:)` does: the form
    /// `ProcessTime` uses, whose clock reads nanoseconds (no `Duration` arithmetic per request).
    @inlinable package static func write(
        nanoseconds: UInt64,
        unit: Unit,
        fractionDigits: Int,
        into buffer: UnsafeMutableBufferPointer<UInt8>
    ) -> Int {
        precondition(fractionDigits >= 0 && unit.rawValue + fractionDigits <= 18 && buffer.count >= 32)
        // The number to write counts units of 10^-(unit + fractionDigits) seconds.
        let exponent = unit.rawValue + fractionDigits
        var value = nanoseconds
        if exponent <= 9 {
            for _ in exponent..<9 { value /= 10 }
        } else {
            for _ in 9..<exponent {
                let (product, overflow) = value.multipliedReportingOverflow(by: 10)
                value = overflow ? UInt64(Int64.max) : product
            }
        }
        return write(count: value, fractionDigits: fractionDigits, into: buffer)
    }

    /// Writes `count` right-aligned into the end of `buffer`, its last `fractionDigits` digits
    /// after a point, two digits a step; returns where it starts.
    @inlinable static func write(count: UInt64, fractionDigits: Int, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var value = count
        var position = buffer.count
        var fraction = fractionDigits
        while fraction >= 2 {
            position -= 2
            DecimalDigits.writePair(UInt8(truncatingIfNeeded: value % 100), at: position, in: buffer)
            value /= 100
            fraction -= 2
        }
        if fraction == 1 {
            position -= 1
            buffer[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10)
            value /= 10
        }
        if fractionDigits > 0 {
            position -= 1
            buffer[position] = UInt8(ascii: ".")
        }
        repeat {
            position -= 1
            buffer[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10)
            value /= 10
        } while value > 0 && position > 0
        return position
    }

    /// `duration` as a string (see `write`).
    @inlinable package static func string(_ duration: Duration, unit: Unit, fractionDigits: Int) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
            let start = write(duration, unit: unit, fractionDigits: fractionDigits, into: buffer)
            return String(utf8: UnsafeBufferPointer(rebasing: buffer[start...]))
        }
    }

    /// A duration of `nanoseconds` as a string (see `write`).
    @inlinable package static func string(nanoseconds: UInt64, unit: Unit, fractionDigits: Int) -> String {
        if unit == .seconds, fractionDigits == 9, let short = secondsWithNanosecondDigits(nanoseconds) { return short }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
            let start = write(nanoseconds: nanoseconds, unit: unit, fractionDigits: fractionDigits, into: buffer)
            return String(utf8: UnsafeBufferPointer(rebasing: buffer[start...]))
        }
    }

    /// `X-Process-Time`'s form, `S.NNNNNNNNN` for under ten seconds: the eleven bytes made as a
    /// small string's two words (`DecimalDigits.eightDigits` for the last eight digits), with no
    /// buffer and no loop, about 150 instructions fewer per request; nil at ten seconds or more,
    /// or when the standard library's layout is not the one `SmallASCIIString` knows.
    @inlinable static func secondsWithNanosecondDigits(_ nanoseconds: UInt64) -> String? {
        guard nanoseconds < 10_000_000_000, SmallASCIIString.layoutHolds else { return nil }
        let whole = nanoseconds / 1_000_000_000
        let fraction = nanoseconds &- whole &* 1_000_000_000
        let first = fraction / 100_000_000
        let eight = DecimalDigits.eightDigits(UInt32(truncatingIfNeeded: fraction &- first &* 100_000_000))
        // "W.F" and the first five of the eight digits; then the last three.
        let low = (0x30 | whole) | UInt64(UInt8(ascii: ".")) &<< 8 | (0x30 | first) &<< 16 | eight &<< 24
        return SmallASCIIString.string(low: low, high: eight &>> 40, count: 11)
    }

    /// Appends `duration` to `bytes` (see `write`).
    @inlinable package static func append(_ duration: Duration, unit: Unit, fractionDigits: Int, to bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
            let start = write(duration, unit: unit, fractionDigits: fractionDigits, into: buffer)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start...]))
        }
    }
}
