import Trellis

/// Decodes a chunked request body (RFC 9112 §7.1) incrementally, strictly: the chunk-size line must
/// be `1*HEXDIG *(BWS ";" BWS token [BWS "=" BWS (token / quoted-string)]) CRLF`, chunk data must be
/// followed by exactly CRLF, and trailer fields must be well-formed. Trailers are validated and dropped.
struct ChunkedDecoder {
    enum State: Equatable {
        case size
        case data(remaining: Int)
        case dataEnd
        case trailers
        case done
    }

    private(set) var state = State.size
    let maxBodyLength: Int
    let maxTrailerLength: Int
    private var trailerBytes = 0
    /// Content bytes decoded so far (for the body limit).
    private(set) var decodedLength = 0

    init(maxBodyLength: Int, maxTrailerLength: Int) {
        self.maxBodyLength = maxBodyLength
        self.maxTrailerLength = maxTrailerLength
    }

    var isDone: Bool { state == .done }

    /// The longest chunk-size line (size and extensions, without its CRLF) accepted.
    static let maxSizeLineLength = 1024

    /// The error for a chunk-size line longer than `maxSizeLineLength`.
    static var sizeLineTooLong: ParseError { .badRequest("Chunk size line too long.") }

    /// Consumes what it can of `buffer`, appending at most `maximum` bytes of chunk data to `body`;
    /// returns how many bytes it consumed.
    mutating func decode(
        _ buffer: UnsafeBufferPointer<UInt8>,
        into body: inout [UInt8],
        maximum: Int = .max
    ) throws(ParseError) -> Int {
        var position = 0
        var appended = 0
        while position < buffer.count {
            switch state {
            case .size:
                guard let lineEnd = try Self.lineEnd(in: buffer, from: position) else {
                    // The line so far (a CR at the end may be its CRLF's first byte).
                    let known = buffer.count - position - (buffer[buffer.count - 1] == UInt8(ascii: "\r") ? 1 : 0)
                    if known > Self.maxSizeLineLength { throw Self.sizeLineTooLong }
                    return position
                }
                // The same limit on a line that arrived whole: the outcome must not depend on
                // how the bytes were split.
                if lineEnd - position > Self.maxSizeLineLength { throw Self.sizeLineTooLong }
                let size = try Self.parseSizeLine(UnsafeBufferPointer(rebasing: buffer[position..<lineEnd]))
                position = lineEnd + 2
                if size == 0 {
                    state = .trailers
                } else {
                    guard size <= maxBodyLength - decodedLength else {
                        throw ParseError(status: .contentTooLarge, message: "Body larger than \(maxBodyLength) bytes.")
                    }
                    decodedLength += size
                    state = .data(remaining: size)
                }
            case .data(let remaining):
                let available = min(remaining, buffer.count - position, maximum - appended)
                if available == 0 { return position }
                appended += available
                body.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[position..<(position + available)]))
                position += available
                state = remaining == available ? .dataEnd : .data(remaining: remaining - available)
            case .dataEnd:
                guard buffer.count - position >= 2 else { return position }
                guard buffer[position] == UInt8(ascii: "\r"), buffer[position + 1] == UInt8(ascii: "\n") else {
                    throw .badRequest("Chunk data not followed by CRLF.")
                }
                position += 2
                state = .size
            case .trailers:
                guard let lineEnd = try Self.lineEnd(in: buffer, from: position) else {
                    if trailerBytes + buffer.count - position > maxTrailerLength {
                        throw ParseError(status: .requestHeaderFieldsTooLarge, message: "Trailer section too large.")
                    }
                    return position
                }
                trailerBytes += lineEnd + 2 - position
                if trailerBytes > maxTrailerLength {
                    throw ParseError(status: .requestHeaderFieldsTooLarge, message: "Trailer section too large.")
                }
                if lineEnd == position {
                    position += 2
                    state = .done
                    return position
                }
                _ = try RequestHeadParser.parseFieldLine(UnsafeBufferPointer(rebasing: buffer[position..<lineEnd]))
                position = lineEnd + 2
            case .done:
                return position
            }
        }
        return position
    }

    /// The index of the CR of the next CRLF, `nil` if it has not arrived; bare CR or LF is an error.
    static func lineEnd(in buffer: UnsafeBufferPointer<UInt8>, from start: Int) throws(ParseError) -> Int? {
        var index = start
        while index < buffer.count {
            let byte = buffer[index]
            if byte == UInt8(ascii: "\r") {
                guard index + 1 < buffer.count else { return nil }
                guard buffer[index + 1] == UInt8(ascii: "\n") else { throw .badRequest("Bare CR in chunked framing.") }
                return index
            }
            if byte == UInt8(ascii: "\n") { throw .badRequest("Bare LF in chunked framing.") }
            if byte == 0 { throw .badRequest("NUL in chunked framing.") }
            index += 1
        }
        return nil
    }

    /// Parses `chunk-size [ chunk-ext ]` (without the CRLF).
    static func parseSizeLine(_ line: UnsafeBufferPointer<UInt8>) throws(ParseError) -> Int {
        var index = 0
        var size = 0
        while index < line.count, let digit = HTTPSyntax.hexValue(line[index]) {
            guard index < 15 else { throw .badRequest("Chunk size too large.") }
            size = size * 16 + Int(digit)
            index += 1
        }
        guard index > 0 else { throw .badRequest("Invalid chunk size.") }
        // chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
        func skipWhitespace() { while index < line.count, HTTPSyntax.isWhitespace(line[index]) { index += 1 } }
        func token() -> Bool {
            let start = index
            while index < line.count, HTTPSyntax.isTokenChar(line[index]) { index += 1 }
            return index > start
        }
        while index < line.count {
            skipWhitespace()
            guard index < line.count, line[index] == UInt8(ascii: ";") else { throw .badRequest("Invalid chunk extension.") }
            index += 1
            skipWhitespace()
            guard token() else { throw .badRequest("Invalid chunk extension name.") }
            skipWhitespace()
            if index < line.count, line[index] == UInt8(ascii: "=") {
                index += 1
                skipWhitespace()
                if index < line.count, line[index] == UInt8(ascii: "\"") {
                    index += 1
                    var closed = false
                    while index < line.count {
                        let byte = line[index]
                        if byte == UInt8(ascii: "\\") {
                            guard index + 1 < line.count, HTTPSyntax.isFieldValueChar(line[index + 1]) else {
                                throw .badRequest("Invalid quoted chunk extension value.")
                            }
                            index += 2
                            continue
                        }
                        index += 1
                        if byte == UInt8(ascii: "\"") {
                            closed = true
                            break
                        }
                        guard HTTPSyntax.isFieldValueChar(byte) else { throw .badRequest("Invalid quoted chunk extension value.") }
                    }
                    guard closed else { throw .badRequest("Unterminated quoted chunk extension value.") }
                } else if !token() {
                    throw .badRequest("Invalid chunk extension value.")
                }
            } else if index < line.count, !HTTPSyntax.isWhitespace(line[index]), line[index] != UInt8(ascii: ";") {
                throw .badRequest("Invalid chunk extension.")
            }
        }
        return size
    }
}
