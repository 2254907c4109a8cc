import CTrellisSystem

/// Native threads for the event loops.
enum PlatformThread {
    /// Starts a detached thread running `body`.
    static func detach(_ body: @escaping @Sendable () -> Void) {
        final class Box {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        let created = ctrellis_thread_detach({ context in
            guard let context else { return nil }
            Unmanaged<Box>.fromOpaque(context).takeRetainedValue().body()
            return nil
        }, context)
        if created != 0 {
            // No thread: run nothing, but do not leak the closure.
            Unmanaged<Box>.fromOpaque(context).release()
        }
    }

    /// A number that identifies the calling thread among the live ones (never 0).
    static var currentID: UInt { UInt(ctrellis_thread_id()) }
}
