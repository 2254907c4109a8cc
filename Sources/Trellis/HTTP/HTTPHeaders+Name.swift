extension HTTPHeaders {
    /// A header field name: compared case-insensitively, sent as written.
    ///
    /// ```swift
    /// let name: HTTPHeaders.Name = "X-Request-ID"
    /// name == "x-request-id" // true
    /// headers[.contentType] = "text/plain"
    /// ```
    public struct Name: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
        /// The lower-cased name's first seven bytes (zero-padded), its length (up to 127) in bits
        /// 56–62, and in bit 63 whether the name is a token: two names of up to seven bytes are
        /// equal exactly when their keys are, and longer ones differ by key unless they start
        /// alike, so most comparisons are one word compare (a response's fields are looked up by
        /// name several times per request).
        @usableFromInline package let key: UInt64
        /// The name as written.
        @usableFromInline let spelling: Spelling

        /// Where a name's bytes lie: the bytes of a name built into Trellis (or declared with a
        /// string literal), which live as long as the process, so copying the name counts no
        /// reference; or a string of the name's own, for a name made at run time.
        @usableFromInline enum Spelling: Sendable {
            case fixed(FixedBytes)
            case string(String)
        }

        /// Bytes that are never freed nor changed: a string literal's, or a table's built once
        /// per process (so sharing them between threads is safe).
        @usableFromInline struct FixedBytes: @unchecked Sendable {
            @usableFromInline let start: UnsafePointer<UInt8>
            @usableFromInline let count: Int

            @usableFromInline init(start: UnsafePointer<UInt8>, count: Int) {
                self.start = start
                self.count = count
            }

            /// The bytes as a buffer (what each reader of a fixed spelling wants).
            @inlinable var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: start, count: count) }
        }

        /// The name as written by whoever created it, e.g. `"Content-Type"` (a name built into
        /// Trellis makes a string of it on each read: `withUTF8` reads its bytes where they lie).
        public var rawName: String {
            switch spelling {
            case .fixed(let bytes): String(decoding: bytes.buffer, as: UTF8.self)
            case .string(let string): string
            }
        }

        /// The lower-cased name, e.g. `"content-type"`.
        public var canonicalName: String { HTTPSyntax.lowercased(rawName) }

        /// The name's length in UTF-8 bytes, read from its key (names of 127 bytes and more read
        /// as 127).
        @inlinable package var utf8Count: Int { Int(truncatingIfNeeded: key >> 56 & 0x7F) }

        /// Whether the name is a token (RFC 9110 §5.1), so a server may send it: checked once
        /// here, not each time a response carries it (a name that is not is left out).
        @inlinable package var isToken: Bool { key >> 63 != 0 }

        /// Calls `body` with the name's UTF-8 bytes as written, where they lie.
        @inlinable package func withUTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
            switch spelling {
            case .fixed(let bytes): try body(bytes.buffer)
            case .string(let string): try string.withContiguousUTF8(body)
            }
        }

        /// Creates a name; comparison ignores ASCII case.
        ///
        /// ```swift
        /// let name = HTTPHeaders.Name("X-Process-Time")
        /// ```
        public init(_ name: String) {
            self.init(spelling: .string(name), isToken: nil)
        }

        /// A name a parser has already checked is a token (no second pass over its bytes).
        package init(checkedToken name: String) { self.init(spelling: .string(name), isToken: true) }

        /// A name whose bytes are those of a string literal (or, for a literal of one character,
        /// a string of its own: such a literal has no bytes to point at).
        init(fixed name: StaticString) {
            guard name.hasPointerRepresentation else {
                self.init(spelling: .string(name.description), isToken: nil)
                return
            }
            self.init(spelling: .fixed(FixedBytes(start: name.utf8Start, count: name.utf8CodeUnitCount)), isToken: nil)
        }

        /// A name spelled by `spelling`; `isToken` when already known.
        init(spelling: Spelling, isToken: Bool?) {
            self.spelling = spelling
            key = switch spelling {
            case .fixed(let bytes): Self.key(of: bytes.buffer, isToken: isToken)
            case .string(let string): string.withContiguousUTF8 { Self.key(of: $0, isToken: isToken) }
            }
        }

        /// The key of the name `bytes` (see `key`).
        private static func key(of bytes: UnsafeBufferPointer<UInt8>, isToken: Bool?) -> UInt64 {
            let token = isToken ?? HTTPSyntax.isToken(bytes)
            var key = UInt64(Swift.min(bytes.count, 127)) << 56 | (token ? 1 << 63 : 0)
            for (offset, byte) in bytes.prefix(7).enumerated() { key |= UInt64(HTTPSyntax.lowercased(byte)) << (8 * offset) }
            return key
        }

        /// Creates a name from a string literal, whose bytes it points at (copying the name
        /// counts no reference).
        ///
        /// ```swift
        /// let name: HTTPHeaders.Name = "X-Request-ID"
        /// ```
        public init(stringLiteral value: StaticString) { self.init(fixed: value) }

        /// The name as written.
        public var description: String { rawName }

        /// Names are equal when their lower-cased forms are.
        @inlinable public static func == (lhs: Name, rhs: Name) -> Bool { lhs.matches(rhs) }

        /// Whether the lower-cased forms are equal: the keys first (length and first seven bytes),
        /// the bytes only for longer names that start alike.
        @inlinable func matches(_ other: Name) -> Bool {
            key == other.key && (key >> 56 & 0x7F < 8 || spellingMatches(other))
        }

        /// Whether the two spellings are equal ignoring ASCII case (the same bytes, most often).
        /// Out of line: it runs only for long names that share a key, and inlined into every
        /// name lookup it cost about 70 instructions a request.
        @usableFromInline @inline(never) func spellingMatches(_ other: Name) -> Bool {
            withUTF8 { left in
                other.withUTF8 { right in
                    (left.count == right.count && left.baseAddress == right.baseAddress) || HTTPSyntax.equalsIgnoringCase(left, right)
                }
            }
        }

        /// Hashes the lower-cased form.
        public func hash(into hasher: inout Hasher) {
            withUTF8 { bytes in
                hasher.combine(bytes.count)
                for byte in bytes { hasher.combine(HTTPSyntax.lowercased(byte)) }
            }
        }

        /// `Accept`
        public static let accept = Name(fixed: "Accept")
        /// `Access-Control-Allow-Credentials`
        public static let accessControlAllowCredentials = Name(fixed: "Access-Control-Allow-Credentials")
        /// `Access-Control-Allow-Headers`
        public static let accessControlAllowHeaders = Name(fixed: "Access-Control-Allow-Headers")
        /// `Access-Control-Allow-Methods`
        public static let accessControlAllowMethods = Name(fixed: "Access-Control-Allow-Methods")
        /// `Access-Control-Allow-Origin`
        public static let accessControlAllowOrigin = Name(fixed: "Access-Control-Allow-Origin")
        /// `Access-Control-Expose-Headers`
        public static let accessControlExposeHeaders = Name(fixed: "Access-Control-Expose-Headers")
        /// `Access-Control-Max-Age`
        public static let accessControlMaxAge = Name(fixed: "Access-Control-Max-Age")
        /// `Access-Control-Request-Headers`
        public static let accessControlRequestHeaders = Name(fixed: "Access-Control-Request-Headers")
        /// `Access-Control-Request-Method`
        public static let accessControlRequestMethod = Name(fixed: "Access-Control-Request-Method")
        /// `Allow`
        public static let allow = Name(fixed: "Allow")
        /// `Authorization`
        public static let authorization = Name(fixed: "Authorization")
        /// `Connection`
        public static let connection = Name(fixed: "Connection")
        /// `Content-Length`
        public static let contentLength = Name(fixed: "Content-Length")
        /// `Content-Type`
        public static let contentType = Name(fixed: "Content-Type")
        /// `Cookie`
        public static let cookie = Name(fixed: "Cookie")
        /// `Date`
        public static let date = Name(fixed: "Date")
        /// `Expect`
        public static let expect = Name(fixed: "Expect")
        /// `Host`
        public static let host = Name(fixed: "Host")
        /// `Origin`
        public static let origin = Name(fixed: "Origin")
        /// `Transfer-Encoding`
        public static let transferEncoding = Name(fixed: "Transfer-Encoding")
        /// `Set-Cookie`
        public static let setCookie = Name(fixed: "Set-Cookie")
        /// `Vary`
        public static let vary = Name(fixed: "Vary")
        /// `WWW-Authenticate`
        public static let wwwAuthenticate = Name(fixed: "WWW-Authenticate")
        /// `X-Process-Time`
        public static let xProcessTime = Name(fixed: "X-Process-Time")
        /// `Accept-Encoding`
        public static let acceptEncoding = Name(fixed: "Accept-Encoding")
        /// `Accept-Ranges`
        public static let acceptRanges = Name(fixed: "Accept-Ranges")
        /// `Cache-Control`
        public static let cacheControl = Name(fixed: "Cache-Control")
        /// `Content-Encoding`
        public static let contentEncoding = Name(fixed: "Content-Encoding")
        /// `Content-Range`
        public static let contentRange = Name(fixed: "Content-Range")
        /// `Content-Security-Policy`
        public static let contentSecurityPolicy = Name(fixed: "Content-Security-Policy")
        /// `ETag`
        public static let etag = Name(fixed: "ETag")
        /// `Forwarded`
        public static let forwarded = Name(fixed: "Forwarded")
        /// `If-Modified-Since`
        public static let ifModifiedSince = Name(fixed: "If-Modified-Since")
        /// `If-None-Match`
        public static let ifNoneMatch = Name(fixed: "If-None-Match")
        /// `If-Range`
        public static let ifRange = Name(fixed: "If-Range")
        /// `Last-Modified`
        public static let lastModified = Name(fixed: "Last-Modified")
        /// `Location`
        public static let location = Name(fixed: "Location")
        /// `Range`
        public static let range = Name(fixed: "Range")
        /// `Referrer-Policy`
        public static let referrerPolicy = Name(fixed: "Referrer-Policy")
        /// `Retry-After`
        public static let retryAfter = Name(fixed: "Retry-After")
        /// `Strict-Transport-Security`
        public static let strictTransportSecurity = Name(fixed: "Strict-Transport-Security")
        /// `X-Content-Type-Options`
        public static let xContentTypeOptions = Name(fixed: "X-Content-Type-Options")
        /// `X-Forwarded-Proto`
        public static let xForwardedProto = Name(fixed: "X-Forwarded-Proto")
        /// `X-Frame-Options`
        public static let xFrameOptions = Name(fixed: "X-Frame-Options")
        /// `X-Request-ID`
        public static let xRequestID = Name(fixed: "X-Request-ID")
    }
}

extension HTTPHeaders.Name {
    /// The field names most requests carry, each as written by browsers and common clients and in
    /// lower case, in an open-addressed table keyed by length and first eight bytes: a parser that
    /// finds one reuses it instead of building a string per field, and copies of it count no
    /// reference.
    ///
    /// Unchecked for concurrency: written only while the lazy global is initialised, read-only after.
    nonisolated(unsafe) fileprivate static let commonRequestNames: CommonNameTable = {
        let table = CommonNameTable()
        for name in commonRequestNameList {
            table.insert(name)
            if name.rawName != name.canonicalName { table.insert(.fixedCopy(of: name.canonicalName)) }
        }
        return table
    }()

    /// The names of the common names' table, as written (the table also holds each in lower case):
    /// what a test checks the parser's shortcuts for these names against.
    package static var commonRequestNameList: [HTTPHeaders.Name] {
        [
            .host, .accept, .acceptEncoding, "Accept-Language", "User-Agent", .connection, .contentLength,
            .contentType, .origin, .cookie, .authorization, .cacheControl, .ifNoneMatch, .ifModifiedSince,
            "Referer", "Upgrade-Insecure-Requests", .accessControlRequestMethod, .accessControlRequestHeaders,
            .range, .ifRange, .expect, .transferEncoding, "Pragma", "Priority", "Sec-Fetch-Dest",
            "Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-User", .xForwardedProto, "X-Forwarded-For",
            .xRequestID, "Upgrade", "DNT",
        ]
    }

    /// A name whose bytes are a copy of `spelling` that is never freed (the common names' table's
    /// lower-case spellings, made once per process), so copying the name counts no reference.
    private static func fixedCopy(of spelling: String) -> HTTPHeaders.Name {
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(spelling.utf8.count, 1))
        _ = UnsafeMutableBufferPointer(start: bytes, count: spelling.utf8.count).initialize(from: spelling.utf8)
        return HTTPHeaders.Name(spelling: .fixed(FixedBytes(start: bytes, count: spelling.utf8.count)), isToken: nil)
    }

    /// A spelling as the table compares it: its length and four little-endian eight-byte words
    /// (zero-padded; every entry is shorter than 32 bytes, and most are matched whole by the first).
    fileprivate struct CommonNameKey: Equatable {
        var length = 0
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

        static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.length == rhs.length && lhs.words == rhs.words
        }
    }

    /// Keys (plain words) and names in parallel slots; a slot with length 0 is empty. 256 slots
    /// for about 60 spellings: a lookup mostly reads one slot. Allocated once and never freed
    /// (the table lives as long as the process): reading it counts no reference, where an array
    /// every event loop reads would have its shared counter raised and lowered on each lookup.
    fileprivate struct CommonNameTable {
        static let slotCount = 256
        let keys = UnsafeMutableBufferPointer<CommonNameKey>.allocate(capacity: slotCount)
        let names = UnsafeMutableBufferPointer<HTTPHeaders.Name>.allocate(capacity: slotCount)

        init() {
            keys.initialize(repeating: CommonNameKey())
            names.initialize(repeating: HTTPHeaders.Name(fixed: ""))
        }

        @inline(__always) static func slot(length: Int, firstWord: UInt64) -> Int {
            Int(truncatingIfNeeded: ((firstWord &+ UInt64(truncatingIfNeeded: length)) &* 0x9E37_79B9_7F4A_7C15) &>> 56)
        }

        func insert(_ name: HTTPHeaders.Name) {
            let bytes = Array(name.rawName.utf8)
            guard !bytes.isEmpty, bytes.count < 32 else { return }
            let key = bytes.withUnsafeBufferPointer { HTTPHeaders.Name.tableKey(in: $0, length: $0.count) }
            var index = Self.slot(length: key.length, firstWord: key.words.0)
            while keys[index].length != 0 { index = (index + 1) & (Self.slotCount - 1) }
            keys[index] = key
            names[index] = name
        }
    }

    /// The table key of the name in `bytes[0..<length]`. Words are read eight bytes at a time where
    /// `bytes` holds eight from that offset (a field line holds the colon and value after the
    /// name), and the bytes past the name are masked off.
    @inline(__always)
    fileprivate static func tableKey(in bytes: UnsafeBufferPointer<UInt8>, length: Int) -> CommonNameKey {
        CommonNameKey(
            length: length,
            words: (word(in: bytes, at: 0, length: length), word(in: bytes, at: 8, length: length),
                    word(in: bytes, at: 16, length: length), word(in: bytes, at: 24, length: length))
        )
    }

    /// The (up to) eight bytes of the name `bytes[0..<length]` at `offset`, as a little-endian word,
    /// zero-padded.
    @inline(__always)
    private static func word(in bytes: UnsafeBufferPointer<UInt8>, at offset: Int, length: Int) -> UInt64 {
        let remaining = length &- offset
        guard remaining > 0 else { return 0 }
        if bytes.count &- offset >= 8, let base = bytes.baseAddress {
            let word = UInt64(littleEndian: UnsafeRawPointer(base).loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            return remaining >= 8 ? word : word & ((1 &<< UInt64(8 &* remaining)) &- 1)
        }
        var word: UInt64 = 0
        for index in offset..<length { word |= UInt64(bytes[index]) &<< UInt64(8 &* (index &- offset)) }
        return word
    }

    /// The shared name spelled exactly as `bytes`, if it is a common request field name.
    ///
    /// ```swift
    /// Array("Host".utf8).withUnsafeBufferPointer { HTTPHeaders.Name.common($0) } // .host
    /// ```
    package static func common(_ bytes: UnsafeBufferPointer<UInt8>) -> HTTPHeaders.Name? {
        CommonNames().name(in: bytes, length: bytes.count)
    }

    /// The common names' table, fetched once: a parser that keeps it looks each field's name up
    /// without asking for the lazily made table again (about 13 instructions a field).
    ///
    /// Unchecked for concurrency: it only reads the table, which is written while the lazy global
    /// is initialised and never after, so any thread may use it.
    ///
    /// ```swift
    /// let names = HTTPHeaders.Name.CommonNames()
    /// Array("Host: a".utf8).withUnsafeBufferPointer { names.name(in: $0, length: 4) } // .host
    /// ```
    package struct CommonNames: @unchecked Sendable {
        /// Never freed nor changed once made (see `commonRequestNames`).
        private let table: CommonNameTable
        /// The table's names by slot (its `names`): `names[slot(in:length:)]` read where a parser
        /// makes its field (a call to read one cost more than the read).
        package let names: UnsafeMutableBufferPointer<HTTPHeaders.Name>

        /// The table, made on first use.
        package init() {
            table = HTTPHeaders.Name.commonRequestNames
            names = table.names
        }

        /// The shared name spelled exactly as `line[0..<length]`, if it is a common request field
        /// name (`line` is the whole field line: the bytes after the name let the first words be
        /// read whole).
        package func name(in line: UnsafeBufferPointer<UInt8>, length: Int) -> HTTPHeaders.Name? {
            let slot = slot(in: line, length: length)
            return slot < 0 ? nil : names[slot]
        }

        /// The slot of the common name spelled exactly as `line[0..<length]`, or -1 (`name(in:length:)`
        /// for a parser, which reads the name from its slot in `names`).
        package func slot(in line: UnsafeBufferPointer<UInt8>, length: Int) -> Int {
            guard length > 0, length < 32, length <= line.count else { return -1 }
            let wanted = HTTPHeaders.Name.tableKey(in: line, length: length)
            var index = CommonNameTable.slot(length: length, firstWord: wanted.words.0)
            while table.keys[index].length != 0 {
                if table.keys[index] == wanted { return index }
                index = (index &+ 1) & (CommonNameTable.slotCount &- 1)
            }
            return -1
        }
    }
}
