/// The open connections of one event loop, by descriptor. The loop delivers readiness and deadline
/// checks through it; a transport leaves it when it closes; the loop reads back how many left and
/// whether memory was given back, so nothing below the loop ever calls the loop. Loop thread only.
final class ConnectionRegistry {
    private let poller: Poller
    /// The transports by descriptor. Descriptors are small and dense (the kernel hands out the
    /// lowest free one), so an array indexed by descriptor finds a connection's transport on every
    /// readiness event without hashing. Each access is a single read or write of one slot, on the
    /// loop's thread (`forEach` reads a slot at a time, so a transport that closes while it runs
    /// writes its slot between two reads): without the runtime's exclusivity bookkeeping, which
    /// cost a check per readiness event.
    @exclusivity(unchecked) private var byDescriptor: [SocketTransport?] = []
    /// How many connections are open.
    private(set) var count = 0
    /// Connections that closed since the loop last asked (`takeClosedCount()`).
    private var closedCount = 0
    /// A connection closed or shrank a grown buffer since the loop last asked.
    private var memoryReleased = false
    /// Transports whose tasks yielded their turn and wait for the loop's next poll. Touched only on
    /// the loop's thread, never across a call that could reach it again (so without the runtime's
    /// exclusivity bookkeeping, which cost a check per loop turn).
    @exclusivity(unchecked) private var turns: [SocketTransport] = []

    init(poller: Poller) { self.poller = poller }

    var isEmpty: Bool { count == 0 }

    /// The transport of descriptor `fd`, if it is an open connection of this loop.
    @inline(__always) func transport(for fd: Int32) -> SocketTransport? {
        let index = Int(fd)
        return index >= 0 && index < byDescriptor.count ? byDescriptor[index] : nil
    }

    /// Every open connection's transport (a copy: closing one while going through them is safe).
    var all: [SocketTransport] { byDescriptor.compactMap { $0 } }

    /// Calls `body` with each open connection's transport where it lies: no array is made (the
    /// loop's deadline sweep runs twenty times a second). A transport that `body` closes leaves
    /// its slot empty, which the walk then skips.
    func forEach(_ body: (SocketTransport) -> Void) {
        var index = 0
        while index < byDescriptor.count {
            if let transport = byDescriptor[index] { body(transport) }
            index += 1
        }
    }

    func add(_ transport: SocketTransport) {
        let index = Int(transport.socket.fd)
        guard index >= 0 else { return }
        if index >= byDescriptor.count {
            byDescriptor.append(contentsOf: repeatElement(nil, count: index - byDescriptor.count + 1))
        }
        if byDescriptor[index] == nil { count += 1 }
        byDescriptor[index] = transport
    }

    /// Forgets a connection whose transport is closing (before its descriptor is closed).
    func remove(_ fd: Int32) {
        poller.deregister(fd)
        let index = Int(fd)
        guard index >= 0, index < byDescriptor.count, byDescriptor[index] != nil else { return }
        byDescriptor[index] = nil
        count -= 1
        closedCount += 1
        memoryReleased = true
    }

    /// A connection's transport is about to wait for `direction` (see `Poller.arm`).
    @inline(__always) func arm(_ fd: Int32, for direction: Readiness) { poller.arm(fd, for: direction) }

    /// Notes that a connection gave back a grown buffer.
    func noteMemoryReleased() { memoryReleased = true }

    /// Whether some connection waits for its turn (the loop must then poll without sleeping).
    var hasPendingTurns: Bool { !turns.isEmpty }

    /// `transport`'s task waits until the loop has polled once more.
    func requestTurn(for transport: SocketTransport) { turns.append(transport) }

    /// Resumes the tasks that yielded their turn (called by the loop after each poll).
    func resumeTurns() {
        guard !turns.isEmpty else { return }
        let waiting = turns
        turns.removeAll(keepingCapacity: true)
        for transport in waiting { transport.resumeTurn() }
    }

    /// How many connections closed since the last call.
    func takeClosedCount() -> Int {
        defer { closedCount = 0 }
        return closedCount
    }

    /// Whether memory was released since the last call.
    func takeMemoryReleased() -> Bool {
        defer { memoryReleased = false }
        return memoryReleased
    }
}
