import CTrellisSystem

/// Monotonic time in nanoseconds.
@inline(__always) func monotonicNanoseconds() -> UInt64 { ctrellis_monotonic_ns() }
