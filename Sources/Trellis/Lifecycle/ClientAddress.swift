/// The address and port of the peer a request came from, as the server's socket sees it (the
/// proxy's address when the server runs behind one).
///
/// ```swift
/// Get("/whoami") { request in request.clientAddress.map { "\($0.host) port \($0.port)" } ?? "unknown" }
/// ```
public struct ClientAddress: Sendable, Equatable, CustomStringConvertible {
    /// The IP address in its textual form: `127.0.0.1` or `::1`.
    public let host: String
    /// The peer's port.
    public let port: Int

    /// An address.
    ///
    /// ```swift
    /// let client = ClientAddress(host: "127.0.0.1", port: 50312)
    /// ```
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `127.0.0.1:50312` or `[::1]:50312`.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
