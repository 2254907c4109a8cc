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

    typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

    /// Calls `body` with each pair of the query in `target`'s bytes (what follows the first `?`).
    private static func forEachPair(in target: UnsafeBufferPointer<UInt8>, _ body: (Bytes, Bytes) -> Void) {
        guard let question = target.firstIndex(of: UInt8(ascii: "?")) else { return }
        QueryParameters.forEachPair(in: target[(question + 1)...], body)
    }

    func last(_ name: String) -> String? {
        target.withContiguousUTF8 { target in
            var found: Bytes?
            Self.forEachPair(in: target) { rawName, value in if QueryParameters.matches(rawName, name) { found = value } }
            return found.map(QueryParameters.decoded)
        }
    }

    func all(_ name: String) -> [String] {
        target.withContiguousUTF8 { target in
            var values: [String] = []
            Self.forEachPair(in: target) { rawName, value in
                if QueryParameters.matches(rawName, name) { values.append(QueryParameters.decoded(value)) }
            }
            return values
        }
    }
}
