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

/// The readiness backend a loop waits on: epoll (edge-triggered, the default on Linux), or `poll(2)`,
/// the portable one, which any POSIX system has and which the server test suite also runs on here
/// (`TRELLIS_EVENT_BACKEND=poll`). Both give the same edge-like contract: a connection's direction
/// is reported once it becomes ready, and again only after its transport has waited for it anew
/// (`arm`). A kqueue backend for Darwin would be a third case with the same calls.
struct Poller {
    /// One readiness event: which descriptor (by the token it was registered with) and what it is ready for.
    struct Event {
        var token: UInt64
        var readiness: Readiness
    }

    private enum Backend {
        case epoll(Int32)
        case poll(PollSet)
    }

    private let backend: Backend

    /// Creates the backend `kind` names (epoll when `.automatic`, unless the environment's
    /// `TRELLIS_EVENT_BACKEND` says `poll`).
    init(kind: EventBackend = .automatic) throws(ServerError) {
        switch kind.resolved {
        case .poll:
            backend = .poll(PollSet())
        case .epoll, .automatic:
            let fd = ctrellis_epoll_create()
            guard fd >= 0 else { throw .system("epoll_create1", errno) }
            backend = .epoll(fd)
        }
    }

    /// Watches a connection's socket for both directions, edge-triggered.
    func register(connection socket: Int32, token: UInt64) -> Bool {
        switch backend {
        case .epoll(let fd):
            let events = CTRELLIS_EPOLLIN | CTRELLIS_EPOLLOUT | CTRELLIS_EPOLLRDHUP | CTRELLIS_EPOLLET
            return ctrellis_epoll_add(fd, socket, events, token) == 0
        case .poll(let set):
            set.add(socket, token: token, persistent: [])
            return true
        }
    }

    /// Watches a listener that several loops share for input, level-triggered: `EPOLLEXCLUSIVE`,
    /// so a new connection wakes one of the loops, not all of them (`poll(2)` wakes them all; the
    /// ones that lose the race get `EAGAIN` from `accept`).
    func register(sharedListener descriptor: Int32, token: UInt64) -> Bool {
        switch backend {
        case .epoll(let fd):
            return ctrellis_epoll_add(fd, descriptor, CTRELLIS_EPOLLIN | CTRELLIS_EPOLLEXCLUSIVE, token) == 0
        case .poll(let set):
            set.add(descriptor, token: token, persistent: .readable)
            return true
        }
    }

    /// Watches a listener or wake-up descriptor for input, level-triggered.
    func register(input descriptor: Int32, token: UInt64) -> Bool {
        switch backend {
        case .epoll(let fd):
            return ctrellis_epoll_add(fd, descriptor, CTRELLIS_EPOLLIN, token) == 0
        case .poll(let set):
            set.add(descriptor, token: token, persistent: .readable)
            return true
        }
    }

    /// Stops watching a descriptor.
    func deregister(_ descriptor: Int32) {
        switch backend {
        case .epoll(let fd): _ = ctrellis_epoll_del(fd, descriptor)
        case .poll(let set): set.remove(descriptor)
        }
    }

    /// A connection's transport is about to wait for `direction`: report it when it is (again)
    /// ready. Nothing to do for epoll, whose edges arrive by themselves.
    @inline(__always) func arm(_ descriptor: Int32, for direction: Readiness) {
        if case .poll(let set) = backend { set.arm(descriptor, direction) }
    }

    /// Waits up to `timeout` milliseconds (0: poll, -1: forever) and fills `events` from `raw` (the
    /// caller's reusable buffer of unpacked kernel events, no allocation per wait); returns how many.
    func wait(into events: inout [Event], raw: inout [ctrellis_event], timeout: Int32) -> Int {
        switch backend {
        case .epoll(let fd):
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
        case .poll(let set):
            return set.wait(into: &events, timeout: timeout)
        }
    }

    /// Closes the backend.
    func close() {
        if case .epoll(let fd) = backend { _ = Glibc.close(fd) }
    }
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
