import CLoadSystem
import Glibc
import Histogram

/// One load-generating thread: its own epoll instance and its share of the connections.
final class LoadWorker: @unchecked Sendable {
    struct Counters {
        var completed = 0
        var non2xx = 0
        var errors = 0
        var timeouts = 0
        var bytes = 0
    }

    final class Connection {
        var fd: Int32 = -1
        var buffer: [UInt8] = [UInt8](repeating: 0, count: 65536)
        var start = 0
        var end = 0
        /// Intended send times (ns) of the outstanding requests, oldest first.
        var sent: [UInt64] = []
        var sentHead = 0
        /// Open loop: when the next request is due.
        var nextDue: UInt64 = 0
        var outstanding: Int { sent.count - sentHead }
    }

    let options: LoadOptions
    let request: [UInt8]
    /// `pipeline` copies of the request back to back, so a refill of n requests is one write.
    let requests: [UInt8]
    let connections: [Connection]
    var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
    var counters = Counters()
    private var recording = false
    private let epollFD: Int32
    private let interval: UInt64

    init(options: LoadOptions, connectionCount: Int) {
        self.options = options
        request = options.request
        requests = Array([[UInt8]](repeating: options.request, count: max(1, options.pipeline)).joined())
        connections = (0..<connectionCount).map { _ in Connection() }
        epollFD = cload_epoll_create()
        if let rate = options.rate, rate > 0 {
            interval = UInt64(Double(options.connections) / rate * 1_000_000_000)
        } else {
            interval = 0
        }
    }

    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// Runs until `stopAt`; records only after `recordFrom`.
    func run(recordFrom: UInt64, stopAt: UInt64) {
        let begin = Self.now()
        for (index, connection) in connections.enumerated() {
            connection.nextDue = begin + (interval == 0 ? 0 : interval * UInt64(index) / UInt64(max(1, connections.count)))
            open(connection, slot: index)
        }
        var events = [cload_event](repeating: cload_event(), count: 512)
        let timeoutNanos = UInt64(options.timeout * 1_000_000_000)
        var nextTimeoutCheck = begin + 100_000_000
        while true {
            let now = Self.now()
            if now >= stopAt { break }
            if !recording && now >= recordFrom {
                recording = true
                histogram.reset()
                counters = Counters()
            }
            var wait: Int32 = 100
            if interval > 0 {
                // Open loop: send what is due, sleep until the next due time.
                var earliest = UInt64.max
                for (index, connection) in connections.enumerated() where connection.fd >= 0 {
                    while connection.outstanding == 0 && connection.nextDue <= now {
                        send(connection, slot: index, intended: connection.nextDue)
                        connection.nextDue += interval
                    }
                    if connection.outstanding == 0 { earliest = min(earliest, connection.nextDue) }
                }
                if earliest != UInt64.max { wait = Int32(min(100, max(0, (Int64(earliest) - Int64(now)) / 1_000_000))) }
            }
            let count = events.withUnsafeMutableBufferPointer { cload_epoll_wait(epollFD, $0.baseAddress, 512, wait) }
            if count > 0 {
                for index in 0..<Int(count) { readable(slot: Int(events[index].data)) }
            }
            let after = Self.now()
            if after >= nextTimeoutCheck {
                nextTimeoutCheck = after + 100_000_000
                for (index, connection) in connections.enumerated() where connection.outstanding > 0 {
                    if after - connection.sent[connection.sentHead] > timeoutNanos {
                        if recording { counters.timeouts += 1 }
                        reconnect(connection, slot: index)
                    }
                }
            }
        }
        for connection in connections where connection.fd >= 0 { close(connection.fd) }
        close(epollFD)
    }

    private func open(_ connection: Connection, slot: Int) {
        let fd = socket(options.host.contains(":") ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else {
            counters.errors += 1
            return
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let result: Int32
        if options.host.contains(":") {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(options.port).bigEndian)
            inet_pton(AF_INET6, options.host, &address.sin6_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(options.port).bigEndian)
            inet_pton(AF_INET, options.host, &address.sin_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard result == 0 else {
            close(fd)
            counters.errors += 1
            return
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        connection.fd = fd
        connection.start = 0
        connection.end = 0
        connection.sent.removeAll(keepingCapacity: true)
        connection.sentHead = 0
        _ = cload_epoll_add(epollFD, fd, UInt64(slot))
        if interval == 0 { send(connection, slot: slot, count: options.pipeline, intended: Self.now()) }
    }

    private func reconnect(_ connection: Connection, slot: Int) {
        if connection.fd >= 0 {
            _ = cload_epoll_del(epollFD, connection.fd)
            close(connection.fd)
            connection.fd = -1
        }
        open(connection, slot: slot)
    }

    /// Sends `count` requests (at most `pipeline`) in one write, all stamped with `intended`.
    private func send(_ connection: Connection, slot: Int, count: Int = 1, intended: UInt64) {
        let length = request.count * count
        let written = requests.withUnsafeBytes { Glibc.send(connection.fd, $0.baseAddress, length, Int32(MSG_NOSIGNAL)) }
        guard written == length else {
            // A request is far smaller than a socket buffer: a short write means the connection is broken.
            if recording { counters.errors += 1 }
            reconnect(connection, slot: slot)
            return
        }
        if connection.sentHead > 1024 {
            connection.sent.removeFirst(connection.sentHead)
            connection.sentHead = 0
        }
        for _ in 0..<count { connection.sent.append(intended) }
    }

    private func readable(slot: Int) {
        let connection = connections[slot]
        guard connection.fd >= 0 else { return }
        while true {
            if connection.end == connection.buffer.count {
                if connection.start > 0 {
                    connection.buffer.withUnsafeMutableBytes { raw in
                        guard let base = raw.baseAddress else { return }
                        _ = memmove(base, base + connection.start, connection.end - connection.start)
                    }
                    connection.end -= connection.start
                    connection.start = 0
                } else {
                    connection.buffer.append(contentsOf: repeatElement(0, count: connection.buffer.count))
                }
            }
            let count = connection.buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                return recv(connection.fd, base + connection.end, raw.count - connection.end, 0)
            }
            if count > 0 {
                connection.end += count
                if recording { counters.bytes += count }
                if !consumeResponses(connection, slot: slot) { return }
                if connection.end < connection.buffer.count { return }
                continue
            }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return }
            if count < 0 && errno == EINTR { continue }
            // Closed by the server or reset.
            if recording && (connection.outstanding > 0 || count < 0) { counters.errors += 1 }
            reconnect(connection, slot: slot)
            return
        }
    }

    /// Handles every complete response in the buffer; `false` if the connection was replaced.
    private func consumeResponses(_ connection: Connection, slot: Int) -> Bool {
        var completed = 0
        defer {
            // Closed loop: replace every answered request, in one write (as wrk does for a pipelined batch).
            if interval == 0 && completed > 0 && connection.fd >= 0 {
                send(connection, slot: slot, count: completed, intended: Self.now())
            }
        }
        while true {
            let parsed: ResponseReader.Parsed?
            do {
                parsed = try connection.buffer.withUnsafeBufferPointer {
                    try ResponseReader.next($0, from: connection.start, to: connection.end)
                }
            } catch {
                if recording { counters.errors += 1 }
                reconnect(connection, slot: slot)
                return false
            }
            guard let parsed else { break }
            connection.start += parsed.length
            if parsed.status / 100 == 1 { continue }
            guard connection.outstanding > 0 else { continue }
            let intended = connection.sent[connection.sentHead]
            connection.sentHead += 1
            let now = Self.now()
            if recording {
                _ = histogram.record(now > intended ? (now - intended) / 1000 : 0)  // microseconds
                counters.completed += 1
                if parsed.status / 100 != 2 { counters.non2xx += 1 }
            }
            completed += 1
        }
        if connection.start == connection.end {
            connection.start = 0
            connection.end = 0
        }
        return connection.fd >= 0
    }
}
