/// Where `JSONWriter.appendQuoted` writes: an array of bytes, or a JSON writer's own storage.
///
/// ```swift
/// var bytes: [UInt8] = []
/// JSONWriter.appendQuoted("a\"b", to: &bytes) // "a\"b", quoted and escaped
/// ```
@usableFromInline package protocol JSONByteSink {
    /// Appends one byte.
    mutating func append(_ byte: UInt8)
    /// Appends `bytes`.
    mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>)
    /// Appends the first `count` bytes (at most 16) of the little-endian words `low` and `high`.
    mutating func append(low: UInt64, high: UInt64, count: Int)
}

extension JSONByteSink {
    /// Appends the first `count` bytes (at most 16) of the little-endian words `low` and `high`.
    @inlinable package mutating func append(low: UInt64, high: UInt64, count: Int) {
        for index in 0..<count {
            append(UInt8(truncatingIfNeeded: (index < 8 ? low : high) &>> UInt64(8 &* (index & 7))))
        }
    }
}

extension Array: JSONByteSink where Element == UInt8 {}

/// The bytes a JSON writer has written for the value it is encoding, in storage the writer owns
/// and reuses for its next values (grown when a value needs more). A write is a bounds check and a
/// store; an array's append first asks the runtime whether its storage is uniquely held.
///
/// Its owner frees it (`deallocate()`): it is a field of `JSONWriter.State`, which lives only in a
/// `JSONWriter.Output`, whose `deinit` does.
struct JSONByteStorage: JSONByteSink {
    /// `capacity` bytes, of which the first `count` are written.
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    private(set) var count = 0

    /// The storage a writer starts with: room for a typical response body.
    static let initialCapacity = 256

    init() {
        capacity = Self.initialCapacity
        base = .allocate(capacity: capacity)
    }

    /// The bytes written so far (valid until the next write).
    var written: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// Forgets the bytes written; storage grown past `limit` bytes by a large value is given back,
    /// so that one large body does not stay with its thread.
    mutating func removeAll(keepingAtMost limit: Int) {
        count = 0
        guard capacity > limit else { return }
        base.deallocate()
        capacity = Self.initialCapacity
        base = .allocate(capacity: capacity)
    }

    /// Frees the storage; the owner does not use it again.
    func deallocate() { base.deallocate() }

    @inline(__always) mutating func append(_ byte: UInt8) {
        if count == capacity { grow(toHold: count + 1) }
        base[count] = byte
        count &+= 1
    }

    @inline(__always) mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        if capacity - count < bytes.count { grow(toHold: count + bytes.count) }
        (base + count).update(from: source, count: bytes.count)
        count &+= bytes.count
    }

    /// Appends the first `count` bytes (at most 16) of the little-endian words `low` and `high`:
    /// both words stored whole (the storage keeps 16 bytes of room), the count moved by `count`.
    @inline(__always) mutating func append(low: UInt64, high: UInt64, count: Int) {
        if capacity - self.count < 16 { grow(toHold: self.count + 16) }
        let raw = UnsafeMutableRawPointer(base + self.count)
        raw.storeBytes(of: low.littleEndian, toByteOffset: 0, as: UInt64.self)
        raw.storeBytes(of: high.littleEndian, toByteOffset: 8, as: UInt64.self)
        self.count &+= count
    }

    /// Moves the bytes to storage of at least `needed` bytes (twice the capacity, or more).
    @inline(never) private mutating func grow(toHold needed: Int) {
        let grown = Swift.max(needed, capacity * 2)
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        larger.update(from: base, count: count)
        base.deallocate()
        base = larger
        capacity = grown
    }
}
