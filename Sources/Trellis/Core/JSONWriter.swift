#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A streaming JSON encoder: writes UTF-8 bytes directly as `encode(to:)` runs, keys in the order the
/// type encodes them (declaration order for synthesised conformances, as FastAPI does), no
/// intermediate tree. Types it does not model the way `JSONEncoder` does (`Data`, `URL`, `Decimal`,
/// `superEncoder`) make it throw `JSONWriter.Unsupported`, and the caller falls back to `JSONEncoder`.
///
/// ```swift
/// let bytes = try JSONWriter.encode(Item(itemID: 42, q: "x")) // {"item_id":42,"q":"x"}
/// ```
package enum JSONWriter {
    /// The value needs `JSONEncoder`'s special handling.
    package struct Unsupported: Error {}

    /// Encodes `value` as compact JSON.
    /// The output object is the thread's spare one when it has one (`ThreadSpares`), and goes back
    /// there afterwards; its bytes are written into the thread's spare byte buffer, which a server
    /// fills again with the body's storage once the response is written.
    package static func encode<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        var output = ThreadSpares.takeJSONOutput() ?? Output()
        defer { ThreadSpares.keep(&output) }
        output.state.reset()
        try output.encodeValue(value)
        output.closeContainers(downTo: 0)
        return output.takeBytes()
    }

    /// Appends `string` as a JSON string: quoted, with `"`, `\\` and control bytes escaped (and
    /// DEL too with `escapingDelete`, for text a terminal will show). Plain runs are copied at once,
    /// found eight bytes a step (`escapedBytes(in:escapingDelete:)`); only a word with a byte to
    /// escape is looked at byte by byte.
    @usableFromInline package static func appendQuoted<Bytes: JSONByteSink>(_ string: String, to bytes: inout Bytes, escapingDelete: Bool = false) {
        bytes.append(UInt8(ascii: "\""))
        // A short ASCII string (every key of most types, many values) is checked and copied from
        // the string's own two words: no call to reach its bytes, no reference counted.
        if let small = SmallASCIIString.words(of: string) {
            let (low, high) = SmallASCIIString.paddedWithSpaces(small)
            if escapedBytes(in: low, escapingDelete: escapingDelete) | escapedBytes(in: high, escapingDelete: escapingDelete) == 0 {
                bytes.append(low: small.low, high: small.high, count: small.count)
                bytes.append(UInt8(ascii: "\""))
                return
            }
        }
        var string = string
        string.withUTF8 { utf8 in
            guard let base = utf8.baseAddress else { return }
            // Most strings (every key, most values) have nothing to escape: found in a word or
            // two and copied whole (a byte loop cost about 150 instructions a short string).
            guard hasEscapedByte(utf8, escapingDelete: escapingDelete) else {
                bytes.append(contentsOf: utf8)
                return
            }
            let raw = UnsafeRawPointer(base)
            var runStart = 0
            var index = 0
            while index < utf8.count {
                // A whole word without a byte to escape is skipped at once.
                if utf8.count &- index >= 8 {
                    let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                    if escapedBytes(in: word, escapingDelete: escapingDelete) == 0 {
                        index &+= 8
                        continue
                    }
                }
                // Else the next byte (of a flagged word, or of the last seven).
                let byte = utf8[index]
                index &+= 1
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || (escapingDelete && byte == 0x7F)
                else { continue }
                if runStart < index &- 1 { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<(index &- 1)])) }
                runStart = index
                appendEscape(of: byte, to: &bytes)
            }
            if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Whether some byte of `utf8` needs an escape: eight bytes a step, the last word overlapping
    /// the one before it; under eight bytes, one word of them padded with spaces.
    @inline(__always) static func hasEscapedByte(_ utf8: UnsafeBufferPointer<UInt8>, escapingDelete: Bool) -> Bool {
        guard let base = utf8.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        let count = utf8.count
        guard count >= 8 else {
            var word: UInt64 = 0
            for index in 0..<count { word |= UInt64(base[index]) &<< UInt64(8 &* index) }
            word |= 0x2020_2020_2020_2020 &<< UInt64(8 &* count)
            return escapedBytes(in: word, escapingDelete: escapingDelete) != 0
        }
        var offset = 0
        while count &- offset > 8 {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            if escapedBytes(in: word, escapingDelete: escapingDelete) != 0 { return true }
            offset &+= 8
        }
        let last = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self))
        return escapedBytes(in: last, escapingDelete: escapingDelete) != 0
    }

    /// The bytes of the little-endian `word` a JSON string escapes (control bytes, `"`, `\\`, and
    /// DEL with `escapingDelete`), as the high bit of each: not zero exactly when the word holds
    /// one (`HTTPSyntax.bytes(below:in:)` says why).
    @inline(__always) static func escapedBytes(in word: UInt64, escapingDelete: Bool) -> UInt64 {
        let flags = HTTPSyntax.bytes(below: 0x20, in: word) | HTTPSyntax.bytes(equalTo: UInt8(ascii: "\""), in: word)
            | HTTPSyntax.bytes(equalTo: UInt8(ascii: "\\"), in: word)
        return escapingDelete ? flags | HTTPSyntax.bytes(equalTo: 0x7F, in: word) : flags
    }

    /// Appends the escape of `byte`: `\"`, `\\`, `\n` and the like, or `\u00XX`.
    private static func appendEscape<Bytes: JSONByteSink>(of byte: UInt8, to bytes: inout Bytes) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        default:
            bytes.append(UInt8(ascii: "u"))
            bytes.append(UInt8(ascii: "0"))
            bytes.append(UInt8(ascii: "0"))
            bytes.append(HexDigit.lowercase(byte >> 4))
            bytes.append(HexDigit.lowercase(byte))
        }
    }

    /// The output shared by the encoders of one value. Its state is one struct, so each write is
    /// one access to the class's storage (not one per byte).
    final class Output {
        /// Not checked for exclusivity at run time: every access is one call of a `State` method
        /// from a method below, and no `State` method reaches back into the output, so no two
        /// accesses can overlap; one output serves one `encode` on one thread at a time. The
        /// dynamic checks cost about 700 instructions per encoded object (three per container).
        @exclusivity(unchecked) var state = State()

        deinit { state.bytes.deallocate() }

        /// The bytes written, as an array made in the thread's spare byte buffer (the storage of the
        /// last JSON body written on this thread, `ResponseBody.recycleStorage()`, so a response
        /// allocates none); the output's own storage is kept for its next value.
        func takeBytes() -> [UInt8] {
            var bytes = ThreadSpares.takeBytes(for: .body)
            bytes.append(contentsOf: state.bytes.written)
            state.bytes.removeAll(keepingAtMost: ThreadSpares.maximumKeptBytes)
            return bytes
        }
        var depth: Int { state.depth }

        func closeContainers(downTo target: Int) { state.closeContainers(downTo: target) }
        func beginElement(atDepth level: Int) { state.beginElement(atDepth: level) }
        func open(object: Bool) { state.open(object: object) }
        func append(_ literal: StaticString) { state.append(literal) }
        func writeString(_ string: String) { state.writeString(string) }
        func writeKey(_ key: String, atDepth level: Int) { state.writeKey(key, atDepth: level) }
        func writeInteger<T: BinaryInteger>(_ value: T) { state.writeInteger(value) }
        func writeFloat<T: BinaryFloatingPoint & LosslessStringConvertible>(_ value: T) throws { try state.writeFloat(value) }

        /// The keyed containers handed out so far, by key type and depth: each is kept for the next
        /// one asked for, on this output's next values too (the output is the thread's spare). A
        /// `KeyedEncodingContainer` is a box around the concrete container, and making one looks up
        /// the box's and the container's generic types and allocates the box: about 800
        /// instructions and one allocation per object encoded, where a kept one costs a short scan.
        /// Unchecked for exclusivity, as `state` is: only `keyedContainer` reaches it.
        @exclusivity(unchecked) private var keptKeyedContainers: [KeptKeyedContainer] = []

        /// A keyed container and what it was made for.
        private struct KeptKeyedContainer {
            let keyType: ObjectIdentifier
            let depth: Int
            /// A `KeptContainer<KeyedEncodingContainer<Key>>`.
            let kept: KeptContainerBase
        }

        /// The most containers kept (a type encoded for the first time beyond them gets a new one
        /// each time, as before).
        private static let maximumKeptContainers = 32

        /// A keyed container for `Key` writing the object at `depth`: the one made before for the
        /// same key type and depth when there is one (its contents are the same: this output and
        /// the depth), or a new one, kept.
        func keyedContainer<Key: CodingKey>(_ keyType: Key.Type, depth: Int) -> KeyedEncodingContainer<Key> {
            let type = ObjectIdentifier(keyType)
            var index = 0
            while index < keptKeyedContainers.count {
                if keptKeyedContainers[index].keyType == type && keptKeyedContainers[index].depth == depth {
                    // Copied out by the kept object's own method, which finds the container's type
                    // in the object's class (no lookup of `KeyedEncodingContainer<Key>`'s type here).
                    return unsafeDowncast(keptKeyedContainers[index].kept, to: KeptContainer<KeyedEncodingContainer<Key>>.self).copy()
                }
                index += 1
            }
            return newKeyedContainer(keyType, depth: depth)
        }

        /// A new keyed container, kept while fewer than `maximumKeptContainers` are. Not inlined:
        /// the type lookup it needs would otherwise be made on `keyedContainer`'s every call.
        @inline(never) private func newKeyedContainer<Key: CodingKey>(_ keyType: Key.Type, depth: Int) -> KeyedEncodingContainer<Key> {
            let container = KeyedEncodingContainer(KeyedContainer<Key>(output: self, depth: depth))
            if keptKeyedContainers.count < Self.maximumKeptContainers {
                keptKeyedContainers.append(
                    KeptKeyedContainer(keyType: ObjectIdentifier(keyType), depth: depth, kept: KeptContainer(container))
                )
            }
            return container
        }

        func encodeValue<Value: Encodable>(_ value: Value) throws {
            if Value.self == Data.self || Value.self == URL.self || Value.self == Decimal.self {
                throw Unsupported()
            }
            let level = state.depth
            guard level < 63 else { throw Unsupported() }
            try value.encode(to: ValueEncoder(output: self, depth: level))
            state.closeContainers(downTo: level)
        }
    }

    /// The bytes written so far and the stack of open containers.
    struct State {
        /// Owned by the `Output` this state is in, which frees it; room for a typical response
        /// body to start with.
        var bytes = ByteStorage(initialCapacity: 256)
        /// The open containers as bits (bit `n` is depth `n`): whether each is an object, and whether it
        /// has an element yet. Deeper than 64 levels the value goes to `JSONEncoder` instead.
        var depth = 0
        var isObject: UInt64 = 0
        var hasElement: UInt64 = 0

        /// Starts a new value: no bytes, no open container (what a value that failed left is
        /// forgotten).
        mutating func reset() {
            bytes.removeAll(keepingAtMost: ThreadSpares.maximumKeptBytes)
            depth = 0
            isObject = 0
            hasElement = 0
        }

        mutating func closeContainers(downTo target: Int) {
            while depth > target {
                depth -= 1
                bytes.append(isObject & (1 << UInt64(depth)) != 0 ? UInt8(ascii: "}") : UInt8(ascii: "]"))
            }
        }

        /// Starts the next element of the container at `level - 1`: closes deeper containers, writes a comma.
        mutating func beginElement(atDepth level: Int) {
            closeContainers(downTo: level)
            let bit: UInt64 = 1 << UInt64(level - 1)
            if hasElement & bit != 0 { bytes.append(UInt8(ascii: ",")) } else { hasElement |= bit }
        }

        mutating func open(object: Bool) {
            bytes.append(object ? UInt8(ascii: "{") : UInt8(ascii: "["))
            let bit: UInt64 = 1 << UInt64(min(depth, 63))
            if object { isObject |= bit } else { isObject &= ~bit }
            hasElement &= ~bit
            depth += 1
        }

        mutating func append(_ literal: StaticString) {
            literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
        }

        /// A key of the object at `level - 1`, its colon included.
        mutating func writeKey(_ key: String, atDepth level: Int) {
            beginElement(atDepth: level)
            writeString(key)
            bytes.append(UInt8(ascii: ":"))
        }

        mutating func writeString(_ string: String) { JSONWriter.appendQuoted(string, to: &bytes) }

        mutating func writeInteger<T: BinaryInteger>(_ value: T) {
            guard let small = Int64(exactly: value) else {
                String(value).withContiguousUTF8 { bytes.append(contentsOf: $0) }
                return
            }
            // Digits written straight into the output (`String(value)` makes a string first).
            DecimalDigits.with(small) { bytes.append(contentsOf: $0) }
        }

        mutating func writeFloat<T: BinaryFloatingPoint & LosslessStringConvertible>(_ value: T) throws {
            guard value.isFinite else {
                throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "Non-finite number"))
            }
            var text = value.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            text.withContiguousUTF8 { bytes.append(contentsOf: $0) }
        }
    }

    /// What `Output` keeps a keyed container in (`KeptContainer`), by any container type.
    class KeptContainerBase {}

    /// A kept container. Each `KeyedEncodingContainer<Key>` is a generic type the runtime looks up
    /// by `Key` (about 330 instructions) wherever code that is generic over `Key` copies one; this
    /// object's class holds the type, so `copy()` copies the container without that lookup.
    final class KeptContainer<Container>: KeptContainerBase {
        let container: Container
        init(_ container: Container) { self.container = container }
        /// Not inlined: inlined into a caller generic over `Key`, it would look the type up again.
        @inline(never) func copy() -> Container { container }
    }

    struct ValueEncoder: Encoder {
        let output: Output
        let depth: Int
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if output.depth == depth { output.open(object: true) }
            return output.keyedContainer(Key.self, depth: depth + 1)
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if output.depth == depth { output.open(object: false) }
            return UnkeyedContainer(output: output, depth: depth + 1)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { SingleValueContainer(output: output, depth: depth) }
    }

    struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        /// Not owned: the output keeps this container (`Output.keyedContainer`), which would
        /// otherwise keep the output alive and never let it go back to `ThreadSpares` as uniquely
        /// held. A container kept beyond its `encode(to:)` is a misuse, as with any encoder: it
        /// writes into the next value this output encodes, or traps once the output is freed.
        unowned let output: Output
        let depth: Int
        var codingPath: [any CodingKey] { [] }

        /// Writes `key` and returns the output for the value: read once per value, since each read
        /// of an `unowned` reference makes a strong one (about 35 instructions with its release).
        private func key(_ key: Key) -> Output {
            let output = self.output
            output.writeKey(key.stringValue, atDepth: depth)
            return output
        }

        mutating func encodeNil(forKey key: Key) throws {
            self.key(key).append("null")
        }
        mutating func encode(_ value: Bool, forKey key: Key) throws {
            self.key(key).append(value ? "true" : "false")
        }
        mutating func encode(_ value: String, forKey key: Key) throws {
            self.key(key).writeString(value)
        }
        mutating func encode(_ value: Int, forKey key: Key) throws {
            self.key(key).writeInteger(value)
        }
        mutating func encode(_ value: Double, forKey key: Key) throws {
            try self.key(key).writeFloat(value)
        }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try self.key(key).encodeValue(value)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
            -> KeyedEncodingContainer<NestedKey>
        {
            let output = self.key(key)
            output.open(object: true)
            return output.keyedContainer(NestedKey.self, depth: depth + 1)
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let output = self.key(key)
            output.open(object: false)
            return UnkeyedContainer(output: output, depth: depth + 1)
        }
        mutating func superEncoder() -> any Encoder { UnsupportedEncoder() }
        mutating func superEncoder(forKey key: Key) -> any Encoder { UnsupportedEncoder() }
    }

    struct UnkeyedContainer: UnkeyedEncodingContainer {
        let output: Output
        let depth: Int
        var codingPath: [any CodingKey] { [] }
        var count: Int { 0 }

        mutating func encodeNil() throws {
            output.beginElement(atDepth: depth)
            output.append("null")
        }
        mutating func encode(_ value: String) throws {
            output.beginElement(atDepth: depth)
            output.writeString(value)
        }
        mutating func encode(_ value: Int) throws {
            output.beginElement(atDepth: depth)
            output.writeInteger(value)
        }
        mutating func encode<T: Encodable>(_ value: T) throws {
            output.beginElement(atDepth: depth)
            try output.encodeValue(value)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            output.beginElement(atDepth: depth)
            output.open(object: true)
            return output.keyedContainer(NestedKey.self, depth: depth + 1)
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            output.beginElement(atDepth: depth)
            output.open(object: false)
            return UnkeyedContainer(output: output, depth: depth + 1)
        }
        mutating func superEncoder() -> any Encoder { UnsupportedEncoder() }
    }

    struct SingleValueContainer: SingleValueEncodingContainer {
        let output: Output
        let depth: Int
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil() throws { output.append("null") }
        mutating func encode(_ value: Bool) throws { output.append(value ? "true" : "false") }
        mutating func encode(_ value: String) throws { output.writeString(value) }
        mutating func encode(_ value: Double) throws { try output.writeFloat(value) }
        mutating func encode(_ value: Float) throws { try output.writeFloat(value) }
        mutating func encode(_ value: Int) throws { output.writeInteger(value) }
        mutating func encode(_ value: Int8) throws { output.writeInteger(value) }
        mutating func encode(_ value: Int16) throws { output.writeInteger(value) }
        mutating func encode(_ value: Int32) throws { output.writeInteger(value) }
        mutating func encode(_ value: Int64) throws { output.writeInteger(value) }
        mutating func encode(_ value: UInt) throws { output.writeInteger(value) }
        mutating func encode(_ value: UInt8) throws { output.writeInteger(value) }
        mutating func encode(_ value: UInt16) throws { output.writeInteger(value) }
        mutating func encode(_ value: UInt32) throws { output.writeInteger(value) }
        mutating func encode(_ value: UInt64) throws { output.writeInteger(value) }
        mutating func encode<T: Encodable>(_ value: T) throws { try output.encodeValue(value) }
    }

    /// Handed out for `superEncoder()`: throws on use, so the caller falls back to `JSONEncoder`.
    struct UnsupportedEncoder: Encoder {
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }
        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            KeyedEncodingContainer(ThrowingKeyedContainer<Key>())
        }
        func unkeyedContainer() -> any UnkeyedEncodingContainer { ThrowingUnkeyedContainer() }
        func singleValueContainer() -> any SingleValueEncodingContainer { ThrowingSingleValueContainer() }
    }

    struct ThrowingKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        var codingPath: [any CodingKey] { [] }
        mutating func encodeNil(forKey key: Key) throws { throw Unsupported() }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { throw Unsupported() }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
            -> KeyedEncodingContainer<NestedKey>
        { KeyedEncodingContainer(ThrowingKeyedContainer<NestedKey>()) }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { ThrowingUnkeyedContainer() }
        mutating func superEncoder() -> any Encoder { UnsupportedEncoder() }
        mutating func superEncoder(forKey key: Key) -> any Encoder { UnsupportedEncoder() }
    }

    struct ThrowingUnkeyedContainer: UnkeyedEncodingContainer {
        var codingPath: [any CodingKey] { [] }
        var count: Int { 0 }
        mutating func encodeNil() throws { throw Unsupported() }
        mutating func encode<T: Encodable>(_ value: T) throws { throw Unsupported() }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(ThrowingKeyedContainer<NestedKey>())
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { ThrowingUnkeyedContainer() }
        mutating func superEncoder() -> any Encoder { UnsupportedEncoder() }
    }

    struct ThrowingSingleValueContainer: SingleValueEncodingContainer {
        var codingPath: [any CodingKey] { [] }
        mutating func encodeNil() throws { throw Unsupported() }
        mutating func encode<T: Encodable>(_ value: T) throws { throw Unsupported() }
    }
}
