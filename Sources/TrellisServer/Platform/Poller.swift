import CTrellisSystem
#if canImport(Glibc)
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#elseif canImport(Darwin)
import Darwin
#endif

/// Readiness events of one registered descriptor.
struct Readiness: OptionSet {
    let rawValue: UInt32
    /// Bytes (or end of stream, or an error) can be read.
    static let readable = Readiness(rawValue: CTRELLIS_READABLE)
    /// Bytes can be written (or the socket failed).
    static let writable = Readiness(rawValue: CTRELLIS_WRITABLE)
    /// The peer closed its side or the connection failed (`EPOLLRDHUP`, `EPOLLHUP`, `EPOLLERR`;
    /// kqueue's `EV_EOF`): reading will end in end-of-stream or an error once the bytes before it are read.
    static let hangup = Readiness(rawValue: CTRELLIS_HANGUP)
}

/// The readiness backend a loop waits on: the platform's native one (epoll on Linux, kqueue on
/// Darwin, both edge-triggered, behind the same C calls of `CTrellisSystem`), or `poll(2)`, the
/// portable one, which any POSIX system has and which the server test suite also runs on here
/// (`TRELLIS_EVENT_BACKEND=poll`). Both give the same edge-like contract: a connection's direction
/// is reported once it becomes ready, and again only after its transport has waited for it anew
/// (`arm`).
struct Poller {
    /// One readiness event: which descriptor (by the token it was registered with) and what it is ready for.
    struct Event {
        var token: UInt64
        var readiness: Readiness
    }

    private enum Backend {
        case native(Int32)
        case poll(PollSet)
    }

    private let backend: Backend

    /// Creates the backend `kind` names (the native one when `.automatic`, unless the environment's
    /// `TRELLIS_EVENT_BACKEND` says `poll`); a backend this platform lacks (`.kqueue` on Linux,
    /// `.epoll` on Darwin) fails with `ServerError.invalidConfiguration`.
    init(kind: EventBackend = .automatic) throws(ServerError) {
        let resolved = kind.resolved
        switch resolved {
        case .poll:
            backend = .poll(PollSet())
        case .automatic, .epoll, .kqueue:
            guard resolved == .native else {
                throw .invalidConfiguration("eventBackend .\(resolved.rawValue) is not available on this platform; use .\(EventBackend.native.rawValue) or .poll")
            }
            let fd = ctrellis_poller_create()
            guard fd >= 0 else { throw .system(EventBackend.native.rawValue, errno) }
            backend = .native(fd)
        }
    }

    /// Watches a connection's socket for both directions, edge-triggered.
    func register(connection socket: Int32, token: UInt64) -> Bool {
        switch backend {
        case .native(let fd):
            return ctrellis_poller_watch_connection(fd, socket, token) == 0
        case .poll(let set):
            set.add(socket, token: token, persistent: [])
            return true
        }
    }

    /// Watches a listener that several loops share for input, level-triggered: with epoll
    /// `EPOLLEXCLUSIVE`, so a new connection wakes one of the loops, not all of them (`poll(2)` and
    /// kqueue wake them all; the ones that lose the race get `EAGAIN` from `accept`).
    func register(sharedListener descriptor: Int32, token: UInt64) -> Bool {
        switch backend {
        case .native(let fd):
            return ctrellis_poller_watch_shared_listener(fd, descriptor, token) == 0
        case .poll(let set):
            set.add(descriptor, token: token, persistent: .readable)
            return true
        }
    }

    /// Watches a listener or wake-up descriptor for input, level-triggered.
    func register(input descriptor: Int32, token: UInt64) -> Bool {
        switch backend {
        case .native(let fd):
            return ctrellis_poller_watch_input(fd, descriptor, token) == 0
        case .poll(let set):
            set.add(descriptor, token: token, persistent: .readable)
            return true
        }
    }

    /// Stops watching a descriptor.
    func deregister(_ descriptor: Int32) {
        switch backend {
        case .native(let fd): _ = ctrellis_poller_unwatch(fd, descriptor)
        case .poll(let set): set.remove(descriptor)
        }
    }

    /// A connection's transport is about to wait for `direction`: report it when it is (again)
    /// ready. Nothing to do for epoll and kqueue, whose edges arrive by themselves.
    @inline(__always) func arm(_ descriptor: Int32, for direction: Readiness) {
        if case .poll(let set) = backend { set.arm(descriptor, direction) }
    }

    /// Waits up to `timeout` milliseconds (0: poll, -1: forever) and fills `events` from `raw` (the
    /// caller's reusable buffer of unpacked kernel events, no allocation per wait); returns how many.
    func wait(into events: inout [Event], raw: inout [ctrellis_event], timeout: Int32) -> Int {
        switch backend {
        case .native(let fd):
            let capacity = Int32(min(events.count, raw.count, 256))
            let count = max(0, Int(raw.withUnsafeMutableBufferPointer { ctrellis_poller_wait(fd, $0.baseAddress, capacity, timeout) }))
            for index in 0..<count {
                events[index] = Event(token: raw[index].data, readiness: Readiness(rawValue: raw[index].events))
            }
            return count
        case .poll(let set):
            return set.wait(into: &events, timeout: timeout)
        }
    }

    /// Closes the backend.
    func close() {
        if case .native(let fd) = backend { _ = systemClose(fd) }
    }
}

/// A descriptor another thread writes to so that a loop blocked in `Poller.wait` wakes up (an
/// eventfd on Linux, a pipe on Darwin).
struct WakeUpSignal {
    /// The end the loop watches.
    let fd: Int32
    private let writeEnd: Int32

    init() throws(ServerError) {
        var readEnd: Int32 = -1
        var writeEnd: Int32 = -1
        guard ctrellis_wakeup_open(&readEnd, &writeEnd) == 0 else { throw .system("wake-up descriptor", errno) }
        fd = readEnd
        self.writeEnd = writeEnd
    }

    /// Makes the descriptor readable.
    func signal() { ctrellis_wakeup_signal(writeEnd) }

    /// Resets it after a wake-up.
    func drain() { ctrellis_wakeup_drain(fd) }

    func close() {
        _ = systemClose(fd)
        if writeEnd != fd { _ = systemClose(writeEnd) }
    }
}
