import CTrellisLinux
import Glibc

/// A bound, listening TCP socket (IPv4 or IPv6), non-blocking.
struct ListeningSocket {
    let fd: Int32
    /// The port actually bound (the ephemeral one for port 0).
    let port: Int

    /// Binds `host:port` with `SO_REUSEPORT` (so each event loop can own a listener on the same port) and listens.
    static func bind(host: String, port: Int, backlog: Int32) throws(ServerError) -> ListeningSocket {
        var storage = sockaddr_storage()
        var length: socklen_t
        let domain: Int32
        if host.contains(":") {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            let stripped = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
            guard inet_pton(AF_INET6, stripped, &address.sin6_addr) == 1 else { throw .invalidAddress(host) }
            withUnsafeMutableBytes(of: &storage) { raw in
                withUnsafeBytes(of: address) { raw.copyMemory(from: $0) }
            }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            domain = AF_INET6
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            let name = host == "localhost" ? "127.0.0.1" : host
            guard inet_pton(AF_INET, name, &address.sin_addr) == 1 else { throw .invalidAddress(host) }
            withUnsafeMutableBytes(of: &storage) { raw in
                withUnsafeBytes(of: address) { raw.copyMemory(from: $0) }
            }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            domain = AF_INET
        }
        let fd = ctrellis_socket(domain)
        guard fd >= 0 else { throw .system("socket", errno) }
        _ = ctrellis_set_int_option(fd, SOL_SOCKET, CTRELLIS_SO_REUSEADDR, 1)
        _ = ctrellis_set_int_option(fd, SOL_SOCKET, CTRELLIS_SO_REUSEPORT, 1)
        if domain == AF_INET6 { _ = ctrellis_set_int_option(fd, Int32(IPPROTO_IPV6), CTRELLIS_IPV6_V6ONLY, 1) }
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, length) }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw .system("bind \(host):\(port)", code)
        }
        guard listen(fd, backlog) == 0 else {
            let code = errno
            close(fd)
            throw .system("listen", code)
        }
        var actual = sockaddr_storage()
        var actualLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &actualLength) }
        }
        let boundPort: Int = withUnsafeBytes(of: actual) { raw in
            if domain == AF_INET6 {
                Int(UInt16(bigEndian: raw.load(as: sockaddr_in6.self).sin6_port))
            } else {
                Int(UInt16(bigEndian: raw.load(as: sockaddr_in.self).sin_port))
            }
        }
        return ListeningSocket(fd: fd, port: boundPort)
    }
}

/// Why the server could not start.
public enum ServerError: Error, CustomStringConvertible, Sendable {
    /// The host is not an IPv4 or IPv6 literal (or `localhost`).
    case invalidAddress(String)
    /// A system call failed.
    case system(String, Int32)

    /// A readable explanation.
    public var description: String {
        switch self {
        case .invalidAddress(let host): "not an IPv4 or IPv6 address: \(host)"
        case .system(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
        }
    }
}
