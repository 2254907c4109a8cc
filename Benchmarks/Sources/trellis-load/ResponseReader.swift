/// Finds complete HTTP/1.1 responses in a byte stream (Content-Length, chunked, or bodiless statuses).
struct ResponseReader {
    /// One complete response: its status, and how many bytes of the buffer it used.
    struct Parsed {
        let status: Int
        let length: Int
    }

    /// The next complete response at the start of `bytes[start..<end]`, or `nil` if it has not all arrived.
    /// Throws on a malformed response.
    static func next(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) throws -> Parsed? {
        // Find the end of the head.
        var index = start
        var headEnd = -1
        while index + 3 < end {
            if bytes[index] == 13, bytes[index + 1] == 10, bytes[index + 2] == 13, bytes[index + 3] == 10 {
                headEnd = index + 4
                break
            }
            index += 1
        }
        guard headEnd > 0 else { return nil }
        guard headEnd - start > 12, bytes[start] == UInt8(ascii: "H") else { throw ResponseError.malformed }
        let status = Int(bytes[start + 9] - 48) * 100 + Int(bytes[start + 10] - 48) * 10 + Int(bytes[start + 11] - 48)
        if status / 100 == 1 {
            return Parsed(status: status, length: headEnd - start)  // interim response: no body
        }
        var contentLength = -1
        var chunked = false
        var lineStart = start
        while lineStart < headEnd - 2 {
            var lineEnd = lineStart
            while bytes[lineEnd] != 13 { lineEnd += 1 }
            if matches(bytes, lineStart, lineEnd, "content-length:") {
                var value = 0
                for position in (lineStart + 15)..<lineEnd where bytes[position] >= 48 && bytes[position] <= 57 {
                    value = value * 10 + Int(bytes[position] - 48)
                }
                contentLength = value
            } else if matches(bytes, lineStart, lineEnd, "transfer-encoding:") {
                chunked = true
            }
            lineStart = lineEnd + 2
        }
        if status == 204 || status == 304 { return Parsed(status: status, length: headEnd - start) }
        if contentLength >= 0 {
            guard end - headEnd >= contentLength else { return nil }
            return Parsed(status: status, length: headEnd + contentLength - start)
        }
        guard chunked else { throw ResponseError.unframed }
        var position = headEnd
        while true {
            var size = 0
            var sawDigit = false
            while position < end, bytes[position] != 13 && bytes[position] != UInt8(ascii: ";") {
                let byte = bytes[position] | 0x20
                let digit = byte >= 48 && byte <= 57 ? Int(byte - 48) : byte >= 97 && byte <= 102 ? Int(byte - 87) : -1
                guard digit >= 0 else { throw ResponseError.malformed }
                size = size * 16 + digit
                sawDigit = true
                position += 1
            }
            while position < end, bytes[position] != 10 { position += 1 }
            guard position < end, sawDigit else { return nil }
            position += 1
            if size == 0 {
                // Trailers until an empty line.
                while true {
                    guard position + 1 < end else { return nil }
                    if bytes[position] == 13, bytes[position + 1] == 10 { return Parsed(status: status, length: position + 2 - start) }
                    while position < end, bytes[position] != 10 { position += 1 }
                    guard position < end else { return nil }
                    position += 1
                }
            }
            position += size + 2
            guard position <= end else { return nil }
        }
    }

    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ name: StaticString) -> Bool {
        let count = name.utf8CodeUnitCount
        guard end - start >= count else { return false }
        let expected = name.utf8Start
        for offset in 0..<count where bytes[start + offset] | 0x20 != expected[offset] { return false }
        return true
    }
}

enum ResponseError: Error {
    case malformed
    case unframed
}
