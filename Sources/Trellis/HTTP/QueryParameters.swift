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
public struct QueryParameters: Sendable, Equatable, RandomAccessCollection {
    /// One decoded query pair.
    public struct Item: Sendable, Equatable {
        /// The decoded name.
        public let name: String
        /// The decoded value (empty for `?flag`).
        public let value: String
    }

    @usableFromInline let items: [Item]

    /// Parses a raw query string (the part after `?`, without it).
    ///
    /// ```swift
    /// let query = QueryParameters(parsing: "a=1&b=2")
    /// ```
    public init(parsing rawQuery: Substring?) {
        guard let rawQuery, !rawQuery.isEmpty else {
            items = []
            return
        }
        var items: [Item] = []
        rawQuery.withContiguousUTF8 { bytes in
            Self.forEachPair(in: bytes[...]) { name, value in
                items.append(Item(name: Self.decoded(name), value: Self.decoded(value)))
            }
        }
        self.items = items
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
            ? PercentDecoding.decode(utf8: raw, plusIsSpace: true) ?? String(decoding: raw, as: UTF8.self)
            : String(decoding: raw, as: UTF8.self)
    }

    /// The index of the first pair.
    public var startIndex: Int { items.startIndex }
    /// One past the index of the last pair.
    public var endIndex: Int { items.endIndex }
    /// The pair at `position`.
    public subscript(position: Int) -> Item { items[position] }

    /// The value of the first pair named `name`.
    ///
    /// ```swift
    /// request.query["q"] // "x" for ?q=x, nil without q
    /// ```
    public subscript(name: String) -> String? { items.first { $0.name == name }?.value }

    /// Every value of the pairs named `name`, in order.
    ///
    /// ```swift
    /// request.query.all("tag") // ["a", "b"] for ?tag=a&tag=b
    /// ```
    public func all(_ name: String) -> [String] { items.compactMap { $0.name == name ? $0.value : nil } }
}
