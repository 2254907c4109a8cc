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
