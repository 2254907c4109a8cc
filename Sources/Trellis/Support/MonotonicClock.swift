#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system's monotonic clock in nanoseconds: what `ProcessTime` reads twice per request, at
/// less cost than `ContinuousClock.now` and `Duration` arithmetic.
///
/// ```swift
/// let start = MonotonicClock.nanoseconds()
/// let elapsed = MonotonicClock.nanoseconds() &- start
/// ```
@usableFromInline package enum MonotonicClock {
    /// Nanoseconds since an arbitrary, fixed point (never going backwards).
    @usableFromInline package static func nanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }
}
