/// The decoded `name=value` pairs of a query string, in order, duplicates kept.
///
/// `+` decodes to a space and `%XX` escapes are decoded; a pair whose escapes are malformed is
/// kept with its raw text.
///
/// ```swift
/// // GET /search?tag=a&tag=b&q=hello+world
/// request.query["q"]        // "hello world"
/// request.query.all("tag")  // ["a", "b"]
/// ```
public struct QueryParameters: Sendable, Equatable, Collection {
    /// One decoded query pair.
    public struct Item: Sendable, Equatable {
        /// The decoded name.
        public let name: String
        /// The decoded value (empty for `?flag`).
        public let value: String
    }

    /// The position of a pair: the byte offsets of its text in the raw query.
    ///
    /// ```swift
    /// let query = QueryParameters(parsing: "a=1&b=2")
    /// query[query.startIndex].name // "a"
    /// ```
    public struct Index: Comparable, Sendable {
        @usableFromInline let start: Int
        @usableFromInline let end: Int

        /// Pairs are ordered as they are written.
        public static func < (lhs: Index, rhs: Index) -> Bool { lhs.start < rhs.start }
    }

    /// The text the raw query lies in (a request's target, or the query itself) and its UTF-8
    /// offsets there (empty when there is none): pairs are found and decoded when asked for, so
    /// looking one value up (`query["q"]`) parses nothing else and allocates only the value.
    @usableFromInline let text: String
    @usableFromInline let bounds: Range<Int>

    /// Wraps a raw query string (the part after `?`, without it); nothing is parsed until asked for.
    ///
    /// ```swift
    /// let query = QueryParameters(parsing: "a=1&b=2")
    /// ```
    public init(parsing rawQuery: Substring?) {
        guard let rawQuery else {
            self.init(text: "", bounds: 0..<0)
            return
        }
        self.init(text: rawQuery.base, bounds: rawQuery.utf8OffsetsInBase)
    }

    /// The query that occupies the UTF-8 offsets `bounds` of `text` (a request's target), where
    /// it lies.
    @usableFromInline init(text: String, bounds: Range<Int>) {
        self.text = text
        self.bounds = bounds
    }

    /// Calls `body` with the raw query's bytes where they lie.
    @inline(__always) private func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        text.withContiguousUTF8 { body(UnsafeBufferPointer(rebasing: $0[bounds])) }
    }

    /// The position of the first pair.
    public var startIndex: Index { pair(from: 0) }
    /// The position after the last pair.
    public var endIndex: Index { Index(start: bounds.count, end: bounds.count) }
    /// The position of the pair after `position`.
    public func index(after position: Index) -> Index { pair(from: position.end + 1) }

    /// The pair at `position`, decoded.
    public subscript(position: Index) -> Item {
        withBytes { bytes in
            let text = bytes[position.start..<position.end]
            if let equals = text.firstIndex(of: UInt8(ascii: "=")) {
                return Item(name: Self.decoded(text[..<equals]), value: Self.decoded(text[(equals + 1)...]))
            }
            return Item(name: Self.decoded(text), value: "")
        }
    }

    /// The first non-empty pair at or after byte `offset`, or `endIndex`.
    private func pair(from offset: Int) -> Index {
        withBytes { bytes in
            var start = offset
            while start < bytes.count {
                let end = bytes[start...].firstIndex(of: UInt8(ascii: "&")) ?? bytes.count
                if end > start { return Index(start: start, end: end) }
                start = end + 1
            }
            return Index(start: bytes.count, end: bytes.count)
        }
    }

    /// Two queries are equal when they hold the same decoded pairs in the same order.
    public static func == (lhs: QueryParameters, rhs: QueryParameters) -> Bool {
        lhs.withBytes { left in rhs.withBytes { HTTPSyntax.bytesEqual(left, $0) } } || lhs.elementsEqual(rhs)
    }

    /// Calls `body` with each `name=value` pair of `query`'s bytes, raw and in order, skipping empty
    /// pairs (a pair without `=` has an empty value). A byte scan: `&` and `=` are ASCII, so each
    /// piece is whole UTF-8, and a combining mark after `&` does not hide it, as it would from a scan
    /// by `Character`. Indices come from `firstIndex(of:)` within the bytes only.
    package static func forEachPair(
        in query: Slice<UnsafeBufferPointer<UInt8>>,
        _ body: (Slice<UnsafeBufferPointer<UInt8>>, Slice<UnsafeBufferPointer<UInt8>>) -> Void
    ) {
        var rest = query
        while !rest.isEmpty {
            let end = rest.firstIndex(of: UInt8(ascii: "&")) ?? rest.endIndex
            let pair = rest[..<end]
            rest = end == rest.endIndex ? rest[end...] : rest[(end + 1)...]
            guard !pair.isEmpty else { continue }
            if let equals = pair.firstIndex(of: UInt8(ascii: "=")) {
                body(pair[..<equals], pair[(equals + 1)...])
            } else {
                body(pair, pair[pair.endIndex...])
            }
        }
    }

    /// Whether a raw name or value holds an escape or a `+` (so needs decoding).
    package static func needsDecoding(_ raw: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        raw.contains { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }
    }

    /// A raw name or value decoded (`%XX`, `+` as space); kept as written when an escape is malformed.
    package static func decoded(_ raw: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        needsDecoding(raw)
            ? PercentDecoding.decode(utf8: raw, plusIsSpace: true) ?? String(utf8: UnsafeBufferPointer(rebasing: raw))
            : String(utf8: UnsafeBufferPointer(rebasing: raw))
    }

    /// Whether a raw (undecoded) name is `name`: bytes compared when it needs no decoding (the
    /// usual case, no allocation), else compared decoded, as `String`s compare (canonical
    /// equivalence: only non-ASCII text can be equal without being byte-equal).
    package static func matches(_ raw: Slice<UnsafeBufferPointer<UInt8>>, _ name: String) -> Bool {
        if !needsDecoding(raw) {
            if raw.count == name.utf8.count,
                name.utf8.withContiguousStorageIfAvailable({ raw.elementsEqual($0) }) ?? raw.elementsEqual(name.utf8) {
                return true
            }
            guard raw.contains(where: { $0 >= 0x80 }) || !name.utf8.allSatisfy({ $0 < 0x80 }) else { return false }
        }
        return decoded(raw) == name
    }

    /// The value of the first pair named `name`: one scan of the raw query, no pair decoded but
    /// the one returned.
    ///
    /// ```swift
    /// request.query["q"] // "x" for ?q=x, nil without q
    /// ```
    public subscript(name: String) -> String? {
        withBytes { bytes in
            var found: Slice<UnsafeBufferPointer<UInt8>>?
            Self.forEachPair(in: bytes[...]) { rawName, value in
                if found == nil, Self.matches(rawName, name) { found = value }
            }
            return found.map(Self.decoded)
        }
    }

    /// The value of the last pair named `name` (what a declared query parameter reads, as
    /// FastAPI does), decoded; the others are not.
    package func last(_ name: String) -> String? {
        withBytes { bytes in
            var found: Slice<UnsafeBufferPointer<UInt8>>?
            Self.forEachPair(in: bytes[...]) { rawName, value in
                if Self.matches(rawName, name) { found = value }
            }
            return found.map(Self.decoded)
        }
    }

    /// Every value of the pairs named `name`, in order.
    ///
    /// ```swift
    /// request.query.all("tag") // ["a", "b"] for ?tag=a&tag=b
    /// ```
    public func all(_ name: String) -> [String] {
        withBytes { bytes in
            var values: [String] = []
            Self.forEachPair(in: bytes[...]) { rawName, value in
                if Self.matches(rawName, name) { values.append(Self.decoded(value)) }
            }
            return values
        }
    }
}
