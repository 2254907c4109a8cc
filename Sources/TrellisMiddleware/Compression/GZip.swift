public import Trellis
/// Compresses responses with gzip (or deflate) when the client accepts it, and decompresses
/// request bodies sent with `Content-Encoding: gzip`/`deflate`, through the system zlib.
///
/// Responses are compressed when all of these hold:
/// - `Accept-Encoding` accepts `gzip` or `deflate` (q-values honoured: `gzip;q=0` refuses, `*`
///   counts for codings not listed, gzip wins a tie); otherwise the response goes as is;
/// - the body is at least `minimumSize` bytes (500 by default, as Starlette) or is streamed;
/// - the response is not already encoded (`Content-Encoding`), not `206`/`204`/`304`, has a body,
///   has no `Cache-Control: no-transform`, and its type is not in
///   `excludedContentTypes` (images except SVG, audio, video, archives, fonts that are already
///   compressed; prefixes, configurable).
///
/// A `HEAD` answer gets the headers the `GET` would (and no `Content-Length`, the compressed length
/// being unknown). A compressed response drops `Content-Length` (the server frames the new length), gets
/// `Content-Encoding`, and a strong `ETag` becomes weak. `Vary: Accept-Encoding` is added to every
/// response that *could* be compressed, compressed or not, so caches keep the variants apart.
/// Streamed bodies are compressed write by write (each write flushed, so clients see data as it
/// is produced) with memory bounded by zlib's state.
///
/// Request bodies with `Content-Encoding: gzip`, `x-gzip` or `deflate` are decompressed as the
/// handler reads them, up to `maxDecompressedBytes` (`413` past it; a corrupt stream is `400`);
/// another coding is `415`.
///
/// ```swift
/// Pipeline {
///     GZip()                          // or GZip(minimumSize: 1024, level: 9)
///     Router { Get("/report") { _ in bigJSON } }
/// }
/// ```
public struct GZip: PassThroughMiddleware {
    /// The smallest byte body worth compressing.
    public let minimumSize: Int
    /// zlib level, 1 (fast) … 9 (small).
    public let level: Int32
    /// Content types (prefixes, lowercase) never compressed.
    public let excludedContentTypes: [String]
    /// Whether compressed request bodies are decompressed (else they pass through untouched).
    public let decompressRequests: Bool
    /// The most bytes a compressed request body may expand to.
    public let maxDecompressedBytes: Int

    static let codingName = "gzip/deflate"

    /// What is not compressed by default: already-compressed media and archives.
    public static let defaultExcludedContentTypes = [
        "image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/heic", "image/x-icon",
        "audio/", "video/", "font/woff", "font/woff2",
        "application/zip", "application/gzip", "application/x-gzip", "application/x-bzip2", "application/x-xz",
        "application/zstd", "application/x-7z-compressed", "application/x-rar-compressed", "application/pdf",
        "application/octet-stream",
    ]

    /// GZip with Starlette's threshold and zlib's default level.
    ///
    /// ```swift
    /// GZip(minimumSize: 1024, level: 9, excludedContentTypes: GZip.defaultExcludedContentTypes + ["application/x-protobuf"])
    /// ```
    public init(
        minimumSize: Int = 500,
        level: Int32 = 6,
        excludedContentTypes: [String] = GZip.defaultExcludedContentTypes,
        decompressRequests: Bool = true,
        maxDecompressedBytes: Int = 8 << 20
    ) {
        self.minimumSize = max(0, minimumSize)
        self.level = min(9, max(1, level))
        self.excludedContentTypes = excludedContentTypes.map { $0.lowercased() }
        self.decompressRequests = decompressRequests
        self.maxDecompressedBytes = max(0, maxDecompressedBytes)
    }

    /// Decompresses the request body if needed, runs `next`, and compresses the response if it should.
    @inlinable @inline(__always) public func handle<Next: NextResponder>(_ input: Next.Input, next: Next) async throws -> Response {
        if decompressRequests, input.request.headers.contains(.contentEncoding) {
            return try await handleEncoded(input, next: next)
        }
        // The usual request, sent on as it came (no copy made to change it): only its method and
        // headers are read after.
        let response = try await next(input)
        return compress(response, method: input.request.method, requestHeaders: input.request.headers)
    }

    /// `handle` for a request with an encoded body: a copy of it with the body decompressed is sent
    /// on. Not inlined, so that the rest of the pipeline, which `next` inlines, is inlined once on
    /// the usual path and once here, not twice into the caller.
    @inlinable @inline(never) func handleEncoded<Next: NextResponder>(_ input: Next.Input, next: Next) async throws -> Response {
        var input = input
        if let refusal = await decompressBody(of: &input.request) {
            await settleOnCallerExecutor()
            return refusal
        }
        let response = try await next(input)
        return compress(response, method: input.request.method, requestHeaders: input.request.headers)
    }

    /// Replaces an encoded body by its decompressing stream; a response when it cannot.
    @usableFromInline func decompressBody(of request: inout Request) async -> Response? {
        let codings = request.headers.values(for: .contentEncoding)
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingHTTPWhitespace().lowercased() }
            .filter { $0 != "identity" }
        if codings.isEmpty { return nil }
        guard codings.count == 1, ["gzip", "x-gzip", "deflate"].contains(codings[0]) else {
            await request.body.refuse()
            return Response(
                error: HTTPError(.unsupportedMediaType, "Content-Encoding '\(codings.joined(separator: ", "))' is not supported; send gzip or deflate.")
            )
        }
        let limit = min(maxDecompressedBytes, request.body.maxBytes ?? Int.max)
        guard let source = try? DecompressingBody(original: request.body, limit: limit) else {
            return Response(error: HTTPError(.serviceUnavailable, "Could not start decompression."))
        }
        var body = RequestBody(source: source, token: 0, expectedLength: nil)
        body.limit(to: limit)
        request.body = body
        request.headers.remove(.contentEncoding)
        request.headers.remove(.contentLength)
        return nil
    }

    /// The response as it should go to this request: compressed, or as it was (with `Vary` when it could have been).
    /// `method` and `requestHeaders` are the request's. The response is taken, not copied: one
    /// passed through unchanged (the usual case) is handed back as it came.
    @usableFromInline func compress(_ response: consuming Response, method: HTTPMethod, requestHeaders: HTTPHeaders) -> Response {
        let code = response.status.code
        if code == 304 || code == 206 { return matchingFullResponse(response, requestHeaders: requestHeaders) }
        guard isCompressible(response, method: method) else { return response }
        var response = response
        Self.varyOnAcceptEncoding(&response.headers)
        guard let gzip = Self.negotiate(requestHeaders.values(for: .acceptEncoding)) else { return response }
        if method == .head {
            // The headers a GET would get; the compressed length is unknown, so no framing header
            // (an unstarted stream: the server never runs a HEAD body).
            response.body = .stream { _ in }
        }
        switch response.body.storage {
        case .bytes(let bytes):
            guard let deflater = try? Deflater.take(gzip: gzip, level: level) else { return response }
            response.body = .bytes(deflater.compress(bytes, flush: false, finish: true))
            Deflater.give(deflater)
        case .stream(let produce):
            let level = level
            response.body = .stream { writer in
                // A deflater of its own (not pooled): a failed stream may leave it mid-way. The
                // producer may write from several tasks: compress-and-write runs one at a time,
                // so the deflater has one user and compressed pieces go out in deflate order.
                let deflater = try Deflater(gzip: gzip, level: level)
                let gate = SerialGate()
                try await produce(ResponseBodyWriter { chunk in
                    try await gate.run {
                        let compressed = deflater.compress(chunk, flush: true, finish: false)
                        if !compressed.isEmpty { try await writer.write(compressed) }
                    }
                })
                try await gate.run { try await writer.write(deflater.compress([], flush: false, finish: true)) }
            }
        }
        response.headers.remove(.contentLength)
        response.headers[.contentEncoding] = gzip ? "gzip" : "deflate"
        Self.weakenETag(&response.headers)
        return response
    }

    /// Adds `Vary: Accept-Encoding` unless the response already varies on it (or on everything).
    static func varyOnAcceptEncoding(_ headers: inout HTTPHeaders) {
        if !headers.listContains(.vary, token: "accept-encoding") && !headers.listContains(.vary, token: "*") {
            headers.append(.vary, "Accept-Encoding")
        }
    }

    /// A compressed representation is no longer byte-for-byte the one a strong `ETag` names.
    static func weakenETag(_ headers: inout HTTPHeaders) {
        if let etag = headers[.etag], !etag.hasPrefix("W/") { headers[.etag] = "W/" + etag }
    }

    /// Whether the response may be compressed at all (for any client).
    @usableFromInline func isCompressible(_ response: Response, method: HTTPMethod) -> Bool {
        let code = response.status.code
        if code == 206 || code == 204 || code == 304 || code < 200 { return false }
        if response.headers.contains(.contentRange) { return false }
        return isCompressible(
            type: response.headers[.contentType],
            length: Self.length(of: response, method: method),
            headers: response.headers
        )
    }

    /// The decision for a representation of `type` and `length` whose response has `headers`.
    func isCompressible(type: String?, length: Int?, headers: HTTPHeaders) -> Bool {
        if headers.contains(.contentEncoding) { return false }
        if let control = headers[.cacheControl], HTTPHeaders.list(control, containsIgnoringCase: "no-transform") { return false }
        if let length, length < minimumSize || length == 0 { return false }
        let type = (type ?? "").lowercased()
        return !excludedContentTypes.contains { type.hasPrefix($0) }
    }

    /// A 304 or 206 carries what the 200 it stands for would have, as far as compression goes:
    /// `Vary: Accept-Encoding` whenever that 200 would have varied, and on a 304 for a client that
    /// would have been sent the compressed 200, its weak `ETag` and no `Content-Length` (RFC 9110
    /// §15.4.5, §15.3.7). Decided from the representation the answering middleware recorded
    /// (`StaticFiles` does); a 304 or 206 without one is left alone.
    @usableFromInline func matchingFullResponse(_ response: consuming Response, requestHeaders: HTTPHeaders) -> Response {
        guard let representation = response.representation,
            isCompressible(type: representation.contentType, length: representation.length, headers: response.headers)
        else { return response }
        var response = response
        Self.varyOnAcceptEncoding(&response.headers)
        if response.status.code == 304, Self.negotiate(requestHeaders.values(for: .acceptEncoding)) != nil {
            response.headers.remove(.contentLength)
            Self.weakenETag(&response.headers)
        }
        return response
    }

    /// The body length the decision uses: the bytes, a stream's declared length, or — for `HEAD`,
    /// whose body the router already dropped — the `Content-Length` the `GET` would have had.
    @usableFromInline static func length(of response: Response, method: HTTPMethod) -> Int? {
        if method == .head, response.body.bytes?.isEmpty == true {
            return response.headers[.contentLength].flatMap { Int($0) } ?? 0
        }
        return response.body.knownLength
    }

    /// `true` for gzip, `false` for deflate, `nil` when the client accepts neither.
    ///
    /// ```swift
    /// GZip.negotiate(["br;q=1.0, gzip;q=0.8, *;q=0.1"]) // true
    /// GZip.negotiate(["gzip;q=0, deflate"])             // false
    /// GZip.negotiate(["identity"])                      // nil
    /// ```
    public static func negotiate(_ fields: [String]) -> Bool? {
        var gzip: Double?
        var deflate: Double?
        var any: Double?
        for field in fields {
            for item in field.split(separator: ",") {
                let parts = item.split(separator: ";")
                guard let name = parts.first?.trimmingHTTPWhitespace().lowercased(), !name.isEmpty else { continue }
                var quality = 1.0
                for parameter in parts.dropFirst() {
                    let pair = parameter.split(separator: "=", maxSplits: 1)
                    if pair.count == 2, pair[0].trimmingHTTPWhitespace().lowercased() == "q" {
                        quality = Double(pair[1].trimmingHTTPWhitespace()).map { min(1, max(0, $0)) } ?? 0
                    }
                }
                switch name {
                case "gzip", "x-gzip": gzip = max(gzip ?? 0, quality)
                case "deflate": deflate = max(deflate ?? 0, quality)
                case "*": any = quality
                default: break
                }
            }
        }
        let gzipQuality = gzip ?? any ?? 0
        let deflateQuality = deflate ?? any ?? 0
        if gzipQuality <= 0 && deflateQuality <= 0 { return nil }
        return gzipQuality >= deflateQuality
    }

    /// Lists `GZip(≥ N bytes)` and declares the headers it sets.
    public func describe(into description: inout PipelineDescription) {
        description.addStep("GZip(≥ \(minimumSize) bytes, level \(level))")
        description.declareSets(.contentEncoding)
        description.declareSets(.vary)
    }
}
