/// Reads a fuzzer's bytes as a sequence of choices: small numbers for sizes and splits, and the
/// rest as data. Deterministic for a given input, so a crash replays exactly.
struct FuzzInput {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var isAtEnd: Bool { position >= bytes.count }

    /// One byte (0 when exhausted).
    mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    /// A number in `0..<bound` from one or two bytes.
    mutating func number(below bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        let raw = bound > 256 ? Int(byte()) << 8 | Int(byte()) : Int(byte())
        return raw % bound
    }

    /// Up to `maximum` bytes (length chosen by the input).
    mutating func bytes(upTo maximum: Int) -> [UInt8] {
        let count = min(number(below: maximum + 1), bytes.count - position)
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    /// Everything not read yet.
    mutating func rest() -> [UInt8] {
        defer { position = bytes.count }
        return position < bytes.count ? Array(bytes[position...]) : []
    }

    /// A string of up to `maximum` bytes (invalid UTF-8 repaired).
    mutating func string(upTo maximum: Int) -> String { String(decoding: bytes(upTo: maximum), as: UTF8.self) }
}

/// Cuts `data` into pieces whose sizes come from `seeds` (cycled; a zero seed means one byte).
func split(_ data: [UInt8], sizes seeds: [UInt8]) -> [[UInt8]] {
    guard !seeds.isEmpty else { return data.isEmpty ? [] : [data] }
    var pieces: [[UInt8]] = []
    var start = 0
    var index = 0
    while start < data.count {
        let size = max(1, Int(seeds[index % seeds.count]))
        let end = min(data.count, start + size)
        pieces.append(Array(data[start..<end]))
        start = end
        index += 1
    }
    return pieces
}
