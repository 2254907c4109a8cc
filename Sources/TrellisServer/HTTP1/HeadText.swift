import Trellis

/// The text of a complete request head, in which the target and the field values lie. A head with
/// a long value (too long to be a small string) gets one string of the whole head, shared by that
/// value, every value after it and a long target: one allocation per head instead of one per long
/// value, and no string made for a short value after the first long one until a handler reads it.
/// A value before the first long one is a small string made as its line arrived, so a head whose
/// values are all short makes no text (no allocation). A head with a byte beyond ASCII (obs-text
/// in a value) gets a string per piece instead, made by `String(decoding:as:)` (which repairs what
/// is not UTF-8, and so would move the offsets).
struct HeadText {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var whole: Whole = .notMade

    private enum Whole {
        case notMade
        case ascii(String)
        case notASCII
    }

    /// The text of `bytes`, the head from its first byte to past its blank line.
    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Sets the value of the field at `index` of `headers` to the bytes `range` of the head: in the
    /// whole head's text when the head is ASCII (a parser leaves a value pending only in a head
    /// with a long value, for which that text is made anyway), else a string of its own.
    mutating func setValue(of headers: inout HTTPHeaders, at index: Int, to range: Range<Int>) {
        if let text = wholeText() {
            headers.setValue(at: index, in: text, utf8Range: range)
        } else {
            headers.setValue(at: index, String(utf8: UnsafeBufferPointer(rebasing: bytes[range])))
        }
    }

    /// The text the bytes `range` of the head lie in, and their UTF-8 offsets there: the whole
    /// head's text when the piece is long, else a string of the piece alone.
    mutating func piece(_ range: Range<Int>) -> (text: String, range: Range<Int>) {
        if let text = wholeText(for: range) { return (text, range) }
        // The root target, the commonest one, is a literal: no string is decoded for it.
        if range.count == 1, bytes[range.lowerBound] == UInt8(ascii: "/") { return ("/", 0..<1) }
        let text = String(utf8: UnsafeBufferPointer(rebasing: bytes[range]))
        return (text, 0..<text.utf8.count)
    }

    /// The whole head's text when a piece of `range` should lie in it: the piece is too long to
    /// be a small string (which lives in the value itself, and costs less to make than a slice),
    /// and the head is ASCII.
    private mutating func wholeText(for range: Range<Int>) -> String? {
        guard range.count > Self.smallStringCapacity else { return nil }
        return wholeText()
    }

    /// The whole head's text, made on first use; `nil` when the head is not ASCII.
    private mutating func wholeText() -> String? {
        if case .notMade = whole {
            let text = String(decoding: bytes, as: UTF8.self)
            // As many UTF-16 units as UTF-8 bytes only when every character is ASCII (the count
            // is read from the string's ASCII flag then, not counted).
            whole = text.utf16.count == text.utf8.count ? .ascii(text) : .notASCII
        }
        guard case .ascii(let text) = whole else { return nil }
        return text
    }

    /// The most UTF-8 bytes a string holds without storage of its own (on 64-bit platforms).
    static let smallStringCapacity = 15
}
