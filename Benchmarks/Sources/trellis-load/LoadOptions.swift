import ArgumentParser

/// What to load and how: the parsed command line of `trellis-load`.
struct LoadOptions {
    var host: String
    var port: Int
    var path: String
    var connections: Int
    var threads: Int
    var duration: Double
    var warmup: Double
    var rate: Double?
    var method: String
    var headers: [String]
    var body: String?
    var pipeline: Int
    var timeout: Double

    /// The bytes of one request.
    var request: [UInt8] {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\n"
        for header in headers { text += header + "\r\n" }
        if let body { text += "Content-Length: \(body.utf8.count)\r\n" }
        text += "\r\n"
        if let body { text += body }
        return Array(text.utf8)
    }
}

/// Splits `http://host:port/path?query` (IPv4, `localhost` or `[IPv6]`).
func parseURL(_ url: String) throws -> (host: String, port: Int, path: String) {
    guard url.hasPrefix("http://") else { throw ValidationError("only http:// URLs are supported: \(url)") }
    let rest = url.dropFirst(7)
    let slash = rest.firstIndex(of: "/") ?? rest.endIndex
    let authority = rest[..<slash]
    let path = slash == rest.endIndex ? "/" : String(rest[slash...])
    if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
        let host = String(authority[authority.index(after: authority.startIndex)..<close])
        let portText = authority[close...].dropFirst().drop { $0 == ":" }
        return (host, Int(portText) ?? 80, path)
    }
    let parts = authority.split(separator: ":")
    let host = parts.first.map(String.init) ?? "127.0.0.1"
    return (host == "localhost" ? "127.0.0.1" : host, parts.count > 1 ? Int(parts[1]) ?? 80 : 80, path)
}
