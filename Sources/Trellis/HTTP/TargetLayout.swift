/// Where a request-target, its path and its query lie in the text that holds the target, as UTF-8
/// offsets, found once when the request is made: a server's request keeps its target in the
/// request head's text, and the router and the query read their bytes there by offset, with no
/// `String.Index` made (each one made and checked cost about 60 instructions a request).
///
/// ```swift
/// let layout = "/items/42?q=x".withContiguousUTF8 { TargetLayout(of: $0, in: 0..<$0.count) }
/// // layout.path == 0..<9, layout.query == 10..<13
/// ```
@usableFromInline struct TargetLayout: Sendable {
    /// The whole target.
    @usableFromInline let start: Int
    @usableFromInline let end: Int
    /// The path: after an absolute-form target's scheme and authority, up to the first `?`.
    @usableFromInline let pathStart: Int
    @usableFromInline let pathEnd: Int
    /// Whether a `?` follows the path (the query is what follows it, possibly nothing).
    @usableFromInline let hasQuery: Bool
    /// Whether the target is `*` (asterisk-form: `OPTIONS *` asks about the server as a whole).
    @usableFromInline let isAsterisk: Bool

    /// The layout of the target that occupies `range` of `text` (UTF-8 bytes). `/`, `?` and `://`
    /// are ASCII, so every offset found is a character boundary of the text.
    @usableFromInline init(of text: UnsafeBufferPointer<UInt8>, in range: Range<Int>) {
        start = range.lowerBound
        end = range.upperBound
        isAsterisk = range.count == 1 && text[range.lowerBound] == UInt8(ascii: "*")
        var pathStart = range.lowerBound
        if let first = range.isEmpty ? nil : text[range.lowerBound], first != UInt8(ascii: "/"),
            let colon = Self.firstIndex(in: text, from: range.lowerBound, to: range.upperBound, where: { $0 == UInt8(ascii: ":") }),
            colon + 2 < range.upperBound, text[colon + 1] == UInt8(ascii: "/"), text[colon + 2] == UInt8(ascii: "/")
        {
            // absolute-form: scheme "://" authority path-abempty [ "?" query ]
            pathStart =
                Self.firstIndex(in: text, from: colon + 3, to: range.upperBound) { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") }
                ?? range.upperBound
        }
        self.pathStart = pathStart
        let question = Self.firstIndex(in: text, from: pathStart, to: range.upperBound) { $0 == UInt8(ascii: "?") }
        pathEnd = question ?? range.upperBound
        hasQuery = question != nil
    }

    /// The layout of the whole of `text`, a target on its own.
    @usableFromInline init(ofWhole text: String) {
        self = text.withContiguousUTF8 { TargetLayout(of: $0, in: 0..<$0.count) }
    }

    /// The whole target's offsets.
    @inlinable var target: Range<Int> { start..<end }
    /// The path's offsets.
    @inlinable var path: Range<Int> { pathStart..<pathEnd }
    /// The query's offsets (after the `?`), or `nil` when the target has no `?`.
    @inlinable var query: Range<Int>? { hasQuery ? (pathEnd + 1)..<end : nil }

    /// The first offset in `from..<to` of `text` whose byte passes `test`.
    @inline(__always)
    private static func firstIndex(in text: UnsafeBufferPointer<UInt8>, from: Int, to: Int, where test: (UInt8) -> Bool) -> Int? {
        var index = from
        while index < to {
            if test(text[index]) { return index }
            index &+= 1
        }
        return nil
    }

    /// The text of the UTF-8 offsets `range` of `text`, which start and end on character
    /// boundaries: a slice of `text` (no copy).
    @usableFromInline static func slice(of text: String, _ range: Range<Int>) -> Substring {
        let utf8 = text.utf8
        if range.lowerBound == 0 && range.upperBound == utf8.count { return Substring(wholeString: text) }
        let lower = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
        return text[lower..<utf8.index(lower, offsetBy: range.count)]
    }
}
