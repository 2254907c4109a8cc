/// Bytes written one after another into storage its owner keeps and reuses (grown by doubling when
/// a write needs more): the JSON writer's output, and a connection's output buffer. A write is a
/// bounds check and a copy, where an array's append first asks the runtime whether its storage is
/// uniquely held; a response head is written straight into the spare room
/// (`write(intoSpareRoomOfAtLeast:_:)`).
///
/// Its owner frees it (`deallocate()`), once: a copy shares the storage, so only the one owner
/// (a `JSONWriter.Output`, a `SocketTransport`) keeps it and frees it in its `deinit`.
///
/// ```swift
/// var bytes = ByteStorage(initialCapacity: 256)
/// defer { bytes.deallocate() }
/// bytes.append(contentsOf: "HTTP/1.1 204 No Content\r\n\r\n".utf8)
/// bytes.written.count // 27
/// ```
@usableFromInline package struct ByteStorage {
    /// `capacity` bytes, of which the first `count` are written.
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    /// The bytes there is room for.
    @usableFromInline package private(set) var capacity: Int
    /// The bytes written.
    @usableFromInline package private(set) var count = 0
    /// The room it starts with, and goes back to when `removeAll(keepingAtMost:)` gives storage back.
    package let initialCapacity: Int

    /// Storage with room for `initialCapacity` bytes.
    package init(initialCapacity: Int) {
        self.initialCapacity = initialCapacity
        capacity = initialCapacity
        base = .allocate(capacity: initialCapacity)
    }

    /// The bytes written so far (valid until the next write).
    @inlinable package var written: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// Whether nothing is written.
    @inlinable package var isEmpty: Bool { count == 0 }

    /// Forgets the bytes written; storage grown past `limit` bytes by a large value is given back
    /// (to `initialCapacity`), so that one large write does not stay with its owner.
    package mutating func removeAll(keepingAtMost limit: Int) {
        count = 0
        guard capacity > limit else { return }
        base.deallocate()
        capacity = initialCapacity
        base = .allocate(capacity: capacity)
    }

    /// Frees the storage; the owner does not use it again.
    package func deallocate() { base.deallocate() }

    /// Appends one byte.
    @inlinable @inline(__always) package mutating func append(_ byte: UInt8) {
        if count == capacity { grow(toHold: count + 1) }
        base[count] = byte
        count &+= 1
    }

    /// Appends `bytes`.
    @inlinable @inline(__always) package mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        if capacity - count < bytes.count { grow(toHold: count + bytes.count) }
        (base + count).update(from: source, count: bytes.count)
        count &+= bytes.count
    }

    /// Appends `bytes` (copied whole when they lie in one piece, else one at a time).
    @inlinable package mutating func append(contentsOf bytes: some Sequence<UInt8>) {
        let copied: Void? = bytes.withContiguousStorageIfAvailable { append(contentsOf: $0) }
        if copied == nil {
            for byte in bytes { append(byte) }
        }
    }

    /// Appends the first `count` bytes (at most 16) of the little-endian words `low` and `high`:
    /// both words stored whole (16 bytes of room made first), the count moved by `count`.
    @inlinable @inline(__always) package mutating func append(low: UInt64, high: UInt64, count: Int) {
        if capacity - self.count < 16 { grow(toHold: self.count + 16) }
        let raw = UnsafeMutableRawPointer(base + self.count)
        raw.storeBytes(of: low.littleEndian, toByteOffset: 0, as: UInt64.self)
        raw.storeBytes(of: high.littleEndian, toByteOffset: 8, as: UInt64.self)
        self.count &+= count
    }

    /// Lets `body` write into the spare room, made at least `minimum` bytes first; `body` returns
    /// its result and how many bytes it wrote at the start of the room, which are then counted.
    ///
    /// ```swift
    /// let result = bytes.write(intoSpareRoomOfAtLeast: 64) { room in
    ///     room[0] = 0x41
    ///     return ((), 1)
    /// }
    /// ```
    @inlinable package mutating func write<Result>(
        intoSpareRoomOfAtLeast minimum: Int,
        _ body: (UnsafeMutableBufferPointer<UInt8>) throws -> (result: Result, written: Int)
    ) rethrows -> Result {
        if capacity - count < minimum { grow(toHold: count + minimum) }
        let room = UnsafeMutableBufferPointer(start: base + count, count: capacity &- count)
        let (result, written) = try body(room)
        precondition(written >= 0 && written <= room.count, "wrote past the spare room")
        count &+= written
        return result
    }

    /// Moves the bytes to storage of at least `needed` bytes (twice the capacity, or more).
    @usableFromInline @inline(never) mutating func grow(toHold needed: Int) {
        let grown = Swift.max(needed, capacity * 2)
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        larger.update(from: base, count: count)
        base.deallocate()
        base = larger
        capacity = grown
    }
}
