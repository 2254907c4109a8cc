import Trellis
/// Content types by file extension, for `StaticFiles`.
///
/// ```swift
/// MediaTypes.type(forExtension: "css") // "text/css; charset=utf-8"
/// ```
@usableFromInline enum MediaTypes {
    /// The built-in table (lowercase extensions).
    @usableFromInline static let byExtension: [String: String] = [
        "html": "text/html; charset=utf-8", "htm": "text/html; charset=utf-8",
        "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8", "mjs": "text/javascript; charset=utf-8",
        "json": "application/json", "map": "application/json", "txt": "text/plain; charset=utf-8",
        "md": "text/markdown; charset=utf-8", "csv": "text/csv; charset=utf-8", "xml": "application/xml",
        "svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
        "webp": "image/webp", "avif": "image/avif", "ico": "image/x-icon", "bmp": "image/bmp",
        "woff": "font/woff", "woff2": "font/woff2", "ttf": "font/ttf", "otf": "font/otf",
        "mp4": "video/mp4", "webm": "video/webm", "mp3": "audio/mpeg", "ogg": "audio/ogg", "wav": "audio/wav",
        "pdf": "application/pdf", "zip": "application/zip", "gz": "application/gzip", "wasm": "application/wasm",
        "webmanifest": "application/manifest+json",
    ]

    /// The type for `ext` (without the dot), or `application/octet-stream`.
    @usableFromInline static func type(forExtension ext: String) -> String {
        byExtension[ext.lowercased()] ?? "application/octet-stream"
    }
}
