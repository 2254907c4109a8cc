import CTrellisSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one non-blocking socket call did. `EINTR` is retried inside the call, so callers only see
/// progress, "not now", the peer's end of stream, or a real failure.
enum IOResult: Equatable {
    /// This many bytes were read or written (always > 0).
    case transferred(Int)
    /// The socket has nothing to read or no room to write: wait for readiness.
    case wouldBlock
    /// The peer closed its side (read only).
    case endOfStream
    /// The call failed with this `errno` (reset, broken pipe, …).
    case failed(Int32)
}

/// A connected, non-blocking stream socket: the only place connection I/O calls into the C library.
struct Socket {
    /// The file descriptor.
    let fd: Int32

    /// Reads into `buffer`.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> IOResult {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .wouldBlock }
        while true {
            let count = systemRead(fd, base, buffer.count)
            if count > 0 { return .transferred(count) }
            if count == 0 { return .endOfStream }
            let code = errno
            if code == EINTR { continue }
            return code == EAGAIN || code == EWOULDBLOCK ? .wouldBlock : .failed(code)
        }
    }

    /// Writes the gathered `vectors` (without raising SIGPIPE).
    func write(_ vectors: UnsafePointer<iovec>, count: Int32) -> IOResult {
        while true {
            let written = ctrellis_sendv(fd, vectors, count)
            if written > 0 { return .transferred(written) }
            if written == 0 { return .wouldBlock }
            let code = errno
            if code == EINTR { continue }
            return code == EAGAIN || code == EWOULDBLOCK ? .wouldBlock : .failed(code)
        }
    }

    /// Disables Nagle's algorithm: responses are written whole, so small ones must not wait.
    func setNoDelay() { _ = ctrellis_set_int_option(fd, Int32(IPPROTO_TCP), CTRELLIS_TCP_NODELAY, 1) }

    /// Sends FIN (the peer reads end of stream) while still allowing reads.
    func shutdownWrite() { _ = systemShutdownWrite(fd) }

    /// The peer's address as `(host, port)`, when the socket has one.
    func peerAddress() -> (host: String, port: Int)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) }
        }
        guard result == 0 else { return nil }
        return SocketAddress.describe(storage)
    }

    /// Closes the descriptor.
    func close() { _ = systemClose(fd) }
}

/// Conversions between textual addresses and `sockaddr` values.
enum SocketAddress {
    /// Parses an IPv4 or IPv6 literal (or `localhost`) into a `sockaddr_storage` for `port`.
    static func make(host: String, port: Int) -> (storage: sockaddr_storage, length: socklen_t, domain: Int32)? {
        var storage = sockaddr_storage()
        guard (0...65535).contains(port) else { return nil }
        if host.contains(":") {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            #if canImport(Darwin)
            address.sin6_len = UInt8(MemoryLayout<sockaddr_in6>.size)
            #endif
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            let stripped = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
            guard inet_pton(AF_INET6, stripped, &address.sin6_addr) == 1 else { return nil }
            withUnsafeMutableBytes(of: &storage) { raw in withUnsafeBytes(of: address) { raw.copyMemory(from: $0) } }
            return (storage, socklen_t(MemoryLayout<sockaddr_in6>.size), AF_INET6)
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        #if canImport(Darwin)
        address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
        #endif
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let name = host == "localhost" ? "127.0.0.1" : host
        guard inet_pton(AF_INET, name, &address.sin_addr) == 1 else { return nil }
        withUnsafeMutableBytes(of: &storage) { raw in withUnsafeBytes(of: address) { raw.copyMemory(from: $0) } }
        return (storage, socklen_t(MemoryLayout<sockaddr_in>.size), AF_INET)
    }

    private static func hostString(_ text: [CChar]) -> String {
        String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The host literal and port of an IPv4 or IPv6 address.
    static func describe(_ storage: sockaddr_storage) -> (host: String, port: Int)? {
        let family = Int32(storage.ss_family)
        return withUnsafeBytes(of: storage) { raw -> (String, Int)? in
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
            switch family {
            case AF_INET:
                var address = raw.load(as: sockaddr_in.self)
                guard inet_ntop(AF_INET, &address.sin_addr, &text, socklen_t(text.count)) != nil else { return nil }
                return (hostString(text), Int(UInt16(bigEndian: address.sin_port)))
            case AF_INET6:
                var address = raw.load(as: sockaddr_in6.self)
                guard inet_ntop(AF_INET6, &address.sin6_addr, &text, socklen_t(text.count)) != nil else { return nil }
                return (hostString(text), Int(UInt16(bigEndian: address.sin6_port)))
            default:
                return nil
            }
        }
    }
}
