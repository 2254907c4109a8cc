/// Percent-decoding (RFC 3986 §2.1) of path segments and query components.
@usableFromInline package enum PercentDecoding {
    /// Decodes `%XX` escapes (and `+` as space when `plusIsSpace`); `nil` for a malformed escape or
    /// a result that is not valid UTF-8.
    @usableFromInline package static func decode(_ text: Substring, plusIsSpace: Bool) -> String? {
        var needsWork = false
        for byte in text.utf8 where byte == UInt8(ascii: "%") || (plusIsSpace && byte == UInt8(ascii: "+")) {
            needsWork = true
            break
        }
        return needsWork ? decode(utf8: text.utf8, plusIsSpace: plusIsSpace) : String(text)
    }

    /// Decodes the UTF-8 bytes `text` the same way (a query read where it lies in a request target).
    package static func decode<Bytes: Collection<UInt8>>(utf8 text: Bytes, plusIsSpace: Bool) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count)
        var iterator = text.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(HTTPSyntax.hexValue), let low = iterator.next().flatMap(HTTPSyntax.hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            } else if plusIsSpace && byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
