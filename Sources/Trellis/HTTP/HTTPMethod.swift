/// An HTTP request method (RFC 9110 §9), including extension methods.
///
/// Methods are case-sensitive tokens. The standard ones are static members; any other token is a
/// valid extension method.
///
/// ```swift
/// let method: HTTPMethod = .get
/// let custom = HTTPMethod("PURGE")
/// ```
public struct HTTPMethod: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The method token exactly as sent, e.g. `"GET"`.
    public let rawValue: String

    /// Creates a method from its token.
    ///
    /// ```swift
    /// let purge = HTTPMethod(rawValue: "PURGE")
    /// ```
    @inlinable public init(rawValue: String) { self.rawValue = rawValue }

    /// Creates a method from its token.
    ///
    /// ```swift
    /// let purge = HTTPMethod("PURGE")
    /// ```
    @inlinable public init(_ rawValue: String) { self.rawValue = rawValue }

    /// Creates a method from a string literal: `let m: HTTPMethod = "PURGE"`.
    @inlinable public init(stringLiteral value: String) { self.rawValue = value }

    /// The method token, e.g. `"GET"`.
    public var description: String { rawValue }

    /// `GET`: transfer a current representation of the target resource.
    public static let get = HTTPMethod("GET")
    /// `HEAD`: same as `GET`, but the server does not send the body.
    public static let head = HTTPMethod("HEAD")
    /// `POST`: perform resource-specific processing on the request content.
    public static let post = HTTPMethod("POST")
    /// `PUT`: replace the target resource with the request content.
    public static let put = HTTPMethod("PUT")
    /// `DELETE`: remove the target resource.
    public static let delete = HTTPMethod("DELETE")
    /// `PATCH`: apply a partial modification (RFC 5789).
    public static let patch = HTTPMethod("PATCH")
    /// `OPTIONS`: describe the communication options for the target resource.
    public static let options = HTTPMethod("OPTIONS")
    /// `CONNECT`: establish a tunnel.
    public static let connect = HTTPMethod("CONNECT")
    /// `TRACE`: perform a message loop-back test.
    public static let trace = HTTPMethod("TRACE")

    /// Whether two methods are the same token. Methods of different lengths differ at once: a
    /// `String` comparison of two unequal short strings takes a call into the standard library
    /// (the router and CORS compare the request's method on every request).
    ///
    /// ```swift
    /// request.method == .options
    /// ```
    @inlinable public static func == (lhs: HTTPMethod, rhs: HTTPMethod) -> Bool {
        lhs.rawValue.utf8.count == rhs.rawValue.utf8.count && lhs.rawValue == rhs.rawValue
    }
}
