import Testing
import Trellis

@testable import TrellisMiddleware

/// The common format's pieces written in place: the time at known instants, and the escaping of
/// client-controlled text wherever an escaped byte falls around the eight-byte steps.
struct AccessLogLineTests {
    @Test(arguments: [
        (Int64(0), "01/Jan/1970:00:00:00 +0000"),
        (951_782_400, "29/Feb/2000:00:00:00 +0000"),
        (1_798_761_599, "31/Dec/2026:23:59:59 +0000"),
        (253_402_300_799, "31/Dec/9999:23:59:59 +0000"),
    ])
    func theCommonTimeIsWrittenAsTheFormatSpellsIt(seconds: Int64, expected: String) {
        var line = LogLine()
        line.bytes.removeAll()
        line.commonTime(seconds)
        #expect(String(decoding: line.bytes, as: UTF8.self) == expected)
    }

    @Test func everyEscapedByteIsEscapedAtEveryPosition() {
        for length in 0..<20 {
            for position in 0..<max(length, 1) {
                for escaped: UInt8 in [0x01, 0x1F, 0x22, 0x5C, 0x7F, 0xC3] {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    if length > 0 { bytes[position] = escaped }
                    let text = String(decoding: bytes, as: UTF8.self)
                    var line = LogLine()
                    line.bytes.removeAll()
                    line.escapedCommon(text)
                    // The reference: every byte of the text's UTF-8, escaped one by one.
                    var expected: [UInt8] = []
                    for byte in text.utf8 {
                        if byte < 0x20 || byte >= 0x7F || byte == 0x22 || byte == 0x5C {
                            expected += Array("\\x".utf8) + Array(String(byte, radix: 16).leftPadded(to: 2).utf8)
                        } else {
                            expected.append(byte)
                        }
                    }
                    #expect(line.bytes == expected, "length \(length), byte \(escaped) at \(position)")
                }
            }
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

/// Eight hex digits written at once (request ids): the same text as `String(_:radix:)`.
struct HexDigitWordTests {
    @Test func eightDigitsAtOnceSpellTheValueInLowercaseHex() {
        var values: [UInt32] = [0, 1, 9, 10, 15, 16, 0x0123_abcd, 0x89ab_cdef, 0xFFFF_FFFF, 0xA0A0_A0A0, 0x0909_0909]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 { values.append(UInt32.random(in: .min ... .max, using: &generator)) }
        for value in values {
            let word = HexDigit.lowercaseDigits(of: value).littleEndian
            let text = withUnsafeBytes(of: word) { String(decoding: $0, as: UTF8.self) }
            let expected = String(value, radix: 16)
            #expect(text == String(repeating: "0", count: 8 - expected.count) + expected, "\(value)")
        }
    }
}
