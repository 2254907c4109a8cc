public import Trellis
/// Answers only requests for the host names you serve, as Starlette's `TrustedHostMiddleware`:
/// a `Host` that is missing, malformed or not allowed gets `400 Invalid host header`, which stops
/// DNS-rebinding and host-header attacks.
///
/// - Patterns: exact names (`example.com`), `*.example.com` (any subdomain, not `example.com`
///   itself), or `*` (anything). Matching ignores case and the port; IPv6 literals are written
///   without brackets (`::1`).
/// - `wwwRedirect` (on by default, as Starlette): a request for `example.com` when only
///   `www.example.com` is listed (exactly, not through a wildcard) is redirected there (`307`,
///   path and query kept).
///
/// ```swift
/// Pipeline {
///     TrustedHost(["example.com", "*.example.com", "127.0.0.1"])
///     Router { Get("/") { _ in "hi" } }
/// }
/// ```
public struct TrustedHost: PassThroughMiddleware {
    @usableFromInline let exact: Set<String>
    @usableFromInline let suffixes: [String]
    @usableFromInline let allowsAny: Bool
    /// Whether `example.com` is redirected to an allowed `www.example.com`.
    public let wwwRedirect: Bool

    /// Allows `hosts`.
    ///
    /// ```swift
    /// TrustedHost(["api.example.com"], wwwRedirect: false)
    /// ```
    public init(_ hosts: [String], wwwRedirect: Bool = true) {
        var exact: Set<String> = []
        var suffixes: [String] = []
        var any = false
        for host in hosts.map({ $0.lowercased() }) {
            if host == "*" {
                any = true
            } else if host.hasPrefix("*.") {
                suffixes.append(String(host.dropFirst()))  // ".example.com"
            } else {
                exact.insert(host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host)
            }
        }
        self.exact = exact
        self.suffixes = suffixes
        allowsAny = any
        self.wwwRedirect = wwwRedirect
    }

    /// Checks `Host` and passes the request on, redirects it to `www.`, or answers 400.
    /// (One call of `next`, which inlines the rest of the pipeline: a second would inline it twice.)
    @inlinable public func handle<Next: NextResponder>(_ input: Next.Input, next: Next) async throws -> Response {
        if !allowsAny, let refusal = refusal(of: input.request) { return refusal }
        return try await next(input)
    }

    /// The answer to a request whose `Host` is not allowed (a redirect to `www.` or a 400), or
    /// `nil` when it may go on. The request is lent, not copied.
    @usableFromInline func refusal(of request: Request) -> Response? {
        guard request.headers.count(of: .host) == 1, let header = request.headers[.host],
            let host = Self.hostName(header)
        else {
            return Self.invalid()
        }
        if isAllowed(host) { return nil }
        if wwwRedirect, !host.hasPrefix("www."), exact.contains("www." + host) {
            let target = request.target.hasPrefix("/") ? request.target : "/"
            let location = "http://www." + header + target
            return Response(status: .temporaryRedirect, headers: [.location: location])
        }
        return Self.invalid()
    }

    @usableFromInline func isAllowed(_ host: String) -> Bool {
        exact.contains(host) || suffixes.contains { host.hasSuffix($0) && host.count > $0.count }
    }

    @usableFromInline static func invalid() -> Response {
        Response(error: HTTPError(.badRequest, "Invalid host header"))
    }

    /// The lowercased host name of a `Host` value without its port, or `nil` when it is malformed
    /// (empty, a bad port, stray characters, an unclosed IPv6 bracket).
    ///
    /// ```swift
    /// TrustedHost.hostName("Example.COM:8080") // "example.com"
    /// TrustedHost.hostName("[::1]:80")         // "::1"
    /// ```
    public static func hostName(_ value: String) -> String? {
        guard let parts = HostPort(value), parts.hasValidPort else { return nil }
        let name = parts.name
        guard !name.isEmpty else { return nil }
        if parts.isIPLiteral {
            guard name.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
        } else {
            let allowed = name.utf8.allSatisfy { byte in
                HTTPSyntax.isLetter(byte) || HTTPSyntax.isDigit(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
                    || byte == UInt8(ascii: "_")
            }
            guard allowed else { return nil }
        }
        return HTTPSyntax.lowercased(name)
    }

    /// Lists the middleware.
    public func describe(into description: inout PipelineDescription) {
        description.addStep(allowsAny ? "TrustedHost(*)" : "TrustedHost(\(exact.count + suffixes.count) patterns)")
        if !allowsAny { description.declareResponse(.badRequest, "Invalid host header") }
    }
}
