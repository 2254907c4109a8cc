import CTrellisLinux
import Glibc

/// A bound, listening TCP socket (IPv4 or IPv6), non-blocking.
struct ListeningSocket {
    /// What one `accept` did.
    enum AcceptResult {
        /// A new connection, non-blocking and close-on-exec.
        case accepted(Socket)
        /// No pending connection (or one that vanished before it was accepted).
        case wouldBlock
        /// Out of descriptors or memory: stop accepting for a moment instead of spinning.
        case outOfResources
    }

    let fd: Int32
    /// The port actually bound (the ephemeral one for port 0).
    let port: Int

    /// Binds `host:port` with `SO_REUSEPORT` (so each event loop can own a listener on the same port) and listens.
    static func bind(host: String, port: Int, backlog: Int32) throws(ServerError) -> ListeningSocket {
        guard let (storage, length, domain) = SocketAddress.make(host: host, port: port) else {
            throw .invalidAddress(host)
        }
        let fd = ctrellis_socket(domain)
        guard fd >= 0 else { throw .system("socket", errno) }
        _ = ctrellis_set_int_option(fd, SOL_SOCKET, CTRELLIS_SO_REUSEADDR, 1)
        _ = ctrellis_set_int_option(fd, SOL_SOCKET, CTRELLIS_SO_REUSEPORT, 1)
        if domain == AF_INET6 { _ = ctrellis_set_int_option(fd, Int32(IPPROTO_IPV6), CTRELLIS_IPV6_V6ONLY, 1) }
        var address = storage
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, length) }
        }
        guard bound == 0 else {
            let code = errno
            Glibc.close(fd)
            throw .system("bind \(host):\(port)", code)
        }
        guard listen(fd, backlog) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw .system("listen", code)
        }
        var actual = sockaddr_storage()
        var actualLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &actualLength) }
        }
        return ListeningSocket(fd: fd, port: SocketAddress.describe(actual)?.port ?? port)
    }

    /// Accepts one pending connection.
    func accept() -> AcceptResult {
        while true {
            let fd = ctrellis_accept(fd)
            if fd >= 0 { return .accepted(Socket(fd: fd)) }
            switch errno {
            case EINTR: continue
            case EMFILE, ENFILE, ENOBUFS, ENOMEM: return .outOfResources
            default: return .wouldBlock  // EAGAIN, ECONNABORTED, EPROTO, …: nothing to accept now
            }
        }
    }

    /// Closes the listener.
    func close() { _ = Glibc.close(fd) }
}

/// Why the server could not start.
public enum ServerError: Error, CustomStringConvertible, Sendable {
    /// The host is not an IPv4 or IPv6 literal (or `localhost`).
    case invalidAddress(String)
    /// A configuration value is out of range; the string says which and why.
    case invalidConfiguration(String)
    /// A system call failed.
    case system(String, Int32)

    /// A readable explanation.
    public var description: String {
        switch self {
        case .invalidAddress(let host): "not an IPv4 or IPv6 address: \(host)"
        case .invalidConfiguration(let reason): "invalid server configuration: \(reason)"
        case .system(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
        }
    }
}
