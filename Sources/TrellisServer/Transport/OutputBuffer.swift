/// The bytes a connection has still to send: one allocation, kept between responses and grown by
/// doubling, written in place. A response head is written straight into its spare room
/// (`write(intoSpareRoomOfAtLeast:_:)`), where an `Array` would take it from a scratch buffer in a
/// second copy, and every append is a bounds check and a copy, without an `Array`'s check that its
/// storage is uniquely held (together about 250 instructions a response, callgrind).
///
/// Not copyable: it owns its storage, and frees it when it ends.
///
/// ```swift
/// var output = OutputBuffer()
/// output.append(contentsOf: "HTTP/1.1 204 No Content\r\n\r\n".utf8)
/// output.bytes.count // 27
/// ```
package struct OutputBuffer: ~Copyable {
    /// `capacity` bytes (none allocated while `capacity` is 0), of which the first `count` are written.
    private var base: UnsafeMutablePointer<UInt8>?
    /// The bytes there is room for.
    package private(set) var capacity = 0
    /// The bytes written.
    package private(set) var count = 0

    /// An empty buffer; it allocates on its first write.
    package init() {}

    deinit { base?.deallocate() }

    /// The bytes written so far: valid until the next change.
    package var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Whether nothing is written.
    package var isEmpty: Bool { count == 0 }

    /// Appends one byte.
    package mutating func append(_ byte: UInt8) {
        if count == capacity { grow(toHold: count &+ 1) }
        guard let base else { return }
        base[count] = byte
        count &+= 1
    }

    /// Appends `bytes`.
    package mutating func append(contentsOf bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        if capacity &- count < bytes.count { grow(toHold: count + bytes.count) }
        guard let base else { return }
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: bytes.count)
        count &+= bytes.count
    }

    /// Appends `bytes`.
    package mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        append(contentsOf: UnsafeRawBufferPointer(bytes))
    }

    /// Appends `bytes` (copied whole when they lie in one piece, else one at a time).
    package mutating func append(contentsOf bytes: some Sequence<UInt8>) {
        let copied: Void? = bytes.withContiguousStorageIfAvailable { append(contentsOf: UnsafeRawBufferPointer($0)) }
        if copied == nil {
            for byte in bytes { append(byte) }
        }
    }

    /// Lets `body` write into the spare room, made at least `minimum` bytes first; `body` returns
    /// its result and how many bytes it wrote at the start of the room, which are then counted.
    ///
    /// ```swift
    /// let result = output.write(intoSpareRoomOfAtLeast: 64) { room in
    ///     room[0] = 0x41
    ///     return ((), 1)
    /// }
    /// ```
    package mutating func write<Result>(
        intoSpareRoomOfAtLeast minimum: Int,
        _ body: (UnsafeMutableBufferPointer<UInt8>) throws -> (result: Result, written: Int)
    ) rethrows -> Result {
        if capacity &- count < minimum { grow(toHold: count + minimum) }
        let room = UnsafeMutableBufferPointer(start: base.map { $0 + count }, count: capacity &- count)
        let (result, written) = try body(room)
        precondition(written >= 0 && written <= room.count, "wrote past the spare room")
        count &+= written
        return result
    }

    /// Forgets the bytes written; storage larger than `limit` bytes is given back.
    package mutating func removeAll(keepingAtMost limit: Int) {
        count = 0
        guard capacity > limit else { return }
        base?.deallocate()
        base = nil
        capacity = 0
    }

    /// Moves the bytes to storage of at least `needed` bytes (twice the capacity, or more).
    @inline(never) private mutating func grow(toHold needed: Int) {
        let grown = Swift.max(needed, capacity * 2, Self.minimumCapacity)
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        if let base {
            larger.update(from: base, count: count)
            base.deallocate()
        }
        base = larger
        capacity = grown
    }

    /// The first allocation: room for a usual response head and a small body.
    static let minimumCapacity = 1024
}
