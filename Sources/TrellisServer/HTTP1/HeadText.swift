import Trellis

/// The text of a complete request head, in which the target and the field values lie. A head with
/// a long target or value (too long to be a small string) gets one string of the whole head,
/// which its headers hold once, in their first field (`HTTPHeaders.adoptHeadText(_:firstValue:)`):
/// that piece, every value after it, the first value and a long target lie in it. One allocation
/// per head instead of one per long piece, no reference counted per value, and no string made
/// for a value until a handler reads it. A value between the first and the first long piece is a
/// small string made as its line arrived, so a head whose target and values are all short makes
/// no text (no allocation). A head with a byte beyond ASCII (obs-text in a value) gets a string
/// per piece instead, made by `String(decoding:as:)` (which repairs what is not UTF-8, and so
/// would move the offsets).
enum HeadText {
    /// The text of `head` (from its first byte to past its blank line), or `nil` when a byte of it
    /// is beyond ASCII.
    static func of(_ head: UnsafeBufferPointer<UInt8>) -> String? {
        let text = String(decoding: head, as: UTF8.self)
        // As many UTF-16 units as UTF-8 bytes only when every character is ASCII (the count is
        // read from the string's ASCII flag then, not counted).
        return text.utf16.count == text.utf8.count ? text : nil
    }

    /// Gives the values of `headers` that a parser located in `head` (`Field.init(name:headTextRange:)`)
    /// their text: `text`, the head's, which the headers then hold in their first field, whose
    /// value is the bytes `firstValue`; or, for a head beyond ASCII (`text` is `nil`), a string of
    /// its own each.
    static func giveValues(to headers: inout HTTPHeaders, text: String?, head: UnsafeBufferPointer<UInt8>, firstValue: Range<Int>) {
        if let text { return headers.adoptHeadText(text, firstValue: firstValue) }
        for index in headers.indices {
            guard let range = headers.headTextRange(at: index) else { continue }
            headers.setValue(at: index, String(utf8: UnsafeBufferPointer(rebasing: head[range])))
        }
    }

    /// The text the bytes `range` of `head` lie in, and their UTF-8 offsets there: the head's
    /// `text` when the piece is long (too long to be a small string, which lives in the value
    /// itself and costs less to make than a slice) and the head has one, else a string of the
    /// piece alone.
    @inline(__always) static func piece(_ range: Range<Int>, of head: UnsafeBufferPointer<UInt8>, text: String?) -> (text: String, range: Range<Int>) {
        if range.count > smallStringCapacity, let text { return (text, range) }
        // The root target, the commonest one, is a literal: no string is decoded for it.
        if range.count == 1, head[range.lowerBound] == UInt8(ascii: "/") { return ("/", 0..<1) }
        let piece = String(utf8: UnsafeBufferPointer(rebasing: head[range]))
        return (piece, 0..<piece.utf8.count)
    }

    /// The most UTF-8 bytes a string holds without storage of its own (on 64-bit platforms).
    static let smallStringCapacity = 15
}
