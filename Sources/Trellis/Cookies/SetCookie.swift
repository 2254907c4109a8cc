/// A cookie to set on the client with `response.setCookie(_:)` (RFC 6265 §4.1).
///
/// The name must be a token and the value cookie-octets only (no space, `"`, `,`, `;`, `\` or
/// control byte; encode such values yourself, e.g. base64url): anything else throws
/// `Cookie.Invalid` at the call, so a bad value can never corrupt the header. `SameSite=None`
/// requires `secure`.
///
/// ```swift
/// var response = Response.text("signed in")
/// try response.setCookie(Cookie(name: "session", value: token, maxAge: 3600, path: "/", secure: true, httpOnly: true, sameSite: .lax))
/// ```
public struct Cookie: Sendable, Equatable {
    /// The `SameSite` attribute.
    public enum SameSite: String, Sendable {
        /// Sent only with same-site requests.
        case strict = "Strict"
        /// Sent with same-site requests and top-level navigations.
        case lax = "Lax"
        /// `SameSite=None`: sent with every request, cross-site too; requires `Secure`. (Not
        /// spelled `.none`, which would read as `nil` for an optional.)
        case noRestriction = "None"
    }

    /// Why a cookie cannot be set.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        /// What is wrong.
        public let description: String
    }

    /// The name (a token).
    public var name: String
    /// The value (cookie-octets).
    public var value: String
    /// Seconds until the cookie expires (`0` or less deletes it).
    public var maxAge: Int?
    /// When the cookie expires, in seconds since 1970 (written as an HTTP date).
    public var expires: Int64?
    /// The path the cookie is sent for.
    public var path: String?
    /// The domain the cookie is sent to (and its subdomains).
    public var domain: String?
    /// Only over HTTPS.
    public var secure: Bool
    /// Hidden from scripts.
    public var httpOnly: Bool
    /// Cross-site policy.
    public var sameSite: SameSite?

    /// A cookie; only the name and value are required.
    ///
    /// ```swift
    /// Cookie(name: "theme", value: "dark", maxAge: 31_536_000)
    /// ```
    public init(
        name: String,
        value: String,
        maxAge: Int? = nil,
        expires: Int64? = nil,
        path: String? = nil,
        domain: String? = nil,
        secure: Bool = false,
        httpOnly: Bool = false,
        sameSite: SameSite? = nil
    ) {
        self.name = name
        self.value = value
        self.maxAge = maxAge
        self.expires = expires
        self.path = path
        self.domain = domain
        self.secure = secure
        self.httpOnly = httpOnly
        self.sameSite = sameSite
    }

    /// The `Set-Cookie` field value, after checking every part.
    ///
    /// ```swift
    /// try Cookie(name: "a", value: "1", httpOnly: true).headerValue() // "a=1; HttpOnly"
    /// ```
    public func headerValue() throws(Invalid) -> String {
        guard !name.isEmpty, name.utf8.allSatisfy(HTTPSyntax.isTokenChar) else {
            throw Invalid(description: "cookie name '\(name)' is not a token")
        }
        guard value.utf8.allSatisfy(CookieSyntax.isCookieOctet) else {
            throw Invalid(description: "cookie '\(name)': the value holds a byte a cookie value cannot carry (space, quote, comma, semicolon, backslash or control); encode it first")
        }
        var field = name + "=" + value
        if let maxAge { field += "; Max-Age=\(maxAge)" }
        if let expires { field += "; Expires=" + Self.httpDate(expires) }
        if let domain {
            guard !domain.isEmpty, domain.utf8.allSatisfy({ HTTPSyntax.isTokenChar($0) && $0 != UInt8(ascii: "!") }) else {
                throw Invalid(description: "cookie '\(name)': invalid domain '\(domain)'")
            }
            field += "; Domain=" + domain
        }
        if let path {
            guard path.utf8.allSatisfy(CookieSyntax.isAttributeByte) else {
                throw Invalid(description: "cookie '\(name)': invalid path '\(path)'")
            }
            field += "; Path=" + path
        }
        if secure { field += "; Secure" }
        if httpOnly { field += "; HttpOnly" }
        if let sameSite {
            if sameSite == .noRestriction && !secure { throw Invalid(description: "cookie '\(name)': SameSite=None requires Secure") }
            field += "; SameSite=" + sameSite.rawValue
        }
        return field
    }

    /// `Sun, 06 Nov 1994 08:49:37 GMT` for seconds since 1970 (RFC 9110 IMF-fixdate).
    static func httpDate(_ seconds: Int64) -> String { CivilTime(secondsSince1970: seconds).httpDate }
}

extension Response {
    /// Adds a `Set-Cookie` field; throws `Cookie.Invalid` (and adds nothing) when a part of the cookie is not allowed.
    ///
    /// ```swift
    /// try response.setCookie(Cookie(name: "session", value: token, path: "/", httpOnly: true))
    /// ```
    public mutating func setCookie(_ cookie: Cookie) throws(Cookie.Invalid) {
        headers.append(.setCookie, try cookie.headerValue())
    }
}
