/// A request target's query looked up without parsing it into pairs first: a scan over the
/// target's UTF-8 bytes where they lie (names compare byte for byte when they need no
/// percent-decoding, the usual case; no allocation but the value returned).
/// Holds the target itself (two words; a `Substring` would be four and make the decoder that
/// holds it too large to stay unboxed); the query is what follows its first `?`.
struct RawQuery {
    private let target: String

    init(target: String) { self.target = target }

    var text: Substring {
        guard let question = target.firstIndex(ofASCII: UInt8(ascii: "?")) else { return "" }
        return target[target.utf8.index(after: question)...]
    }

    /// The query where it lies in `target` (what follows the first `?`), read by the same code as
    /// `request.query`.
    private var query: QueryParameters {
        let bounds = target.withContiguousUTF8 { bytes -> Range<Int> in
            guard let question = bytes.firstIndex(of: UInt8(ascii: "?")) else { return bytes.count..<bytes.count }
            return (question + 1)..<bytes.count
        }
        return QueryParameters(text: target, bounds: bounds)
    }

    func last(_ name: String) -> String? { query.last(name) }

    func all(_ name: String) -> [String] { query.all(name) }
}
