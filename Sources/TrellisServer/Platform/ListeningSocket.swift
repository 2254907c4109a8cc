import CTrellisSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A bound, listening TCP socket (IPv4 or IPv6), non-blocking.
struct ListeningSocket {
    /// What one `accept` did.
    enum AcceptResult {
        /// A new connection, non-blocking and close-on-exec.
        case accepted(Socket)
        /// No pending connection (or one that vanished before it was accepted).
        case wouldBlock
        /// Out of descriptors or memory: stop accepting for a moment instead of spinning.
        case outOfResources(Int32)
    }

    let fd: Int32
    /// The port actually bound (the ephemeral one for port 0).
    let port: Int

    /// Binds `host:port` and listens. With `reusePort` (`SO_REUSEPORT`) other sockets — this
    /// server's other loops, or another process of the same user — may bind the same port and the
    /// kernel spreads connections among them; without it the port is this socket's alone, and a
    /// second server on it fails with `EADDRINUSE`.
    static func bind(host: String, port: Int, backlog: Int32, reusePort: Bool) throws(ServerError) -> ListeningSocket {
        guard let (storage, length, domain) = SocketAddress.make(host: host, port: port) else {
            throw .invalidAddress(host)
        }
        let fd = ctrellis_socket(domain)
        guard fd >= 0 else { throw .system("socket", errno) }
        _ = ctrellis_set_int_option(fd, SOL_SOCKET, CTRELLIS_SO_REUSEADDR, 1)
        if reusePort { _ = ctrellis_set_int_option(fd, SOL_SOCKET, CTRELLIS_SO_REUSEPORT, 1) }
        if domain == AF_INET6 { _ = ctrellis_set_int_option(fd, Int32(IPPROTO_IPV6), CTRELLIS_IPV6_V6ONLY, 1) }
        var address = storage
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { systemBind(fd, $0, length) }
        }
        guard bound == 0 else {
            let code = errno
            _ = systemClose(fd)
            throw .system("bind \(host):\(port)", code)
        }
        guard listen(fd, backlog) == 0 else {
            let code = errno
            _ = systemClose(fd)
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
            case EMFILE, ENFILE, ENOBUFS, ENOMEM: return .outOfResources(errno)
            default: return .wouldBlock  // EAGAIN, ECONNABORTED, EPROTO, …: nothing to accept now
            }
        }
    }

    /// Closes the listener.
    func close() { _ = systemClose(fd) }
}

/// A listener and the loops that accept from it: one per loop with `reusePort`, else one for all
/// of them. The last loop to stop watching it closes it (from that loop's thread, after it has
/// taken it out of its poller), so no loop can accept on a closed or reused descriptor.
final class SharedListener: Sendable {
    let socket: ListeningSocket
    /// Whether other loops watch it too (they must then register it exclusively).
    let isShared: Bool
    private let users: Atomic<Int>

    init(_ socket: ListeningSocket, users: Int) {
        self.socket = socket
        isShared = users > 1
        self.users = Atomic(users)
    }

    /// One loop no longer watches it; the last closes it.
    func release() {
        if users.wrappingSubtract(1, ordering: .acquiringAndReleasing).newValue == 0 { socket.close() }
    }
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
