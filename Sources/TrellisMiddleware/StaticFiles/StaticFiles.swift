public import Trellis
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Serves the files of a directory under a path prefix; other paths go on to `next`.
///
/// - `GET` and `HEAD`; the content type comes from the extension (`MediaTypes`), the body is
///   streamed from disk in 64 KiB pieces with `Content-Length` (a 1 GiB file is served with flat memory).
/// - `ETag` (strong, from size and modification time) and `Last-Modified`; `If-None-Match` or
///   `If-Modified-Since` that still match get `304 Not Modified`.
/// - `Range: bytes=…` (one range; `If-Range` honoured) gets `206` with `Content-Range`; a range
///   past the end gets `416` with `Content-Range: bytes */size`; several ranges get the whole file.
/// - A directory serves its `index` file (`index.html`); `cacheControl` sets `Cache-Control`.
/// - A path that tries to leave the directory in any spelling — `..`, `%2e%2e`, an encoded `/`
///   (`%2f`) or `\`, a NUL byte, an absolute path, a symbolic link pointing outside — gets `404`,
///   as does a missing file (unless `passMissing` passes it to `next`).
/// - Dot files and directories (`.env`, `.git/config`) get `404` unless `allowDotfiles` is set;
///   `/.well-known/…` (RFC 8615) is served.
/// - File-system calls run on a thread pool by default (`fileIO: .threadPool`), so a slow or
///   network-mounted disk holds up only the requests waiting for it; `.eventLoop` makes them on
///   the loop's thread, as nginx does unless `aio threads` is set.
///
/// ```swift
/// Pipeline {
///     StaticFiles("public", at: "/static", cacheControl: "public, max-age=3600")
///     Router { Get("/") { _ in "home" } }
/// }
/// ```
public struct StaticFiles: PassThroughMiddleware {
    /// The directory's resolved path (symbolic links followed), or `nil` if it does not exist.
    public let root: String?
    /// The URL prefix the files live under.
    public let prefix: String
    /// The file served for a directory.
    public let index: String?
    /// `Cache-Control` for file responses.
    public let cacheControl: String?
    /// Whether a missing file goes on to `next` instead of a 404.
    public let passMissing: Bool
    /// Whether names starting with `.` are served (`/.well-known/` always is).
    public let allowDotfiles: Bool
    /// Where the file-system calls are made.
    public let fileIO: FileIO

    /// Where `StaticFiles` makes its file-system calls (`stat`, `realpath`, `open`, `pread`).
    public enum FileIO: Sendable {
        /// On a pool of threads (the default): a slow or network-mounted disk holds up only the
        /// requests waiting for it, as Hummingbird's `FileIO` on its thread pool does.
        case threadPool
        /// On the event loop's thread, as nginx does unless `aio threads` is set: no thread hop per
        /// call (a little cheaper when files are in the page cache), but a slow disk stalls every
        /// connection on that loop.
        case eventLoop
    }

    /// Serves `directory` under `prefix`.
    ///
    /// ```swift
    /// StaticFiles("Public")                                   // at /
    /// StaticFiles("/srv/assets", at: "/assets", index: nil, passMissing: true)
    /// StaticFiles("site", allowDotfiles: true, fileIO: .eventLoop)
    /// ```
    public init(
        _ directory: String,
        at prefix: String = "/",
        index: String? = "index.html",
        cacheControl: String? = nil,
        passMissing: Bool = false,
        allowDotfiles: Bool = false,
        fileIO: FileIO = .threadPool
    ) {
        root = StaticFileIO.realPath(directory)
        var prefix = prefix.hasPrefix("/") ? prefix : "/" + prefix
        while prefix.count > 1 && prefix.hasSuffix("/") { prefix.removeLast() }
        self.prefix = prefix
        self.index = index
        self.cacheControl = cacheControl.flatMap { HTTPHeaders.isValidFieldValue($0) ? $0 : nil }
        self.passMissing = passMissing
        self.allowDotfiles = allowDotfiles
        self.fileIO = fileIO
    }

    /// Serves a file under the prefix, or passes the request on.
    /// (One call of `next`, which inlines the rest of the pipeline: a second would inline it twice.)
    @inlinable public func handle<Next: NextResponder>(_ input: Next.Input, next: Next) async throws -> Response {
        if input.request.method == .get || input.request.method == .head, let relative = relativePath(input.request.pathSlice) {
            switch await resolve(relative) {
            case .file(let file):
                return serve(file, request: input.request)
            case .missing where passMissing:
                break
            case .missing, .forbidden:
                return Response(error: HTTPError(.notFound))
            }
        }
        return try await next(input)
    }

    /// The part of `path` after the prefix, or `nil` when the path is not under it.
    @usableFromInline func relativePath(_ path: Substring) -> Substring? {
        if prefix == "/" { return path.dropFirst() }
        guard path.hasPrefix(prefix) else { return nil }
        let rest = path.dropFirst(prefix.count)
        if rest.isEmpty { return rest }
        return rest.hasPrefix("/") ? rest.dropFirst() : nil
    }

    @usableFromInline enum Resolution: Sendable {
        case file(StaticFileIO.File)
        case missing
        case forbidden
    }

    /// Maps a (percent-encoded) relative path to a file inside the root.
    @usableFromInline func resolve(_ relative: Substring) async -> Resolution {
        guard let root else { return .missing }
        var segments: [String] = []
        for raw in relative.split(separator: "/", omittingEmptySubsequences: false) {
            guard let segment = PercentDecoding.decode(raw, plusIsSpace: false) else { return .forbidden }
            if segment.isEmpty || segment == "." { continue }
            if segment == ".." || segment.contains("/") || segment.contains("\\") || segment.utf8.contains(0)
                || segment.utf8.contains(where: { $0 < 0x20 })
            {
                return .forbidden
            }
            if segment.hasPrefix("."), !allowDotfiles, !(segments.isEmpty && segment == ".well-known") { return .forbidden }
            segments.append(segment)
        }
        let path = segments.isEmpty ? root : root + "/" + segments.joined(separator: "/")
        let index = index
        return await StaticFileIO.perform(fileIO) { Self.locate(path, root: root, index: index) }
    }

    /// The file at `path` (or its directory's index), inside `root` once links are followed.
    /// Blocking calls: run where `fileIO` says.
    @usableFromInline static func locate(_ path: String, root: String, index: String?) -> Resolution {
        var path = path
        guard var file = StaticFileIO.fileInfo(path) else { return .missing }
        if file.isDirectory {
            guard let index else { return .missing }
            path += "/" + index
            guard let indexFile = StaticFileIO.fileInfo(path) else { return .missing }
            file = indexFile
        }
        guard file.isRegular else { return .missing }
        // Symbolic links may point anywhere: the real path must still be inside the root.
        guard let real = StaticFileIO.realPath(path), real == root || real.hasPrefix(root == "/" ? "/" : root + "/") else {
            return .forbidden
        }
        file.path = real
        return .file(file)
    }

    /// The response for `file`: 200, 206, 304 or 416.
    @usableFromInline func serve(_ file: StaticFileIO.File, request: Request) -> Response {
        let etag = "\"" + String(file.modified, radix: 16) + "-" + String(file.size, radix: 16) + "\""
        let lastModified = CivilTime(secondsSince1970: file.modified).httpDate
        var headers: HTTPHeaders = [
            .contentType: MediaTypes.type(forExtension: String(file.path.split(separator: ".").last ?? "")),
            .etag: etag, .lastModified: lastModified, .acceptRanges: "bytes",
        ]
        if let cacheControl { headers[.cacheControl] = cacheControl }
        let representation = Response.Representation(contentType: headers[.contentType], length: Int(file.size))
        if Self.notModified(request.headers, etag: etag, modified: file.modified) {
            headers.remove(.contentType)
            headers.remove(.acceptRanges)
            var response = Response(status: .notModified, headers: headers)
            response.representation = representation
            return response
        }
        var range = 0..<file.size
        var status = HTTPStatus.ok
        if let header = request.headers[.range], Self.ifRangeMatches(request.headers[.ifRange], etag: etag, lastModified: lastModified) {
            switch Self.parseRange(header, size: file.size) {
            case .whole:
                break
            case .unsatisfiable:
                return Response(status: .rangeNotSatisfiable, headers: [.contentRange: "bytes */\(file.size)"])
            case .range(let requested):
                range = requested
                status = .partialContent
                headers[.contentRange] = "bytes \(requested.lowerBound)-\(requested.upperBound - 1)/\(file.size)"
            }
        }
        let path = file.path
        let bytes = range
        let fileIO = fileIO
        let body = ResponseBody.stream(length: Int(bytes.count)) { writer in
            try await StaticFileIO.send(path, range: bytes, to: writer, on: fileIO)
        }
        var response = Response(status: status, headers: headers, body: body)
        if status == .partialContent { response.representation = representation }
        return response
    }

    /// Whether the conditional headers say the client's copy is current (RFC 9110 §13.2.2).
    package static func notModified(_ headers: HTTPHeaders, etag: String, modified: Int64) -> Bool {
        if let match = headers[.ifNoneMatch] {
            // Weak comparison (RFC 9110 §8.8.3.2): a `W/` prefix does not matter.
            return match.trimmingHTTPWhitespace() == "*" || match.split(separator: ",").contains { candidate in
                var tag = candidate.trimmingHTTPWhitespace()
                if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
                return tag == etag
            }
        }
        if let since = headers[.ifModifiedSince], let date = CivilTime.parseHTTPDate(since) {
            return modified <= date
        }
        return false
    }

    /// Whether a `Range` applies given `If-Range` (absent, the strong ETag, or the exact date).
    package static func ifRangeMatches(_ ifRange: String?, etag: String, lastModified: String) -> Bool {
        guard let ifRange = ifRange?.trimmingHTTPWhitespace() else { return true }
        return ifRange == etag || ifRange == lastModified
    }

    package enum RangeRequest: Equatable {
        case whole
        case unsatisfiable
        case range(Range<Int64>)
    }

    /// One `bytes=` range; anything else (another unit, several ranges, bad syntax) means the whole file.
    package static func parseRange(_ header: String, size: Int64) -> RangeRequest {
        let trimmed = header.trimmingHTTPWhitespace()
        guard trimmed.lowercased().hasPrefix("bytes=") else { return .whole }
        let spec = trimmed.dropFirst(6).trimmingHTTPWhitespace()
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return .whole }
        let first = spec[..<dash].trimmingHTTPWhitespace()
        let last = spec[spec.index(after: dash)...].trimmingHTTPWhitespace()
        func number(_ text: Substring) -> Int64? {
            text.utf8.count <= 18 && !text.isEmpty && text.utf8.allSatisfy(HTTPSyntax.isDigit) ? Int64(text) : nil
        }
        if first.isEmpty {
            guard let suffix = number(last) else { return .whole }
            if suffix == 0 || size == 0 { return .unsatisfiable }
            return .range(max(0, size - suffix)..<size)
        }
        guard let start = number(first) else { return .whole }
        let end: Int64
        if last.isEmpty {
            end = size - 1
        } else {
            guard let given = number(last), given >= start else { return .whole }
            end = min(given, size - 1)
        }
        guard start < size else { return .unsatisfiable }
        return .range(start..<(end + 1))
    }

    /// Lists `StaticFiles(prefix → directory)`.
    public func describe(into description: inout PipelineDescription) {
        description.addStep("StaticFiles(\(prefix) → \(root ?? "missing directory"))")
        if root == nil { description.addWarning("StaticFiles: the directory for \(prefix) does not exist; every file is missing.") }
    }
}
