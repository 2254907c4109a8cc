/// The event loop's idea of "now" (monotonic nanoseconds), read once per loop iteration so that
/// deadlines cost no system call each. Loop thread only.
final class LoopClock {
    /// Monotonic nanoseconds at the start of the loop's current iteration.
    private(set) var now: UInt64 = monotonicNanoseconds()

    /// Reads the monotonic clock (the loop calls this after each wait).
    func advance() { now = monotonicNanoseconds() }
}
