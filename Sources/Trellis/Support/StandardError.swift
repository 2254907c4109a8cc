#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard error as the package's diagnostics write it: one `write(2)` per line, unbuffered, so
/// lines from several threads never interleave mid-line.
package enum StandardError {
    /// Writes `bytes` with one system call.
    package static func write(_ bytes: UnsafeRawBufferPointer) {
        #if canImport(Glibc) || canImport(Darwin)
        _ = writeOnce(bytes)
        #else
        print(String(decoding: bytes, as: UTF8.self), terminator: "")
        #endif
    }

    #if canImport(Glibc) || canImport(Darwin)
    private static func writeOnce(_ bytes: UnsafeRawBufferPointer) -> Int {
        #if canImport(Glibc)
        Glibc.write(STDERR_FILENO, bytes.baseAddress, bytes.count)
        #else
        Darwin.write(STDERR_FILENO, bytes.baseAddress, bytes.count)
        #endif
    }
    #endif
}
