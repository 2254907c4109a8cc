import CTrellisLinux
import Glibc

/// Readiness events of one registered descriptor.
struct Readiness: OptionSet {
    let rawValue: UInt32
    /// Bytes (or end of stream, or an error) can be read.
    static let readable = Readiness(rawValue: 1)
    /// Bytes can be written (or the socket failed).
    static let writable = Readiness(rawValue: 2)
    /// The peer closed its side or the connection failed (`EPOLLRDHUP`, `EPOLLHUP`, `EPOLLERR`):
    /// reading will end in end-of-stream or an error once the bytes before it are read.
    static let hangup = Readiness(rawValue: 4)
}

/// The readiness backend: epoll in edge-triggered mode. A kqueue backend would be a second type with
/// the same four calls.
struct Poller {
    /// One readiness event: which descriptor (by the token it was registered with) and what it is ready for.
    struct Event {
        var token: UInt64
        var readiness: Readiness
    }

    private let fd: Int32

    /// Creates an epoll instance.
    init() throws(ServerError) {
        fd = ctrellis_epoll_create()
        guard fd >= 0 else { throw .system("epoll_create1", errno) }
    }

    /// Watches a connection's socket for both directions, edge-triggered.
    func register(connection socket: Int32, token: UInt64) -> Bool {
        let events = CTRELLIS_EPOLLIN | CTRELLIS_EPOLLOUT | CTRELLIS_EPOLLRDHUP | CTRELLIS_EPOLLET
        return ctrellis_epoll_add(fd, socket, events, token) == 0
    }

    /// Watches a listener that several loops share for input, level-triggered: `EPOLLEXCLUSIVE`,
    /// so a new connection wakes one of the loops, not all of them.
    func register(sharedListener descriptor: Int32, token: UInt64) -> Bool {
        ctrellis_epoll_add(fd, descriptor, CTRELLIS_EPOLLIN | CTRELLIS_EPOLLEXCLUSIVE, token) == 0
    }

    /// Watches a listener or wake-up descriptor for input, level-triggered.
    func register(input descriptor: Int32, token: UInt64) -> Bool {
        ctrellis_epoll_add(fd, descriptor, CTRELLIS_EPOLLIN, token) == 0
    }

    /// Stops watching a descriptor.
    func deregister(_ descriptor: Int32) { _ = ctrellis_epoll_del(fd, descriptor) }

    /// Waits up to `timeout` milliseconds (0: poll, -1: forever) and fills `events` from `raw` (the
    /// caller's reusable buffer of unpacked kernel events, no allocation per wait); returns how many.
    func wait(into events: inout [Event], raw: inout [ctrellis_event], timeout: Int32) -> Int {
        let capacity = Int32(min(events.count, raw.count, 256))
        let count = max(0, Int(raw.withUnsafeMutableBufferPointer { ctrellis_epoll_wait(fd, $0.baseAddress, capacity, timeout) }))
        for index in 0..<count {
            let flags = raw[index].events
            var readiness: Readiness = []
            if flags & (CTRELLIS_EPOLLIN | CTRELLIS_EPOLLRDHUP | CTRELLIS_EPOLLHUP | CTRELLIS_EPOLLERR) != 0 {
                readiness.insert(.readable)
            }
            if flags & (CTRELLIS_EPOLLOUT | CTRELLIS_EPOLLHUP | CTRELLIS_EPOLLERR) != 0 { readiness.insert(.writable) }
            if flags & (CTRELLIS_EPOLLRDHUP | CTRELLIS_EPOLLHUP | CTRELLIS_EPOLLERR) != 0 { readiness.insert(.hangup) }
            events[index] = Event(token: raw[index].data, readiness: readiness)
        }
        return count
    }

    /// Closes the epoll instance.
    func close() { _ = Glibc.close(fd) }
}

/// A descriptor another thread writes to so that a loop blocked in `Poller.wait` wakes up (eventfd).
struct WakeUpSignal {
    let fd: Int32

    init() throws(ServerError) {
        fd = ctrellis_eventfd()
        guard fd >= 0 else { throw .system("eventfd", errno) }
    }

    /// Makes the descriptor readable.
    func signal() {
        var one: UInt64 = 1
        _ = Glibc.write(fd, &one, 8)
    }

    /// Resets it after a wake-up.
    func drain() {
        var value: UInt64 = 0
        _ = Glibc.read(fd, &value, 8)
    }

    func close() { _ = Glibc.close(fd) }
}
