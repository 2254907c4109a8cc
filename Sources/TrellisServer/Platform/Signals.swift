import Trellis
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns SIGINT/SIGTERM into calls of registered handlers. The signal handler only writes one byte
/// to a pipe (async-signal-safe); a dedicated thread reads it and runs the handlers. (A Dispatch
/// signal source does not fire on Linux once the signal is ignored.)
enum SignalRelay {
    private static let state = Locked<(installed: Bool, handlers: [@Sendable () -> Void])>((false, []))

    /// Runs `handler` on every later SIGINT or SIGTERM.
    static func onTermination(_ handler: @escaping @Sendable () -> Void) {
        let install = state.withLock { state -> Bool in
            state.handlers.append(handler)
            defer { state.installed = true }
            return !state.installed
        }
        guard install else { return }
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }
        signalPipeWriteEnd = fds[1]
        let readEnd = fds[0]
        PlatformThread.detach {
            var byte: UInt8 = 0
            while read(readEnd, &byte, 1) == 1 {
                for handler in SignalRelay.state.withLock({ $0.handlers }) { handler() }
            }
        }
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber) { _ in
                var byte: UInt8 = 1
                _ = write(signalPipeWriteEnd, &byte, 1)
            }
        }
    }
}

/// The pipe the signal handler writes to; set once before the handler is installed.
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1
