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
        var value = UInt64(overflow ? Int64.max : product) &+ UInt64(max(0, attoseconds / divisor))
        var position = buffer.count
        for index in 0..<fractionDigits {
            position -= 1
            buffer[position] = UInt8(ascii: "0") + UInt8(value % 10)
            value /= 10
            if index == fractionDigits - 1 {
                position -= 1
                buffer[position] = UInt8(ascii: ".")
            }
        }
        repeat {
            position -= 1
            buffer[position] = UInt8(ascii: "0") + UInt8(value % 10)
            value /= 10
        } while value > 0 && position > 0
        return position
    }

    /// `duration` as a string (see `write`).
    @inlinable package static func string(_ duration: Duration, unit: Unit, fractionDigits: Int) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
            let start = write(duration, unit: unit, fractionDigits: fractionDigits, into: buffer)
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[start...]), as: UTF8.self)
        }
    }

    /// Appends `duration` to `bytes` (see `write`).
    @inlinable package static func append(_ duration: Duration, unit: Unit, fractionDigits: Int, to bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
            let start = write(duration, unit: unit, fractionDigits: fractionDigits, into: buffer)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start...]))
        }
    }
}
