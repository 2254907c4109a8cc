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
        // A byte scan: `&` and `=` are ASCII, so each piece is whole UTF-8 (and a combining mark
        // after `&` does not hide it, as it would from a scan by `Character`).
        var rest = rawQuery[...]
        while !rest.isEmpty {
            let end = rest.utf8.firstIndex(of: UInt8(ascii: "&")) ?? rest.endIndex
            let pair = rest[rest.startIndex..<end]
            rest = end == rest.endIndex ? rest[end...] : rest[rest.utf8.index(after: end)...]
            if pair.isEmpty { continue }
            let name: Substring
            let value: Substring
            if let equals = pair.utf8.firstIndex(of: UInt8(ascii: "=")) {
                name = pair[..<equals]
                value = pair[pair.utf8.index(after: equals)...]
            } else {
                name = pair
                value = ""
            }
            items.append(
                Item(
                    name: PercentDecoding.decode(name, plusIsSpace: true) ?? String(name),
                    value: PercentDecoding.decode(value, plusIsSpace: true) ?? String(value)
                )
            )
        }
        self.items = items
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
