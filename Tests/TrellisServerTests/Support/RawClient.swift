import Foundation
import Glibc

/// A blocking TCP client over loopback for server tests: sends raw bytes, reads raw responses.
/// Every read has a timeout (20 s by default: a bound for a failure, not a speed check — under a
/// sanitizer with every suite starting at once the whole process has stalled for 6 s), so no test can hang.
final class RawClient: @unchecked Sendable {
    let fd: Int32
    private var buffer: [UInt8] = []

    struct Timeout: Error {}
    struct Closed: Error {}

    init(port: Int, host: String = "127.0.0.1", timeout: Double = 20) throws {
        let isV6 = host.contains(":")
        // The descriptor is stored only once connected: a throwing initializer of a fully
        // initialised class runs `deinit`, and closing here as well closed a number another test
        // had been given in between (a random "Closed" elsewhere in a parallel run).
        let fd = socket(isV6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let result: Int32
        if isV6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET6, host, &address.sin6_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET, host, &address.sin_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard result == 0 else {
            let code = POSIXErrorCode(rawValue: errno) ?? .EIO
            close(fd)
            throw POSIXError(code)
        }
        self.fd = fd
    }

    deinit { close(fd) }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw Closed() }
            sent += count
        }
    }

    /// Sends a request one byte per write.
    func sendSlowly(_ text: String, pause: useconds_t = 0) throws {
        for byte in text.utf8 {
            try send([byte])
            if pause > 0 { usleep(pause) }
        }
    }

    /// Sends end of stream (FIN) and keeps reading.
    func closeForWriting() { shutdown(fd, Int32(SHUT_WR)) }

    /// Closes with a TCP reset (SO_LINGER 0).
    func reset() {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        shutdown(fd, Int32(SHUT_RDWR))
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 65536, 0) }
        if count == 0 { throw Closed() }
        if count < 0 { throw errno == EAGAIN || errno == EWOULDBLOCK ? Timeout() as any Error : Closed() as any Error }
        buffer += chunk[0..<count]
    }

    private func readLine() throws -> String {
        while true {
            if let index = buffer.firstIndex(of: 10), index > 0, buffer[index - 1] == 13 {
                let line = String(decoding: buffer[0..<(index - 1)], as: UTF8.self)
                buffer.removeFirst(index + 1)
                return line
            }
            try fill()
        }
    }

    private func readExactly(_ count: Int) throws -> [UInt8] {
        while buffer.count < count { try fill() }
        let bytes = Array(buffer[0..<count])
        buffer.removeFirst(count)
        return bytes
    }

    /// Reads one response. `head: true` when it answers a HEAD request (no body follows).
    func readResponse(head: Bool = false) throws -> RawResponse {
        let statusLine = try readLine()
        var headers: [(String, String)] = []
        while true {
            let line = try readLine()
            if line.isEmpty { break }
            let colon = line.firstIndex(of: ":") ?? line.endIndex
            headers.append((String(line[..<colon]), line[colon...].dropFirst().trimmingCharacters(in: .whitespaces)))
        }
        var response = RawResponse(statusLine: statusLine, headers: headers, body: [])
        let status = response.status
        if head || status / 100 == 1 || status == 204 || status == 304 { return response }
        if let length = response.header("Content-Length").flatMap(Int.init) {
            response.body = try readExactly(length)
        } else if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            while true {
                let sizeLine = try readLine()
                let size = Int(sizeLine.split(separator: ";")[0], radix: 16) ?? 0
                if size == 0 {
                    while try !readLine().isEmpty {}
                    break
                }
                response.body += try readExactly(size)
                _ = try readExactly(2)
            }
        } else {
            while true {
                do { try fill() } catch is Closed { break }
            }
            response.body = buffer
            buffer = []
        }
        return response
    }

    /// Whether any response bytes (or the server's close) are waiting to be read right now.
    func hasPendingInput() -> Bool {
        if !buffer.isEmpty { return true }
        var probe = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&probe, 1, 0) > 0
    }

    /// Whether the server has closed the connection (reads until EOF or the timeout).
    func isClosedByServer() -> Bool {
        while true {
            do { try fill() } catch is Closed { return true } catch { return false }
        }
    }
}

struct RawResponse {
    let statusLine: String
    let headers: [(String, String)]
    var body: [UInt8]

    var status: Int { Int(statusLine.split(separator: " ").dropFirst().first ?? "") ?? 0 }
    var text: String { String(decoding: body, as: UTF8.self) }
    /// The bytes of the response on the wire, for a `Content-Length` one written as `Name: value`.
    var rawByteCount: Int {
        statusLine.utf8.count + 2 + headers.reduce(0) { $0 + $1.0.utf8.count + 2 + $1.1.utf8.count + 2 } + 2 + body.count
    }
    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    func headers(_ name: String) -> [String] { headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1) }
}

/// Runs blocking client code on a thread of its own instead of a cooperative-pool thread.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
