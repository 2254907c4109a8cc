package import Trellis

/// A parsed and validated request head, with the body framing it announces.
package struct RequestHead {
    package enum Framing: Equatable {
        /// No body.
        case none
        /// Exactly this many bytes follow.
        case length(Int)
        /// Chunked transfer coding.
        case chunked
    }

    package var method: HTTPMethod
    /// The text the target lies in (the head's, see `HeadText`), and the target's UTF-8 offsets there.
    package var targetText: String
    package var targetRange: Range<Int>
    package var version: HTTPVersion
    package var headers: HTTPHeaders
    package var framing: Framing
    /// Whether the connection may stay open after the response (before the handler has its say).
    package var keepAlive: Bool
    /// `Expect: 100-continue` was sent.
    package var expectsContinue: Bool

    /// The request this head begins, with `body`, in `context`: the target's text and the fields
    /// move into it (copies would retain them, and destroying the head would release them again).
    /// What a server's connection and `HTTP1Parser` both make of a head.
    package mutating func takeRequest(body: consuming RequestBody, context: RequestContext) -> Request {
        var targetText = ""
        var headers = HTTPHeaders()
        swap(&targetText, &self.targetText)
        swap(&headers, &self.headers)
        return Request(
            method: method, targetText: targetText, targetRange: targetRange, version: version, headers: headers, body: body,
            context: context
        )
    }
}

/// Parses the lines of a request head (RFC 9112 §3, §5, §6) as strictly as llhttp's strict mode;
/// `HTTP1Framer` hands it each line as it arrives.
package enum RequestHeadParser {
    /// The method, the target's bytes (a range of `line`) and the version of a request line.
    static func parseRequestLine(_ line: UnsafeBufferPointer<UInt8>, maxTargetLength: Int) throws(ParseError)
        -> (HTTPMethod, Range<Int>, HTTPVersion)
    {
        guard let firstSpace = firstIndex(of: UInt8(ascii: " "), in: line), firstSpace > 0 else {
            throw .badRequest("Malformed request line.")
        }
        guard let lastSpace = line.lastIndex(of: UInt8(ascii: " ")), lastSpace > firstSpace + 1 else {
            throw .badRequest("Malformed request line.")
        }
        try checkMethodAndTarget(line, firstSpace: firstSpace, targetEnd: lastSpace, maxTargetLength: maxTargetLength)
        let methodBytes = UnsafeBufferPointer(rebasing: line[0..<firstSpace])
        let versionBytes = UnsafeBufferPointer(rebasing: line[(lastSpace + 1)...])
        let version = try parseVersion(versionBytes)
        return (method(methodBytes), (firstSpace + 1)..<lastSpace, version)
    }

    /// `HTTP/1.1` and `HTTP/1.0` as the words their bytes load as.
    private static let http1_1Word = word(of: "HTTP/1.1")
    private static let http1_0Word = word(of: "HTTP/1.0")

    private static func word(of version: StaticString) -> UInt64 {
        UnsafeRawPointer(version.utf8Start).loadUnaligned(as: UInt64.self)
    }

    /// The method of `bytes`: a standard one is the shared static value (no string is made for it).
    static func method(_ bytes: UnsafeBufferPointer<UInt8>) -> HTTPMethod {
        // GET, compared byte by byte before anything else: most requests are.
        if bytes.count == 3, bytes[0] == UInt8(ascii: "G"), bytes[1] == UInt8(ascii: "E"), bytes[2] == UInt8(ascii: "T") {
            return .get
        }
        func spells(_ name: StaticString) -> Bool {
            name.utf8CodeUnitCount == bytes.count
                && UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount).elementsEqual(bytes)
        }
        switch bytes.first {
        case UInt8(ascii: "G"): if spells("GET") { return .get }
        case UInt8(ascii: "P"):
            if spells("POST") { return .post }
            if spells("PUT") { return .put }
            if spells("PATCH") { return .patch }
        case UInt8(ascii: "H"): if spells("HEAD") { return .head }
        case UInt8(ascii: "D"): if spells("DELETE") { return .delete }
        case UInt8(ascii: "O"): if spells("OPTIONS") { return .options }
        default: break
        }
        return HTTPMethod(String(utf8: bytes))
    }

    /// Rejects a request line whose CRLF has not arrived but whose bytes so far already make it
    /// invalid, as llhttp does from the bytes it has seen: once the target is complete (a second
    /// space), the method and target get the checks the whole line would get, in the same order
    /// (so the status is the same however the bytes arrive), and the version must still be able to
    /// become `HTTP/1.x` (`GET / HTTP/5.6` → 505, `GET / HTTX` → 400). Anything that may still
    /// become valid waits for more bytes.
    static func checkUnfinishedRequestLine(_ line: UnsafeBufferPointer<UInt8>, maxTargetLength: Int) throws(ParseError) {
        // The version starts after the second space (the method and target have none).
        guard let firstSpace = line.firstIndex(of: UInt8(ascii: " ")),
            let secondSpace = line[(firstSpace + 1)...].firstIndex(of: UInt8(ascii: " "))
        else { return }
        guard firstSpace > 0, secondSpace > firstSpace + 1 else { throw .badRequest("Malformed request line.") }
        try checkMethodAndTarget(line, firstSpace: firstSpace, targetEnd: secondSpace, maxTargetLength: maxTargetLength)
        try checkVersion(UnsafeBufferPointer(rebasing: line[(secondSpace + 1)...]), isComplete: false)
    }

    /// Checks a version left to right, the first wrong byte deciding the status, so the verdict is
    /// the same whether the line is complete or still arriving: `HTTP/` (else 400), a digit (else
    /// 400) that is `1` (else 505), `.`, a digit, and — on a complete line — nothing more.
    static func checkVersion(_ bytes: UnsafeBufferPointer<UInt8>, isComplete: Bool) throws(ParseError) {
        for (offset, byte) in bytes.enumerated() {
            switch offset {
            case 0..<5:
                // A static string: no array is built for this check, which every request runs.
                let prefix: StaticString = "HTTP/"
                guard byte == prefix.utf8Start[offset] else { throw .badRequest("Malformed HTTP version.") }
            case 5:
                guard HTTPSyntax.isDigit(byte) else { throw .badRequest("Malformed HTTP version.") }
                guard byte == UInt8(ascii: "1") else {
                    throw ParseError(status: .httpVersionNotSupported, message: "Only HTTP/1.0 and HTTP/1.1 are supported.")
                }
            case 6:
                guard byte == UInt8(ascii: ".") else { throw .badRequest("Malformed HTTP version.") }
            case 7:
                guard HTTPSyntax.isDigit(byte) else { throw .badRequest("Malformed HTTP version.") }
            default:
                // Eight bytes are the whole version; the line must end there.
                throw .badRequest("Malformed HTTP version.")
            }
        }
        if isComplete, bytes.count != 8 { throw .badRequest("Malformed HTTP version.") }
    }

    /// The method is a token; the target is within its length limit and visible ASCII.
    static func checkMethodAndTarget(
        _ line: UnsafeBufferPointer<UInt8>,
        firstSpace: Int,
        targetEnd: Int,
        maxTargetLength: Int
    ) throws(ParseError) {
        guard UnsafeBufferPointer(rebasing: line[0..<firstSpace]).allSatisfy(HTTPSyntax.isTokenChar) else {
            throw .badRequest("Invalid method.")
        }
        let targetBytes = UnsafeBufferPointer(rebasing: line[(firstSpace + 1)..<targetEnd])
        if targetBytes.count > maxTargetLength {
            throw ParseError(status: .uriTooLong, message: "Request target longer than \(maxTargetLength) bytes.")
        }
        guard HTTPSyntax.isTarget(targetBytes) else {
            throw .badRequest("Invalid character in the request target.")
        }
    }

    static func parseVersion(_ bytes: UnsafeBufferPointer<UInt8>) throws(ParseError) -> HTTPVersion {
        // The two versions nearly every request carries, compared as one word each.
        if bytes.count == 8, let base = bytes.baseAddress {
            let word = UnsafeRawPointer(base).loadUnaligned(as: UInt64.self)
            if word == http1_1Word { return .http1_1 }
            if word == http1_0Word { return .http1_0 }
        }
        try checkVersion(bytes, isComplete: true)
        // A later HTTP/1.x is answered as HTTP/1.1 (RFC 9110 §6.2).
        return bytes[7] == UInt8(ascii: "0") ? .http1_0 : .http1_1
    }

    /// The name, its length in bytes, the value's bytes (a range of `line`, without surrounding
    /// whitespace) of a field line, and whether the name is one of the common names'
    /// (`HTTPHeaders.Name.common`), spelled exactly as that table spells it. `isPlain`: the line is
    /// known to hold no control byte but HTAB, nor DEL (the head scanner looked), so the value
    /// needs no check of its own.
    static func parseFieldLine(
        _ line: UnsafeBufferPointer<UInt8>,
        isPlain: Bool = false
    ) throws(ParseError) -> (name: HTTPHeaders.Name, nameLength: Int, value: Range<Int>, isCommon: Bool) {
        let commonNames = HTTPHeaders.Name.CommonNames()
        let parts = try fieldLineParts(line, isPlain: isPlain, commonNames: commonNames)
        return (parts.name(in: line, commonNames), parts.nameLength, parts.value, parts.commonSlot >= 0)
    }

    /// Where the parts of a valid field line lie: four words, which a call returns in registers
    /// (a larger result, with the name in it, came back through memory and was read before its
    /// stores had landed: a store-forwarding stall on every field line, about 5% of a parse).
    struct FieldLineParts {
        /// The name's length in bytes (the colon's offset).
        let nameLength: Int
        let valueStart: Int
        let valueEnd: Int
        /// The common name's slot in `HTTPHeaders.Name.CommonNames`, or -1 for another name.
        let commonSlot: Int

        /// The value's bytes in the line, without surrounding whitespace.
        var value: Range<Int> { valueStart..<valueEnd }

        /// The name: the common names' shared one, else a string of its own.
        @inline(__always)
        func name(in line: UnsafeBufferPointer<UInt8>, _ commonNames: HTTPHeaders.Name.CommonNames) -> HTTPHeaders.Name {
            commonSlot >= 0
                ? commonNames.names[commonSlot]
                : HTTPHeaders.Name(checkedToken: String(utf8: UnsafeBufferPointer(rebasing: line[0..<nameLength])))
        }
    }

    /// Validates a field line and says where its parts lie (`parseFieldLine`'s checks, in its
    /// order). `commonNames`: the table, as the caller keeps it.
    static func fieldLineParts(
        _ line: UnsafeBufferPointer<UInt8>,
        isPlain: Bool,
        commonNames: HTTPHeaders.Name.CommonNames
    ) throws(ParseError) -> FieldLineParts {
        if let first = line.first, HTTPSyntax.isWhitespace(first) {
            throw .badRequest("Obsolete line folding is not accepted.")
        }
        guard let colon = firstIndex(of: UInt8(ascii: ":"), in: line) else { throw .badRequest("Header line without a colon.") }
        guard colon > 0 else { throw .badRequest("Empty header name.") }
        // A common name is spelled exactly as a known token: only other names need the byte check.
        let slot = commonNames.slot(in: line, length: colon)
        if slot < 0 {
            let name = UnsafeBufferPointer(rebasing: line[0..<colon])
            guard HTTPSyntax.tokenCharacters.containsAll(name) else {
                throw .badRequest(
                    HTTPSyntax.isWhitespace(name[name.count - 1])
                        ? "Whitespace between header name and colon." : "Invalid character in a header name."
                )
            }
        }
        let value = try valueRange(of: line, after: colon, isPlain: isPlain)
        return FieldLineParts(nameLength: colon, valueStart: value.lowerBound, valueEnd: value.upperBound, commonSlot: slot)
    }

    /// The value's bytes of a field line whose colon is at `colon`: a range of `line` without the
    /// surrounding whitespace, checked to hold no control byte but HTAB (unless the line `isPlain`).
    @inline(__always)
    private static func valueRange(of line: UnsafeBufferPointer<UInt8>, after colon: Int, isPlain: Bool) throws(ParseError) -> Range<Int> {
        var valueStart = colon + 1
        var valueEnd = line.count
        while valueStart < valueEnd, HTTPSyntax.isWhitespace(line[valueStart]) { valueStart += 1 }
        while valueEnd > valueStart, HTTPSyntax.isWhitespace(line[valueEnd - 1]) { valueEnd -= 1 }
        guard isPlain || HTTPSyntax.isFieldValue(UnsafeBufferPointer(rebasing: line[valueStart..<valueEnd])) else {
            throw .badRequest("Invalid character in a header value.")
        }
        return valueStart..<valueEnd
    }

    /// The first index of `byte` in `bytes`: eight bytes a step, the lowest bit
    /// `HTTPSyntax.bytes(equalTo:in:)` sets marking the first one.
    @inline(__always)
    static func firstIndex(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let end = bytes.count
        var next = 0
        while end &- next >= 8 {
            let word = UInt64(littleEndian: UnsafeRawPointer(base).loadUnaligned(fromByteOffset: next, as: UInt64.self))
            let matches = HTTPSyntax.bytes(equalTo: byte, in: word)
            if matches != 0 { return next &+ matches.trailingZeroBitCount &>> 3 }
            next &+= 8
        }
        while next < end {
            if base[next] == byte { return next }
            next &+= 1
        }
        return nil
    }

    /// What a head's framing fields and target mean (`interpret`).
    struct Meaning {
        var framing: RequestHead.Framing
        var keepAlive: Bool
        var expectsContinue: Bool
        /// An absolute-form target's authority, which replaces `Host` (RFC 9112 §3.2.2).
        var authority: String?
    }

    /// Applies the semantics of the fields that frame the message (RFC 9112 §6.1–6.3, §9.3), across
    /// fields. Each line has already passed `HTTP1Framer`'s checks as it arrived, which noted the
    /// framing fields in `found`: at most one `Host` (valid) and one `Content-Length` (a number
    /// within the body limit). `target` is the target's bytes in the head. The head is made by the
    /// caller, which moves its parts into it (returned from here, they were copied once more).
    static func interpret(
        method: HTTPMethod,
        target: UnsafeBufferPointer<UInt8>,
        version: HTTPVersion,
        headers: HTTPHeaders,
        found: FramingFields
    ) throws(ParseError) -> Meaning {
        // Request-target form (RFC 9112 §3.2).
        var authority: String?
        if target.first == UInt8(ascii: "/") {
            // origin-form
        } else if target.count == 1 && target[0] == UInt8(ascii: "*") {
            guard method == .options else { throw .badRequest("Asterisk-form target is only valid for OPTIONS.") }
        } else if method == .connect {
            throw ParseError(status: .notImplemented, message: "CONNECT is not supported.")
        } else {
            // absolute-form, the rarest: only here is the target read as text.
            let text = Substring(String(decoding: target, as: UTF8.self))
            guard isAbsoluteForm(text) else { throw .badRequest("Malformed request target.") }
            authority = absoluteFormAuthority(text)
        }

        // The values the framer noted by position, read before `Host` may be replaced below (`nil`:
        // no such field).
        let transferCodings = found.transferCodingFields.map { positions in positions.map { headers[$0].valueSlice } }
        let expectations = found.expectationFields.map { positions in positions.map { headers[$0].valueSlice } }

        // Host (RFC 9112 §3.2): required in HTTP/1.1; an absolute-form target's authority replaces it (§3.2.2).
        if version == .http1_1 && !found.hasHost { throw .badRequest("Missing Host header.") }
        if let authority {
            guard !authority.isEmpty, HostPort.hasAuthorityCharacters(authority), !authority.contains("@") else {
                throw .badRequest("Invalid authority in the request target.")
            }
        }

        // Framing.
        var framing = RequestHead.Framing.none
        if let transferCodings {
            if found.contentLength != nil { throw .badRequest("Both Content-Length and Transfer-Encoding are present.") }
            if version == .http1_0 { throw .badRequest("Transfer-Encoding is not allowed in an HTTP/1.0 request.") }
            framing = try chunkedFraming(transferCodings)
        } else if let length = found.contentLength {
            framing = length > 0 ? .length(length) : .none
        }

        // Connection persistence (RFC 9112 §9.3).
        var keepAlive: Bool
        if found.connectionClose {
            keepAlive = false
        } else if version == .http1_0 {
            keepAlive = found.connectionKeepAlive
        } else {
            keepAlive = true
        }
        // A request to switch protocols that this server does not honour (RFC 9110 §7.8): answered
        // as HTTP, then the connection closes, since what the client sends after it may already
        // be the other protocol, not a next HTTP request.
        if found.hasUpgrade { keepAlive = false }

        // Expect (RFC 9110 §10.1.1).
        var expectsContinue = false
        if let expectations, let expectation = expectations.first {
            guard expectations.count == 1, HTTPSyntax.lowercased(String(expectation)) == "100-continue" else {
                throw ParseError(status: .expectationFailed, message: "Only 'Expect: 100-continue' is supported.")
            }
            expectsContinue = version == .http1_1 && framing != .none
        }
        return Meaning(framing: framing, keepAlive: keepAlive, expectsContinue: expectsContinue, authority: authority)
    }

    static func chunkedFraming(_ fields: [Substring]) throws(ParseError) -> RequestHead.Framing {
        var codings: [String] = []
        for field in fields {
            for element in field.split(separator: ",") {
                let coding = HTTPSyntax.lowercased(String(element.trimmingHTTPWhitespace()))
                if coding.isEmpty { continue }
                guard coding.utf8.allSatisfy(HTTPSyntax.isTokenChar) else { throw .badRequest("Invalid Transfer-Encoding.") }
                codings.append(coding)
            }
        }
        let known: Set<String> = ["chunked", "gzip", "x-gzip", "deflate", "compress", "x-compress"]
        if let unknown = codings.first(where: { !known.contains($0) }) {
            throw ParseError(status: .notImplemented, message: "Unsupported transfer coding '\(unknown)'.")
        }
        guard codings.last == "chunked" else {
            throw .badRequest("The final transfer coding must be chunked.")
        }
        guard codings.count == 1 else {
            if codings.dropLast().contains("chunked") { throw .badRequest("Chunked applied more than once.") }
            throw ParseError(status: .notImplemented, message: "Only the chunked transfer coding is supported.")
        }
        return .chunked
    }

    /// `1*DIGIT`, without sign, whitespace or overflow.
    static func parseContentLength(_ value: Substring) -> Int? {
        value.withContiguousUTF8 { parseContentLength($0) }
    }

    /// `1*DIGIT` in bytes where they lie, without sign, whitespace or overflow.
    static func parseContentLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var length = 0
        for byte in bytes {
            guard HTTPSyntax.isDigit(byte) else { return nil }
            length = length * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return length
    }

    static func isAbsoluteForm(_ target: Substring) -> Bool {
        let utf8 = Array(target.utf8)
        guard let colon = utf8.firstIndex(of: UInt8(ascii: ":")), colon > 0,
            HTTPSyntax.isLetter(utf8[0]),
            utf8[0..<colon].allSatisfy({ HTTPSyntax.isLetter($0) || HTTPSyntax.isDigit($0) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E }),
            utf8.count > colon + 3, utf8[colon + 1] == UInt8(ascii: "/"), utf8[colon + 2] == UInt8(ascii: "/")
        else { return false }
        return true
    }

    /// The authority of an absolute-form target (`http://example.com:8080/a` → `example.com:8080`).
    static func absoluteFormAuthority(_ target: Substring) -> String? {
        guard let range = target.firstRange(of: "://") else { return nil }
        let rest = target[range.upperBound...]
        let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        return String(rest[..<end])
    }
}
