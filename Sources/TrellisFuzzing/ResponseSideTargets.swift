import Trellis
import TrellisMiddleware
import TrellisServer

/// GZip's request-body decompression: gzip (several members allowed) or zlib data fed in pieces.
enum GZipTarget {
    static let cap = 1 << 20

    enum Result: Equatable {
        case bytes([UInt8])
        case corrupt
        case capped
    }

    /// Checks: it only ever fails with `ZlibError`; output stops at the cap; the same bytes split
    /// two ways decompress to the same bytes (or fail the same way).
    static func run(_ input: inout FuzzInput) -> String? {
        let seeds = input.bytes(upTo: 6)
        let asGzip = input.byte() & 1 == 0
        var data = input.rest()
        // Half the inputs get a valid gzip member in front, so the fuzzer starts past the header.
        if asGzip, let deflater = try? Deflater(gzip: true, level: 1) {
            data = deflater.compress(Array(data.prefix(64)), flush: false, finish: true) + data.dropFirst(64)
        }
        let whole = inflate([data])
        let pieces = inflate(split(data, sizes: seeds))
        if whole != pieces { return "splitting changed the result: \(whole) vs \(pieces)" }
        return nil
    }

    static func inflate(_ pieces: [[UInt8]]) -> Result {
        guard let inflater = try? Inflater() else { return .corrupt }
        var output: [UInt8] = []
        for piece in pieces {
            inflater.feed(piece)
            var idle = 0
            while inflater.hasPendingInput {
                let produced: [UInt8]
                do {
                    produced = try inflater.inflateSome(chunk: 4096)
                } catch {
                    return .corrupt
                }
                output += produced
                if output.count > cap { return .capped }
                idle = produced.isEmpty ? idle + 1 : 0
                if idle > 4 { return .corrupt }
            }
        }
        return inflater.isAtEnd ? .bytes(output) : .corrupt
    }
}

/// `Range` and conditional headers as `StaticFiles` reads them.
enum RangeTarget {
    /// Checks: a satisfiable range lies inside the file and is not empty.
    static func run(_ input: inout FuzzInput) -> String? {
        let size = Int64(input.number(below: 70_000))
        let header = input.string(upTo: 120)
        switch StaticFiles.parseRange(header, size: size) {
        case .range(let range):
            if range.lowerBound < 0 || range.upperBound > size || range.isEmpty {
                return "range \(range) for a \(size)-byte file from \(header.debugDescription)"
            }
        case .whole, .unsatisfiable:
            break
        }
        let etag = "\"5f-\(size)\""
        var headers = HTTPHeaders()
        headers.append(.ifNoneMatch, input.string(upTo: 60))
        headers.append(.ifModifiedSince, input.string(upTo: 40))
        _ = StaticFiles.notModified(headers, etag: etag, modified: Int64(input.number(below: 1 << 16)) << 16)
        _ = StaticFiles.ifRangeMatches(input.string(upTo: 40), etag: etag, lastModified: "Sun, 06 Nov 1994 08:49:37 GMT")
        return nil
    }
}

/// The response serializer with statuses, reason phrases, fields and cookies a handler built.
enum SerializerTarget {
    /// The fields the server writes itself (a handler's are left out or replaced).
    static let managed: Set<String> = ["date", "content-length", "transfer-encoding", "connection"]

    /// Checks: the head re-parses as one status line and well-formed fields; its status is the
    /// handler's; every field in it is one the handler set (nothing injected) and every valid
    /// field the handler set is in it; framing fields appear once.
    static func run(_ input: inout FuzzInput) -> String? {
        let code = 200 + input.number(below: 800)
        let status = HTTPStatus(code: code, reasonPhrase: input.string(upTo: 24))
        var headers = HTTPHeaders()
        for _ in 0..<input.number(below: 6) {
            headers.append(HTTPHeaders.Name(input.string(upTo: 16)), input.string(upTo: 40))
        }
        var response = Response(status: status, headers: headers, body: input.bytes(upTo: 64))
        let cookie = Cookie(
            name: input.string(upTo: 12), value: input.string(upTo: 20),
            maxAge: input.byte() & 1 == 0 ? nil : Int(input.number(below: 1 << 16)) - 1000,
            expires: input.byte() & 1 == 0 ? nil : Int64(bitPattern: UInt64(input.number(below: 1 << 16)) << 40 | UInt64(input.byte())),
            path: input.byte() & 1 == 0 ? nil : input.string(upTo: 12),
            domain: input.byte() & 1 == 0 ? nil : input.string(upTo: 12),
            secure: input.byte() & 1 == 0, httpOnly: input.byte() & 1 == 0,
            sameSite: [nil, .lax, .strict, .noRestriction][input.number(below: 4)]
        )
        try? response.setCookie(cookie)
        let isHead = input.byte() & 1 == 0
        var output: [UInt8] = []
        _ = ResponseSerializer.writeHead(
            response, into: &output, date: Array("Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n".utf8),
            requestVersion: .http1_1, isHeadRequest: isHead, keepAlive: true
        )
        guard let parsed = ResponseHead(output) else { return "the head does not parse: \(String(decoding: output, as: UTF8.self).debugDescription)" }
        if parsed.status != code { return "status \(parsed.status) for \(code)" }
        let set = response.headers.filter { !managed.contains($0.name.canonicalName) }
            .filter { field in
                !field.name.rawName.isEmpty && field.name.rawName.utf8.allSatisfy(HTTPSyntax.isTokenChar)
                    && field.value.utf8.allSatisfy(HTTPSyntax.isFieldValueChar)
            }
            .map { "\($0.name.canonicalName): \($0.value)" }
        let sent = parsed.fields.filter { !managed.contains($0.name) }.map { "\($0.name): \($0.value)" }
        if set != sent { return "fields sent \(sent) for fields set \(set)" }
        for name in managed where parsed.fields.filter({ $0.name == name }).count > 1 {
            return "\(name) twice"
        }
        return nil
    }

    /// A strict parser of a response head, for checking what the serializer wrote.
    struct ResponseHead {
        var status: Int
        var fields: [(name: String, value: String)] = []

        init?(_ bytes: [UInt8]) {
            guard bytes.count >= 4, Array(bytes.suffix(4)) == Array("\r\n\r\n".utf8) else { return nil }
            var lines: [ArraySlice<UInt8>] = []
            var start = 0
            var index = 0
            while index + 1 < bytes.count {
                if bytes[index] == 13 {
                    guard bytes[index + 1] == 10 else { return nil }
                    lines.append(bytes[start..<index])
                    start = index + 2
                    index += 2
                    continue
                }
                if bytes[index] == 10 { return nil }
                index += 1
            }
            guard lines.count >= 2, lines.last?.isEmpty == true, let statusLine = lines.first else { return nil }
            let parts = statusLine.split(separator: 32, maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, Array(parts[0]) == Array("HTTP/1.1".utf8), parts[1].count == 3,
                parts[1].allSatisfy(HTTPSyntax.isDigit), parts[2].allSatisfy(HTTPSyntax.isFieldValueChar),
                let status = Int(String(decoding: parts[1], as: UTF8.self))
            else { return nil }
            self.status = status
            for line in lines.dropFirst().dropLast() {
                guard let colon = line.firstIndex(of: 58) else { return nil }
                let name = line[line.startIndex..<colon]
                let rest = line[(colon + 1)...]
                guard !name.isEmpty, name.allSatisfy(HTTPSyntax.isTokenChar), rest.first == 32,
                    rest.dropFirst().allSatisfy(HTTPSyntax.isFieldValueChar)
                else { return nil }
                fields.append((HTTPSyntax.lowercased(String(decoding: name, as: UTF8.self)), String(decoding: rest.dropFirst(), as: UTF8.self)))
            }
        }
    }
}
