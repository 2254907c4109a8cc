/// The HTTP version of a request (`HTTP/1.1` unless a server says otherwise).
///
/// ```swift
/// if request.version == .http1_0 { /* close after the response unless keep-alive was asked */ }
/// ```
public struct HTTPVersion: Hashable, Sendable, CustomStringConvertible {
    /// The major version digit.
    public let major: Int
    /// The minor version digit.
    public let minor: Int

    /// Creates a version from its two digits.
    ///
    /// ```swift
    /// let v = HTTPVersion(major: 1, minor: 1)
    /// ```
    @inlinable public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// `HTTP/1.0`
    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    /// `HTTP/1.1`
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)

    /// `"HTTP/1.1"`.
    public var description: String { "HTTP/\(major).\(minor)" }
}
