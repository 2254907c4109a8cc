/// Lowercase hexadecimal digits as ASCII bytes, for escapes (`\u00XX`, `\xHH`) and identifiers.
package enum HexDigit {
    /// The ASCII digit for the low four bits of `value`: `0`…`9`, `a`…`f`.
    @inlinable package static func lowercase(_ value: UInt8) -> UInt8 {
        let nibble = value & 0xF
        return nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
