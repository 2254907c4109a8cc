/// Lowercase hexadecimal digits as ASCII bytes, for escapes (`\u00XX`, `\xHH`) and identifiers.
package enum HexDigit {
    /// The ASCII digit for the low four bits of `value`: `0`…`9`, `a`…`f`.
    @inlinable package static func lowercase(_ value: UInt8) -> UInt8 {
        let nibble = value & 0xF
        return nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    /// The eight lowercase hex digits of `value`, most significant first, as the bytes of a word
    /// to store little-endian: all eight at once, no digit at a time.
    ///
    /// ```swift
    /// HexDigit.lowercaseDigits(of: 0x0123_abcd) // the bytes of "0123abcd"
    /// ```
    @inlinable package static func lowercaseDigits(of value: UInt32) -> UInt64 {
        // One nibble a byte, the least significant in the lowest byte…
        var spread = UInt64(value)
        spread = (spread | spread << 16) & 0x0000_FFFF_0000_FFFF
        spread = (spread | spread << 8) & 0x00FF_00FF_00FF_00FF
        spread = (spread | spread << 4) & 0x0F0F_0F0F_0F0F_0F0F
        // …then the most significant first, and each nibble its ASCII digit: `0` + n, and 39
        // more for 10…15 (whose n + 6 carries into the high half of its byte).
        spread = spread.byteSwapped
        let letters = ((spread &+ 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101
        return spread &+ 0x3030_3030_3030_3030 &+ letters &* 39
    }
}
