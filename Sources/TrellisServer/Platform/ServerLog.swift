import Glibc

/// Where the server reports what a person should read: one line on standard error.
enum ServerLog {
    static func report(_ message: String) {
        var line = "TrellisServer: " + message + "\n"
        line.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
    }
}
