#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A value behind a `pthread_mutex_t`: the lock every Trellis module uses for state shared between
/// threads. Not `Synchronization.Mutex`, because on Linux that one waits on a futex the thread
/// sanitizer cannot see, so it reports races inside every `withLock` (Swift 6.3.1: an eight-line
/// program incrementing a `Mutex<[Int]>` from `concurrentPerform` gets "Swift access race");
/// a pthread mutex is intercepted, which keeps the TSan pass in CI meaningful.
///
/// Confinement: `value` is touched only inside `withLock`, with the mutex held. It lives behind a
/// pointer rather than in a stored `var`: the mutex already excludes overlapping access, and a
/// class's `var` would add the runtime's exclusivity bookkeeping (a thread-local access set) to
/// every lock taken on the request path.
///
/// ```swift
/// let waiters = Locked<[CheckedContinuation<Void, Never>]>([])
/// waiters.withLock { $0.append(continuation) }
/// ```
package final class Locked<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let value: UnsafeMutablePointer<Value>

    /// A lock around `value`.
    package init(_ value: Value) {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        self.value = .allocate(capacity: 1)
        self.value.initialize(to: value)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
        value.deinitialize(count: 1)
        value.deallocate()
    }

    /// Runs `body` with the value, the lock held.
    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value.pointee)
    }
}
