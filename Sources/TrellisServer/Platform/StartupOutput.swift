#if canImport(Glibc)
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#endif

/// Lines a server prints at start, written straight to standard output one `write(2)` per line, so
/// they show at once even when standard output is a file or a pipe (where `print` buffers).
enum StartupOutput {
    static func writeLines(_ lines: [String]) {
        fflush(nil)  // whatever the program printed before comes first
        for line in lines {
            let bytes = Array((line + "\n").utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes { buffer -> Int in
                    guard let base = buffer.baseAddress else { return 0 }
                    return systemWrite(1, base + offset, buffer.count - offset)
                }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}
