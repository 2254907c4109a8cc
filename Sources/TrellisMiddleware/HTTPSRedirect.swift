public import Trellis
/// Sends every plain-HTTP request to the same URL over HTTPS, as Starlette's
/// `HTTPSRedirectMiddleware`: `307 Temporary Redirect` (keeps the method and body; `308` with
/// `permanent: true`) to `https://<host><path>?<query>`: the port the plain request named is
/// dropped, whatever it was, and `httpsPort` is added when it is set.
///
/// This server speaks plain HTTP, so a request counts as HTTPS only when a **trusted proxy**
/// (`proxies`) says so with `X-Forwarded-Proto: https` or `Forwarded: proto=https`; the same
/// headers from anyone else are ignored. A request without a usable `Host` gets `400`.
///
/// ```swift
/// Pipeline {
///     HTTPSRedirect(proxies: TrustedProxies(["10.0.0.0/8"]))   // behind a TLS-terminating proxy
///     Router { Get("/") { _ in "secure" } }
/// }
/// ```
public struct HTTPSRedirect: PassThroughMiddleware {
    /// `307`, or `308` when permanent.
    public let status: HTTPStatus
    /// Whose forwarding headers are believed.
    public let proxies: TrustedProxies
    /// The HTTPS port to redirect to when it is not 443.
    public let httpsPort: Int?

    /// Redirects plain-HTTP requests.
    ///
    /// ```swift
    /// HTTPSRedirect(permanent: true, proxies: TrustedProxies(["127.0.0.1"]), httpsPort: 8443)
    /// ```
    public init(permanent: Bool = false, proxies: TrustedProxies = .none, httpsPort: Int? = nil) {
        status = permanent ? .permanentRedirect : .temporaryRedirect
        self.proxies = proxies
        self.httpsPort = httpsPort == 443 ? nil : httpsPort
    }

    /// Passes HTTPS requests on; answers the others with a redirect.
    @inlinable public func handle<Next: NextResponder>(_ input: Next.Input, next: Next) async throws -> Response {
        // The request is read where it lies (binding it to a constant copied it).
        if proxies.scheme(of: input.request) == "https" { return try await next(input) }
        guard input.request.headers.count(of: .host) == 1, let header = input.request.headers[.host],
            TrustedHost.hostName(header) != nil
        else {
            return Response(error: HTTPError(.badRequest, "Invalid host header"))
        }
        return Response(status: status, headers: [.location: location(host: header, request: input.request)])
    }

    /// `https://host[:port]/path?query` for `request`.
    @usableFromInline func location(host header: String, request: Request) -> String {
        // Drop the port the plain request used; add the HTTPS one if it is not 443.
        var authority = HostPort(header).map { String($0.host) } ?? header
        if let httpsPort { authority += ":\(httpsPort)" }
        var target = String(request.pathSlice)
        if target.isEmpty || !target.hasPrefix("/") { target = "/" + target }
        if let query = request.rawQuery { target += "?" + query }
        return "https://" + authority + target
    }

    /// Lists the middleware.
    public func describe(into description: inout PipelineDescription) {
        description.addStep("HTTPSRedirect(\(status.code))")
        description.declareResponse(status, "The same URL over HTTPS.", headers: [.location])
        description.declareResponse(.badRequest, "Invalid host header")
    }
}
