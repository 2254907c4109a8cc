import CTrellisLinux
import Glibc

/// Native threads for the event loops.
enum PlatformThread {
    /// Starts a detached thread running `body`.
    static func detach(_ body: @escaping @Sendable () -> Void) {
        final class Box {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        var thread = pthread_t()
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        let created = pthread_create(&thread, nil, { context in
            guard let context else { return nil }
            Unmanaged<Box>.fromOpaque(context).takeRetainedValue().body()
            return nil
        }, context)
        if created == 0 {
            pthread_detach(thread)
        } else {
            // No thread: run nothing, but do not leak the closure.
            Unmanaged<Box>.fromOpaque(context).release()
        }
    }

    /// An identifier of the calling thread.
    static var current: pthread_t { pthread_self() }

    /// Whether `thread` is the calling thread.
    static func isCurrent(_ thread: pthread_t) -> Bool { pthread_equal(thread, pthread_self()) != 0 }
}

/// Monotonic time in nanoseconds.
func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

/// Raises the soft open-file limit (often 1024) towards the hard limit, so `maxConnections`
/// rather than the descriptor limit decides how many clients are served.
func raiseDescriptorLimit(toServe connections: Int) {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
    let wanted = rlim_t(max(0, connections) + 256)
    guard limit.rlim_cur < wanted else { return }
    limit.rlim_cur = min(wanted, limit.rlim_max)
    _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
}

/// Returns the allocator's free pages to the system (glibc `malloc_trim`), so that the resident
/// size falls back after a burst of large requests or many connections.
func releaseFreeMemory() { _ = ctrellis_malloc_trim() }

/// Keeps allocations of 256 KiB and more (large bodies) in their own mappings, returned to the
/// system when freed, instead of letting glibc raise that threshold after the first large free.
func keepLargeAllocationsMapped() { ctrellis_fix_mmap_threshold(256 * 1024) }
