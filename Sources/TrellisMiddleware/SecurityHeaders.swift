public import Trellis
/// Adds the security headers browsers act on, to every response that does not set them itself.
///
/// | header | default |
/// |---|---|
/// | `X-Content-Type-Options` | `nosniff` |
/// | `X-Frame-Options` (and `frame-ancestors` in the CSP, when one is set) | `DENY` |
/// | `Referrer-Policy` | `strict-origin-when-cross-origin` |
/// | `Strict-Transport-Security` | `max-age=31536000; includeSubDomains`, **only over HTTPS** (a trusted proxy's `X-Forwarded-Proto`/`Forwarded`; never on plain HTTP, RFC 6797 §7.2) |
/// | `Content-Security-Policy` | none (give one) |
///
/// ```swift
/// Pipeline {
///     SecurityHeaders(contentSecurityPolicy: "default-src 'self'", proxies: TrustedProxies(["10.0.0.1"]))
///     Router { Get("/") { _ in "hi" } }
/// }
/// ```
public struct SecurityHeaders: PassThroughMiddleware {
    /// Whether a page may be framed.
    public enum FrameOptions: Sendable, Equatable {
        /// `DENY` / `frame-ancestors 'none'`.
        case deny
        /// `SAMEORIGIN` / `frame-ancestors 'self'`.
        case sameOrigin
    }

    /// `Strict-Transport-Security` settings.
    public struct TransportSecurity: Sendable, Equatable {
        /// Seconds browsers remember to use HTTPS.
        public var maxAge: Int
        /// Also for subdomains.
        public var includeSubdomains: Bool
        /// Ask to be preloaded into browsers.
        public var preload: Bool

        /// HSTS settings; a year with subdomains by default.
        ///
        /// ```swift
        /// SecurityHeaders.TransportSecurity(maxAge: 63_072_000, includeSubdomains: true, preload: true)
        /// ```
        public init(maxAge: Int = 31_536_000, includeSubdomains: Bool = true, preload: Bool = false) {
            self.maxAge = maxAge
            self.includeSubdomains = includeSubdomains
            self.preload = preload
        }

        var value: String {
            "max-age=\(maxAge)" + (includeSubdomains ? "; includeSubDomains" : "") + (preload ? "; preload" : "")
        }
    }

    @usableFromInline let always: [HTTPHeaders.Field]
    @usableFromInline let transportSecurity: String?
    @usableFromInline let proxies: TrustedProxies

    /// The headers to add; `nil` leaves one out.
    ///
    /// ```swift
    /// SecurityHeaders()                                     // the defaults above
    /// SecurityHeaders(frameOptions: .sameOrigin, referrerPolicy: "no-referrer", strictTransportSecurity: nil)
    /// ```
    public init(
        contentTypeOptions: Bool = true,
        frameOptions: FrameOptions? = .deny,
        referrerPolicy: String? = "strict-origin-when-cross-origin",
        strictTransportSecurity: TransportSecurity? = TransportSecurity(),
        contentSecurityPolicy: String? = nil,
        proxies: TrustedProxies = .none
    ) {
        var fields: [HTTPHeaders.Field] = []
        if contentTypeOptions { fields.append(.init(name: .xContentTypeOptions, value: "nosniff")) }
        if let frameOptions {
            fields.append(.init(name: .xFrameOptions, value: frameOptions == .deny ? "DENY" : "SAMEORIGIN"))
        }
        if let referrerPolicy { fields.append(.init(name: .referrerPolicy, value: referrerPolicy)) }
        if var policy = contentSecurityPolicy {
            if let frameOptions, !policy.lowercased().contains("frame-ancestors") {
                let ancestors = frameOptions == .deny ? "frame-ancestors 'none'" : "frame-ancestors 'self'"
                policy = policy.isEmpty ? ancestors : policy + "; " + ancestors
            }
            fields.append(.init(name: .contentSecurityPolicy, value: policy))
        }
        always = fields.filter { HTTPHeaders.isValidFieldValue($0.value) }
        transportSecurity = strictTransportSecurity.map(\.value)
        self.proxies = proxies
    }

    /// Runs `next`, then adds each header the response does not already have.
    @inlinable public func handle<Next: NextResponder>(_ input: Next.Input, next: Next) async throws -> Response {
        var response = try await next(input)
        for field in always where !response.headers.contains(field.name) { response.headers.append(field) }
        if let transportSecurity, !response.headers.contains(.strictTransportSecurity),
            proxies.scheme(of: input.request) == "https"
        {
            response.headers.append(.strictTransportSecurity, transportSecurity)
        }
        return response
    }

    /// Lists the middleware and declares the headers it sets.
    public func describe(into description: inout PipelineDescription) {
        description.addStep("SecurityHeaders")
        for field in always { description.declareSets(field.name) }
        if transportSecurity != nil { description.declareSets(.strictTransportSecurity) }
    }
}
