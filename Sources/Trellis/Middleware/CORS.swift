/// Cross-Origin Resource Sharing, following the Fetch standard and Starlette's semantics.
///
/// - A **preflight** is an `OPTIONS` request with `Origin` and `Access-Control-Request-Method`; CORS
///   answers it itself: `200` with the allow headers when origin, method and requested headers are
///   allowed, else `400` with a plain reason such as `Disallowed CORS origin, headers`. Any other
///   `OPTIONS` request goes on to routing.
/// - An **actual** request from an allowed origin gets `Access-Control-Allow-Origin` (and
///   `-Allow-Credentials`, `-Expose-Headers`) on its response, error responses included, so a
///   browser script can read exposed headers such as `X-Process-Time`.
/// - With credentials the origin is echoed, never `*`. `Vary: Origin` is added to every response
///   whose CORS headers depend on the origin (every response, unless origins are `*` without credentials).
/// - Requests without `Origin`, or from origins not allowed, get no `Access-Control-*` headers.
/// - Requested header names match case-insensitively; the CORS-safelisted names `Accept`,
///   `Accept-Language`, `Content-Language` and `Content-Type` are always allowed.
///
/// ```swift
/// CORS(allowOrigins: ["https://example.com", "http://localhost:3000"],
///      allowMethods: [.get, .post, .put, .delete, .options],
///      allowHeaders: ["Content-Type", "Authorization", "X-Requested-With"],
///      allowCredentials: true,
///      expose: ["X-Process-Time"],
///      maxAge: 600)
/// ```
public struct CORS: PassThroughMiddleware {
    /// Which origins may read responses.
    public enum AllowedOrigins: Sendable, ExpressibleByArrayLiteral {
        /// Every origin (`*`; echoed instead when credentials are allowed).
        case any
        /// Exactly these serialized origins, e.g. `https://example.com` (no trailing slash).
        case list([String])
        /// Origins for which the predicate returns `true`.
        case predicate(@Sendable (String) -> Bool)

        /// `["https://example.com"]` is `.list(["https://example.com"])`.
        public init(arrayLiteral elements: String...) { self = .list(elements) }
    }

    /// Which request headers a preflight may ask for.
    public enum AllowedHeaders: Sendable, ExpressibleByArrayLiteral {
        /// Any header (the requested ones are echoed back).
        case any
        /// Exactly these names (compared case-insensitively), plus the CORS-safelisted ones.
        case list([String])

        /// `["Authorization"]` is `.list(["Authorization"])`.
        public init(arrayLiteral elements: String...) { self = .list(elements) }
    }

    /// Which methods a preflight may ask for.
    public enum AllowedMethods: Sendable, ExpressibleByArrayLiteral {
        /// Any method (the requested one is echoed back).
        case any
        /// Exactly these methods.
        case list([HTTPMethod])

        /// `[.get, .post]` is `.list([.get, .post])`.
        public init(arrayLiteral elements: HTTPMethod...) { self = .list(elements) }
    }

    /// The CORS-safelisted request header names, always allowed (as Starlette does).
    static let safelistedHeaders = ["Accept", "Accept-Language", "Content-Language", "Content-Type"]

    /// The configuration, computed once and shared: copying a `CORS` (the pipeline moves its
    /// middleware through each request's frames) retains one object, not a dozen strings and arrays.
    @usableFromInline final class Settings: Sendable {
        @usableFromInline let origins: AllowedOrigins
        @usableFromInline let methods: [HTTPMethod]
        @usableFromInline let anyMethod: Bool
        @usableFromInline let headers: AllowedHeaders
        @usableFromInline let allowedHeaderNames: [String]
        @usableFromInline let allowCredentials: Bool
        @usableFromInline let exposed: [String]
        @usableFromInline let maxAge: Int?
        @usableFromInline let allowMethodsValue: String
        @usableFromInline let allowHeadersValue: String
        @usableFromInline let exposeValue: String
        @usableFromInline let maxAgeValue: String?
        @usableFromInline let variesByOrigin: Bool

        init(origins: AllowedOrigins, methods: [HTTPMethod], anyMethod: Bool, headers: AllowedHeaders, allowedHeaderNames: [String], allowCredentials: Bool, exposed: [String], maxAge: Int?, allowMethodsValue: String, allowHeadersValue: String, exposeValue: String, maxAgeValue: String?, variesByOrigin: Bool) {
            self.origins = origins
            self.methods = methods
            self.anyMethod = anyMethod
            self.headers = headers
            self.allowedHeaderNames = allowedHeaderNames
            self.allowCredentials = allowCredentials
            self.exposed = exposed
            self.maxAge = maxAge
            self.allowMethodsValue = allowMethodsValue
            self.allowHeadersValue = allowHeadersValue
            self.exposeValue = exposeValue
            self.maxAgeValue = maxAgeValue
            self.variesByOrigin = variesByOrigin
        }
    }

    @usableFromInline let settings: Settings
    @inlinable var origins: AllowedOrigins { settings.origins }
    @inlinable var methods: [HTTPMethod] { settings.methods }
    @inlinable var anyMethod: Bool { settings.anyMethod }
    @inlinable var headers: AllowedHeaders { settings.headers }
    @inlinable var allowedHeaderNames: [String] { settings.allowedHeaderNames }
    @inlinable var allowCredentials: Bool { settings.allowCredentials }
    @inlinable var exposed: [String] { settings.exposed }
    @inlinable var maxAge: Int? { settings.maxAge }
    @inlinable var allowMethodsValue: String { settings.allowMethodsValue }
    @inlinable var allowHeadersValue: String { settings.allowHeadersValue }
    @inlinable var exposeValue: String { settings.exposeValue }
    @inlinable var maxAgeValue: String? { settings.maxAgeValue }
    @inlinable var variesByOrigin: Bool { settings.variesByOrigin }

    /// Configures CORS. The defaults allow every origin (`*`) for `GET`, `HEAD` and `POST`, no extra
    /// request headers (the CORS-safelisted ones always pass), no credentials, nothing exposed and a
    /// 600 s preflight cache. `.any` is spelled the same for origins, methods and headers.
    ///
    /// ```swift
    /// CORS(expose: ["X-Process-Time"])
    /// CORS(allowOrigins: .predicate { $0.hasSuffix(".example.com") }, allowCredentials: true)
    /// CORS(allowOrigins: ["https://example.com"], allowMethods: .any, allowHeaders: .any)
    /// ```
    public init(
        allowOrigins: AllowedOrigins = .any,
        allowMethods: AllowedMethods = [.get, .head, .post],
        allowHeaders: AllowedHeaders = [],
        allowCredentials: Bool = false,
        expose: [String] = [],
        maxAge: Int? = 600
    ) {
        let anyMethod: Bool
        let methods: [HTTPMethod]
        switch allowMethods {
        case .any:
            anyMethod = true
            methods = []
        case .list(let list):
            anyMethod = list.contains(HTTPMethod("*"))
            methods = list.filter { $0.rawValue != "*" }
        }
        var listed: [String] = []
        if case .list(let names) = allowHeaders { listed = names }
        for name in Self.safelistedHeaders where !listed.contains(where: { $0.lowercased() == name.lowercased() }) {
            listed.append(name)
        }
        let variesByOrigin: Bool
        if case .any = allowOrigins { variesByOrigin = allowCredentials } else { variesByOrigin = true }
        settings = Settings(
            origins: allowOrigins, methods: methods, anyMethod: anyMethod, headers: allowHeaders,
            allowedHeaderNames: listed.map { $0.lowercased() }, allowCredentials: allowCredentials, exposed: expose,
            maxAge: maxAge, allowMethodsValue: methods.map(\.rawValue).joined(separator: ", "),
            allowHeadersValue: listed.joined(separator: ", "), exposeValue: expose.joined(separator: ", "),
            maxAgeValue: maxAge.map(String.init), variesByOrigin: variesByOrigin
        )
    }

    /// Answers preflights, and decorates every other response. Always inlined, as `ProcessTime`'s
    /// is: the work is in the calls it makes, and a frame of its own would cost more.
    @inlinable @inline(__always) public func handle<Next: NextResponder>(_ input: Next.Input, next: Next) async throws -> Response {
        let requestHeaders = input.request.headers
        // One `Origin` field or none counts: two are not an origin.
        // The value where it lies (in the request head's text): compared and reflected into the
        // response without being copied out.
        let origin = requestHeaders.singleSharedValue(.origin)
        if let origin, input.request.method == .options, requestHeaders.contains(.accessControlRequestMethod) {
            await settleOnCallerExecutor()
            return preflight(origin: origin, headers: requestHeaders)
        }
        var response: Response
        do {
            response = try await next.respond(to: input)
        } catch {
            response = Response(error: error)
        }
        decorate(&response, origin: origin)
        return response
    }

    /// Whether `origin` may read responses.
    @usableFromInline func isAllowed(origin: HTTPHeaders.SharedValue) -> Bool {
        switch origins {
        // With credentials `.any` reflects the origin, and `null` (sandboxed frames, file: pages,
        // redirects) must never be reflected: any page can make its origin `null`.
        case .any: !(variesByOrigin && origin.equals("null"))
        case .list(let list): origin.equalsAny(of: list)
        case .predicate(let predicate): predicate(origin.string)
        }
    }

    /// `origin` as the value of an `Access-Control-Allow-Origin` field (sharing its text).
    @usableFromInline static func allowOrigin(_ origin: HTTPHeaders.SharedValue) -> HTTPHeaders.Field {
        HTTPHeaders.Field(name: .accessControlAllowOrigin, sharing: origin)
    }

    /// Adds the actual-response headers for an allowed origin, and `Vary: Origin` where it applies.
    @usableFromInline func decorate(_ response: inout Response, origin: HTTPHeaders.SharedValue?) {
        guard Self.hasFieldsWrittenHere(response.headers) else {
            // The usual case: the handler set none of these fields, so each is appended, without a
            // scan of the response's fields for each name (about 400 instructions a request with
            // an allowed `Origin`, callgrind).
            if let origin, isAllowed(origin: origin) {
                response.headers.append(variesByOrigin ? Self.allowOrigin(origin) : HTTPHeaders.Field(name: .accessControlAllowOrigin, value: "*"))
                if allowCredentials { response.headers.append(.accessControlAllowCredentials, "true") }
                if !exposeValue.isEmpty { response.headers.append(.accessControlExposeHeaders, exposeValue) }
            }
            if variesByOrigin { response.headers.append(.vary, "Origin") }
            return
        }
        if let origin, isAllowed(origin: origin) {
            response.headers.replace(
                .accessControlAllowOrigin,
                with: variesByOrigin ? Self.allowOrigin(origin) : HTTPHeaders.Field(name: .accessControlAllowOrigin, value: "*")
            )
            if allowCredentials { response.headers[.accessControlAllowCredentials] = "true" }
            if !exposeValue.isEmpty { response.headers[.accessControlExposeHeaders] = exposeValue }
        }
        if variesByOrigin { Self.addVaryOrigin(to: &response.headers) }
    }

    /// Whether `headers` may have a field `decorate` writes or extends: `Access-Control-Allow-Origin`,
    /// `-Allow-Credentials`, `-Expose-Headers` or `Vary`. One pass comparing keys (a name's length
    /// and first seven bytes): another name with the same key only sends the response down the
    /// general path, which handles any fields.
    @usableFromInline static func hasFieldsWrittenHere(_ headers: HTTPHeaders) -> Bool {
        let keys = writtenKeys
        return headers.withFields { fields in
            for index in fields.indices {
                let key = fields[index].name.key
                if key == keys.0 || key == keys.1 || key == keys.2 || key == keys.3 { return true }
            }
            return false
        }
    }

    /// The keys of the names `hasFieldsWrittenHere` looks for.
    static let writtenKeys = (
        HTTPHeaders.Name.accessControlAllowOrigin.key, HTTPHeaders.Name.accessControlAllowCredentials.key,
        HTTPHeaders.Name.accessControlExposeHeaders.key, HTTPHeaders.Name.vary.key
    )

    /// Appends `Origin` to `Vary` unless it (or `*`) is already there.
    static func addVaryOrigin(to headers: inout HTTPHeaders) {
        if headers.listContains(.vary, token: "origin") || headers.listContains(.vary, token: "*") { return }
        headers.append(.vary, "Origin")
    }

    /// The answer to a preflight request. Checks the requested headers in place (no per-name strings).
    @usableFromInline func preflight(origin: HTTPHeaders.SharedValue, headers requestHeaders: HTTPHeaders) -> Response {
        let originAllowed = isAllowed(origin: origin)
        let requestedMethod = requestHeaders[.accessControlRequestMethod] ?? ""
        let methodAllowed = anyMethod || methods.contains(HTTPMethod(requestedMethod))
        var headersAllowed = true
        var requestedNames: [String] = []
        for field in requestHeaders where field.name == .accessControlRequestHeaders {
            HTTPHeaders.forEachListElement(field.valueSlice) { element in
                switch headers {
                case .any:
                    requestedNames.append(String(decoding: element.map(HTTPSyntax.lowercased), as: UTF8.self))
                case .list:
                    if !allowedHeaderNames.contains(where: { HTTPSyntax.equalsIgnoringCase(element, lowercased: $0.utf8) }) {
                        headersAllowed = false
                    }
                }
            }
        }

        var response: Response
        if originAllowed && methodAllowed && headersAllowed {
            var fields = HTTPHeaders()
            fields.reserveCapacity(10)
            fields.append(.contentType, "text/plain; charset=utf-8")
            fields.append(variesByOrigin ? Self.allowOrigin(origin) : HTTPHeaders.Field(name: .accessControlAllowOrigin, value: "*"))
            fields.append(.accessControlAllowMethods, anyMethod ? requestedMethod : allowMethodsValue)
            switch headers {
            case .any:
                if !requestedNames.isEmpty { fields.append(.accessControlAllowHeaders, requestedNames.joined(separator: ", ")) }
            case .list:
                fields.append(.accessControlAllowHeaders, allowHeadersValue)
            }
            if let maxAgeValue { fields.append(.accessControlMaxAge, maxAgeValue) }
            if allowCredentials { fields.append(.accessControlAllowCredentials, "true") }
            response = Response(status: .ok, headers: fields, body: .bytes(Self.okBody))
        } else {
            var failures: [String] = []
            if !originAllowed { failures.append("origin") }
            if !methodAllowed { failures.append("method") }
            if !headersAllowed { failures.append("headers") }
            // Starlette's text; a JSON body (`{"detail": …}`) when the pipeline's errorFormat is .json.
            response = ErrorFormat.current.body(detail: "Disallowed CORS " + failures.joined(separator: ", "), status: .badRequest)
        }
        if variesByOrigin { Self.addVaryOrigin(to: &response.headers) }
        return response
    }

    @usableFromInline static let okBody: [UInt8] = Array("OK".utf8)

    /// Lists `CORS` and declares the headers it exposes.
    public func describe(into description: inout PipelineDescription) {
        let originText: String
        switch origins {
        case .any: originText = "*"
        case .list(let list): originText = list.joined(separator: " ")
        case .predicate: originText = "predicate"
        }
        let methodText = anyMethod ? "any" : methods.map(\.rawValue).joined(separator: " ")
        let headerText: String
        switch headers {
        case .any: headerText = "any"
        case .list: headerText = allowHeadersValue.isEmpty ? "safelisted" : allowHeadersValue.split(separator: ",").map { $0.trimmingHTTPWhitespace() }.joined(separator: " ")
        }
        var parts = ["origins: \(originText)", "methods: \(methodText)", "headers: \(headerText)"]
        if allowCredentials { parts.append("credentials") }
        parts.append("expose: " + (exposed.isEmpty ? "none" : exposed.joined(separator: " ")))
        parts.append("max-age: " + (maxAge.map { "\($0) s" } ?? "none"))
        description.addStep("CORS(" + parts.joined(separator: ", ") + ")")
        if case .any = origins, allowCredentials {
            description.addWarning(
                "CORS allows any origin with credentials: it reflects every site's Origin with "
                    + "Access-Control-Allow-Credentials, so any website can make credentialed requests and read "
                    + "the responses. List the allowed origins instead."
            )
        }
        for name in exposed { description.declareExposes(HTTPHeaders.Name(name), by: "CORS") }
    }
}
