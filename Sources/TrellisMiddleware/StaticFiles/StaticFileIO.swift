public import Trellis
import Dispatch
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
            path: path, size: Int64(info.st_size), modified: Int64(modificationSeconds(info)),
            isDirectory: type == S_IFDIR, isRegular: type == S_IFREG
        )
    }

    /// Runs blocking file-system work where `fileIO` says: on the thread pool (resuming the
    /// caller on its own executor, its event loop, afterwards) or right here.
    @usableFromInline static func perform<Result: Sendable>(
        _ fileIO: StaticFiles.FileIO,
        _ work: @escaping @Sendable () -> Result
    ) async -> Result {
        switch fileIO {
        case .eventLoop:
            return work()
        case .threadPool:
            return await withCheckedContinuation { continuation in
                pool.async { continuation.resume(returning: work()) }
            }
        }
    }

    /// The threads file-system calls run on (Dispatch's pool: it adds threads while calls block).
    static let pool = DispatchQueue(label: "trellis.static-files", attributes: .concurrent)

    /// Writes `range` of the file at `path` to `writer` in pieces of at most 64 KiB (memory stays
    /// flat for any file size); `open` and `pread` run where `fileIO` says. Throws when
    /// the file cannot be read.
    @usableFromInline static func send(
        _ path: String,
        range: Range<Int64>,
        to writer: ResponseBodyWriter,
        on fileIO: StaticFiles.FileIO
    ) async throws {
        let descriptor = await perform(fileIO) { open(path, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else { throw HTTPError(.notFound) }
        defer { close(descriptor) }
        var offset = range.lowerBound
        while offset < range.upperBound {
            let wanted = Int(min(64 * 1024, range.upperBound - offset))
            let start = offset
            let piece: [UInt8]? = await perform(fileIO) {
                var buffer = [UInt8](repeating: 0, count: wanted)
                while true {
                    let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, wanted, off_t(start)) }
                    if count < 0 && errno == EINTR { continue }
                    guard count > 0 else { return nil }
                    if count < wanted { buffer.removeSubrange(count...) }
                    return buffer
                }
            }
            guard let piece else { throw FileReadError(path: path) }
            try await writer.write(piece)
            offset += Int64(piece.count)
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

/// The modification time's whole seconds (`st_mtim` on Linux, `st_mtimespec` on Darwin).
private func modificationSeconds(_ info: stat) -> Int {
    #if canImport(Darwin)
    Int(info.st_mtimespec.tv_sec)
    #else
    Int(info.st_mtim.tv_sec)
    #endif
}
