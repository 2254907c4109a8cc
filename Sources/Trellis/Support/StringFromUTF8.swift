extension String {
    /// The text of the UTF-8 `bytes`, what is not UTF-8 repaired (U+FFFD) as
    /// `String(decoding:as:)` does it. A short ASCII text (at most 15 bytes, which a string holds
    /// in itself) is made from its bits (`SmallASCIIString`); another short text is written into
    /// the string in place and checked there, a third cheaper than `String(decoding:as:)`. Header
    /// values, path parameters, query values and timings are mostly this short.
    ///
    /// ```swift
    /// let host = String(utf8: UnsafeBufferPointer(rebasing: line[valueRange]))
    /// ```
    @inlinable package init(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= 15 else {
            // A longer one needs storage: the in-place path would validate it after all.
            self.init(decoding: bytes, as: UTF8.self)
            return
        }
        if let small = SmallASCIIString.make(bytes) {
            self = small
            return
        }
        self.init(unsafeUninitializedCapacity: bytes.count) { buffer in
            guard let target = buffer.baseAddress, let source = bytes.baseAddress else { return 0 }
            target.update(from: source, count: bytes.count)
            return bytes.count
        }
    }
}

/// Short ASCII strings made from their bits, as the standard library lays them out in the string
/// itself: the first eight bytes in the first word, the next seven in the second, and its top byte
/// `0xE0 | count`. `String(unsafeUninitializedCapacity:initializingUTF8With:)` makes the same
/// string in about 110 instructions (a closure call and a UTF-8 validation); this takes about 25,
/// and a request makes three to five such strings (its target, a short header value, a path
/// parameter, a query value).
///
/// Used only where the layout holds (`layoutHolds`: two string literals have the bits this layout
/// gives them, a check the compiler answers while it builds, so it costs nothing at run time).
/// On a library that lays them out otherwise (or a big-endian machine), every string is made the
/// standard way. The tests check more (`layoutMatchesTheLibrarys`): strings made and read here
/// against the library's own, bit for bit, at several lengths.
///
/// ```swift
/// SmallASCIIString.make(bytes) // "42" for the bytes 0x34 0x32; nil for bytes beyond ASCII
/// ```
@usableFromInline package enum SmallASCIIString {
    /// Whether the standard library lays small ASCII strings out as this type reads and writes
    /// them: the bits of a one-byte and a nine-byte literal (folded to a constant when compiled).
    @inlinable package static var layoutHolds: Bool {
        MemoryLayout<String>.size == 16
            && rawWords(of: "a") == (0x61, 0xE100_0000_0000_0000)
            && rawWords(of: "abcdefghi") == (0x6867_6665_6463_6261, 0xE900_0000_0000_0069)
    }

    /// Whether strings made and read here are the standard library's own, bit for bit, at lengths
    /// 0 to 15; and whether strings beyond ASCII or with storage are told apart (for the tests).
    package static let layoutMatchesTheLibrarys: Bool = {
        guard MemoryLayout<String>.size == 16, MemoryLayout<(UInt64, UInt64)>.size == 16 else { return false }
        for sample in ["", "a", "42", "GET", "abcdefgh", "abcdefghi", "abcdefghijklmno"] {
            var sample = sample
            sample.makeContiguousUTF8()
            let made = sample.utf8.withContiguousStorageIfAvailable { bits(of: $0) } ?? nil
            guard let made,
                rawWords(of: sample) == made,
                unsafeBitCast(made, to: String.self) == sample,
                unsafeBitCast(made, to: String.self).utf8.count == sample.utf8.count,
                let read = smallWords(of: sample),
                read.count == sample.utf8.count,
                read.low == made.0,
                read.high == made.1 & 0x00FF_FFFF_FFFF_FFFF
            else { return false }
        }
        // Neither a string beyond ASCII nor a string with storage reads as a small ASCII one.
        for other in ["é", "abcdefghijklmnop", String(repeating: "x", count: 40), "a long literal string in the binary"] {
            guard smallWords(of: other) == nil else { return false }
        }
        return true
    }()

    /// The string of `bytes` (at most 15 of them), or nil when one is beyond ASCII, or when the
    /// layout does not hold.
    @inlinable package static func make(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard layoutHolds, let made = bits(of: bytes) else { return nil }
        return unsafeBitCast(made, to: String.self)
    }

    /// The bytes of `string` when it is a small ASCII string (at most 15 bytes, held in the string
    /// itself), as two little-endian words and a count: the first eight bytes in `low`, the rest
    /// in `high` (its top byte, the layout's, cleared); nil for any other string, or when the
    /// layout does not hold.
    @inlinable package static func words(of string: String) -> (low: UInt64, high: UInt64, count: Int)? {
        guard layoutHolds else { return nil }
        return smallWords(of: string)
    }

    /// The words of `small` (from `words(of:)`) with the bytes past its end set to spaces, as one
    /// word-at-a-time check for bytes to refuse or escape wants them: a space is neither.
    ///
    /// ```swift
    /// let (low, high) = SmallASCIIString.paddedWithSpaces(small)
    /// ```
    @inlinable package static func paddedWithSpaces(_ small: (low: UInt64, high: UInt64, count: Int)) -> (low: UInt64, high: UInt64) {
        let spaces: UInt64 = 0x2020_2020_2020_2020
        let low = small.count >= 8 ? small.low : small.low | spaces &<< UInt64(8 &* small.count)
        let high = small.high | spaces &<< UInt64(8 &* (small.count > 8 ? small.count &- 8 : 0))
        return (low, high)
    }

    /// `words(of:)` without the layout check (which uses it).
    @inlinable package static func smallWords(of string: String) -> (low: UInt64, high: UInt64, count: Int)? {
        let (low, high) = rawWords(of: string)
        // The top nibble of a small ASCII string's second word (immortal, small, ASCII).
        guard high &>> 60 == 0xE else { return nil }
        return (low, high & 0x00FF_FFFF_FFFF_FFFF, Int(truncatingIfNeeded: (high &>> 56) & 0xF))
    }

    /// The two words a string is (its bits: a string with storage keeps its reference count).
    @inlinable package static func rawWords(of string: String) -> (UInt64, UInt64) {
        unsafeBitCast(string, to: (UInt64, UInt64).self)
    }

    /// The two words of the small string of `bytes`, or nil when there are more than 15 or one is
    /// beyond ASCII.
    @inlinable package static func bits(of bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64)? {
        guard bytes.count <= 15 else { return nil }
        // Read in at most two loads that overlap, as numbers (byte 0 lowest): no copy call, and
        // no byte read outside `bytes`.
        var words: (UInt64, UInt64) = (0, 0)
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            let count = bytes.count
            if count >= 8 {
                words.0 = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
                // The last eight bytes; those past the first eight are its top `count - 8`.
                let last = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self))
                words.1 = count == 8 ? 0 : last &>> UInt64(8 &* (16 &- count))
            } else if count >= 4 {
                let first = UInt64(UInt32(littleEndian: raw.loadUnaligned(as: UInt32.self)))
                let last = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)))
                words.0 = first | last &<< UInt64(8 &* (count &- 4))
            } else if count > 0 {
                let middle = count &>> 1
                words.0 = UInt64(base[0]) | UInt64(base[middle]) &<< UInt64(8 &* middle) | UInt64(base[count &- 1]) &<< UInt64(8 &* (count &- 1))
            }
        }
        guard (words.0 | words.1) & 0x8080_8080_8080_8080 == 0 else { return nil }
        return (words.0, withCount(words.1, bytes.count))
    }

    /// The small ASCII string of `count` bytes (at most 15) held in `low` and `high` as `bits(of:)`
    /// reads them, the bytes past `count` zero; only where `layoutHolds`.
    ///
    /// ```swift
    /// SmallASCIIString.string(low: 0x3234, high: 0, count: 2) // "42"
    /// ```
    @inlinable package static func string(low: UInt64, high: UInt64, count: Int) -> String {
        unsafeBitCast((low, withCount(high, count)), to: String.self)
    }

    /// `high` with the layout's top byte: immortal, small, ASCII, and `count`.
    @inlinable static func withCount(_ high: UInt64, _ count: Int) -> UInt64 { high | (0xE0 | UInt64(count)) &<< 56 }
}
