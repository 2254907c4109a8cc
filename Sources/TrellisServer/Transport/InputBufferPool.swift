/// The read buffers of one event loop's connections that wait for their next request with nothing
/// unread. A connection gives its buffer back before it waits and takes one when it reads again,
/// so an idle keep-alive connection holds no buffer (as nginx frees an idle connection's), and the
/// loop's busy connections share the few most recently used ones (a buffer the previous request
/// touched, rather than one of its own per connection). Loop thread only.
///
/// ```swift
/// var input = pool.take()     // before reading
/// pool.giveBack(&input)       // before waiting, with nothing unread: `input` is empty after
/// ```
package final class InputBufferPool {
    /// The size of a buffer in the pool (a connection's buffer at rest).
    package let bufferSize: Int
    /// The most buffers kept; more are freed as they come back, so a burst of connections going
    /// idle returns their memory.
    package let capacity: Int
    /// The spare buffers: `spareCount` of them, in slots allocated once (a plain count and a move
    /// in or out, without an array's uniqueness checks, on each read). Touched only on the loop's
    /// thread.
    private let slots: UnsafeMutablePointer<[UInt8]>
    /// How many buffers wait in the pool. Loop-confined, and never accessed across a call that
    /// could reach it again: without the runtime's exclusivity bookkeeping (two checks per read).
    @exclusivity(unchecked) package private(set) var spareCount = 0

    package init(bufferSize: Int, capacity: Int = 32) {
        self.bufferSize = bufferSize
        self.capacity = capacity
        slots = .allocate(capacity: capacity)
    }

    deinit {
        slots.deinitialize(count: spareCount)
        slots.deallocate()
    }

    /// A buffer of `bufferSize` bytes: the one given back last, or a new one.
    package func take() -> [UInt8] {
        guard spareCount > 0 else { return [UInt8](repeating: 0, count: bufferSize) }
        spareCount -= 1
        return (slots + spareCount).move()
    }

    /// Takes `buffer` (of `bufferSize` bytes, its contents no longer needed) into the pool, or frees
    /// it when the pool is full; `buffer` is empty afterwards.
    package func giveBack(_ buffer: inout [UInt8]) {
        assert(buffer.count == bufferSize, "only a buffer at rest goes back to the pool")
        var taken: [UInt8] = []
        swap(&taken, &buffer)
        guard spareCount < capacity else { return }
        (slots + spareCount).initialize(to: taken)
        spareCount += 1
    }
}
