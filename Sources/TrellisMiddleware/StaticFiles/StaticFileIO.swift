public import Trellis
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file-system calls `StaticFiles` needs, on POSIX.
@usableFromInline enum StaticFileIO {
    /// What `stat` says about a path.
    @usableFromInline struct File: Sendable {
        /// The path (the real one once resolved).
        @usableFromInline var path: String
        /// Size in bytes.
        @usableFromInline let size: Int64
        /// Modification time, seconds since 1970.
        @usableFromInline let modified: Int64
        /// A directory.
        @usableFromInline let isDirectory: Bool
        /// A regular file.
        @usableFromInline let isRegular: Bool
    }

    /// The absolute path with every symbolic link resolved, or `nil` when it does not exist.
    @usableFromInline static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `stat(2)` (following links), or `nil` when the path does not exist.
    @usableFromInline static func fileInfo(_ path: String) -> File? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let type = info.st_mode & S_IFMT
        return File(
            path: path, size: Int64(info.st_size), modified: Int64(info.st_mtim.tv_sec),
            isDirectory: type == S_IFDIR, isRegular: type == S_IFREG
        )
    }

    /// Writes `range` of the file at `path` to `writer` in pieces of at most 64 KiB (memory stays
    /// flat for any file size). Throws when the file cannot be read.
    @usableFromInline static func send(_ path: String, range: Range<Int64>, to writer: ResponseBodyWriter) async throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw HTTPError(.notFound) }
        defer { close(descriptor) }
        var offset = range.lowerBound
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while offset < range.upperBound {
            let wanted = Int(min(Int64(buffer.count), range.upperBound - offset))
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, wanted, off_t(offset)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw FileReadError(path: path) }
            try await writer.write(count == buffer.count ? buffer : Array(buffer[0..<count]))
            offset += Int64(count)
        }
    }

    /// A file that ended or failed before the expected length.
    @usableFromInline struct FileReadError: Error, CustomStringConvertible {
        /// The file.
        @usableFromInline let path: String
        /// What happened.
        @usableFromInline var description: String { "could not read \(path) to its expected length" }
    }
}
