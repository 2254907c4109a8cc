extension HTTPHeaders {
    /// A header field name: compared case-insensitively, sent as written.
    ///
    /// ```swift
    /// let name: HTTPHeaders.Name = "X-Request-ID"
    /// name == "x-request-id" // true
    /// headers[.contentType] = "text/plain"
    /// ```
    public struct Name: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
        /// The name as written by whoever created it, e.g. `"Content-Type"`.
        public let rawName: String
        /// The lower-cased name used for comparison, e.g. `"content-type"`.
        public let canonicalName: String
        /// The lower-cased name's first seven bytes (zero-padded), its length (up to 127) in bits
        /// 56–62, and in bit 63 whether the name is a token: two names of up to seven bytes are
        /// equal exactly when their keys are, and longer ones differ by key unless they start
        /// alike, so most comparisons are one word compare (a response's fields are looked up by
        /// name several times per request).
        @usableFromInline package let key: UInt64

        /// The name's length in UTF-8 bytes, read from its key (names of 127 bytes and more read
        /// as 127).
        @inlinable package var utf8Count: Int { Int(truncatingIfNeeded: key >> 56 & 0x7F) }

        /// Whether the name is a token (RFC 9110 §5.1), so a server may send it: checked once
        /// here, not each time a response carries it (a name that is not is left out).
        @inlinable package var isToken: Bool { key >> 63 != 0 }

        /// Creates a name; comparison ignores ASCII case.
        ///
        /// ```swift
        /// let name = HTTPHeaders.Name("X-Process-Time")
        /// ```
        @inlinable public init(_ name: String) {
            self.init(name, isToken: name.withContiguousUTF8 { HTTPSyntax.isToken($0) })
        }

        /// A name a parser has already checked is a token (no second pass over its bytes).
        @usableFromInline package init(checkedToken name: String) { self.init(name, isToken: true) }

        @usableFromInline init(_ name: String, isToken: Bool) {
            self.init(rawName: name, canonicalName: HTTPSyntax.lowercased(name), isToken: isToken)
        }

        /// A name built into Trellis, its lower-cased form written out: both are string literals,
        /// which are never reference counted, so copying the name (every field a parser or a
        /// middleware makes with it) touches no shared counter. A lower-cased form made at run
        /// time is a string of its own when longer than 15 bytes, counted on each copy from
        /// every thread.
        init(_ name: String, lowercased: String) {
            assert(HTTPSyntax.lowercased(name) == lowercased, "\(lowercased) is not \(name) lower-cased")
            self.init(rawName: name, canonicalName: lowercased, isToken: name.withContiguousUTF8 { HTTPSyntax.isToken($0) })
        }

        @usableFromInline init(rawName: String, canonicalName: String, isToken: Bool) {
            self.rawName = rawName
            self.canonicalName = canonicalName
            var key = UInt64(Swift.min(canonicalName.utf8.count, 127)) << 56 | (isToken ? 1 << 63 : 0)
            for (offset, byte) in canonicalName.utf8.prefix(7).enumerated() { key |= UInt64(byte) << (8 * offset) }
            self.key = key
        }

        /// Creates a name from a string literal.
        @inlinable public init(stringLiteral value: String) { self.init(value) }

        /// The name as written.
        public var description: String { rawName }

        /// Names are equal when their lower-cased forms are.
        @inlinable public static func == (lhs: Name, rhs: Name) -> Bool { lhs.matches(rhs) }

        /// Whether the lower-cased forms are equal: the keys first (length and first seven bytes),
        /// the text only for longer names that start alike.
        @inlinable func matches(_ other: Name) -> Bool {
            key == other.key && (key >> 56 & 0x7F < 8 || canonicalName == other.canonicalName)
        }
        /// Hashes the lower-cased form.
        @inlinable public func hash(into hasher: inout Hasher) { hasher.combine(canonicalName) }


        /// `Accept`
        public static let accept = Name("Accept", lowercased: "accept")
        /// `Access-Control-Allow-Credentials`
        public static let accessControlAllowCredentials = Name("Access-Control-Allow-Credentials", lowercased: "access-control-allow-credentials")
        /// `Access-Control-Allow-Headers`
        public static let accessControlAllowHeaders = Name("Access-Control-Allow-Headers", lowercased: "access-control-allow-headers")
        /// `Access-Control-Allow-Methods`
        public static let accessControlAllowMethods = Name("Access-Control-Allow-Methods", lowercased: "access-control-allow-methods")
        /// `Access-Control-Allow-Origin`
        public static let accessControlAllowOrigin = Name("Access-Control-Allow-Origin", lowercased: "access-control-allow-origin")
        /// `Access-Control-Expose-Headers`
        public static let accessControlExposeHeaders = Name("Access-Control-Expose-Headers", lowercased: "access-control-expose-headers")
        /// `Access-Control-Max-Age`
        public static let accessControlMaxAge = Name("Access-Control-Max-Age", lowercased: "access-control-max-age")
        /// `Access-Control-Request-Headers`
        public static let accessControlRequestHeaders = Name("Access-Control-Request-Headers", lowercased: "access-control-request-headers")
        /// `Access-Control-Request-Method`
        public static let accessControlRequestMethod = Name("Access-Control-Request-Method", lowercased: "access-control-request-method")
        /// `Allow`
        public static let allow = Name("Allow", lowercased: "allow")
        /// `Authorization`
        public static let authorization = Name("Authorization", lowercased: "authorization")
        /// `Connection`
        public static let connection = Name("Connection", lowercased: "connection")
        /// `Content-Length`
        public static let contentLength = Name("Content-Length", lowercased: "content-length")
        /// `Content-Type`
        public static let contentType = Name("Content-Type", lowercased: "content-type")
        /// `Cookie`
        public static let cookie = Name("Cookie", lowercased: "cookie")
        /// `Date`
        public static let date = Name("Date", lowercased: "date")
        /// `Expect`
        public static let expect = Name("Expect", lowercased: "expect")
        /// `Host`
        public static let host = Name("Host", lowercased: "host")
        /// `Origin`
        public static let origin = Name("Origin", lowercased: "origin")
        /// `Transfer-Encoding`
        public static let transferEncoding = Name("Transfer-Encoding", lowercased: "transfer-encoding")
        /// `Set-Cookie`
        public static let setCookie = Name("Set-Cookie", lowercased: "set-cookie")
        /// `Vary`
        public static let vary = Name("Vary", lowercased: "vary")
        /// `WWW-Authenticate`
        public static let wwwAuthenticate = Name("WWW-Authenticate", lowercased: "www-authenticate")
        /// `X-Process-Time`
        public static let xProcessTime = Name("X-Process-Time", lowercased: "x-process-time")
        /// `Accept-Encoding`
        public static let acceptEncoding = Name("Accept-Encoding", lowercased: "accept-encoding")
        /// `Accept-Ranges`
        public static let acceptRanges = Name("Accept-Ranges", lowercased: "accept-ranges")
        /// `Cache-Control`
        public static let cacheControl = Name("Cache-Control", lowercased: "cache-control")
        /// `Content-Encoding`
        public static let contentEncoding = Name("Content-Encoding", lowercased: "content-encoding")
        /// `Content-Range`
        public static let contentRange = Name("Content-Range", lowercased: "content-range")
        /// `Content-Security-Policy`
        public static let contentSecurityPolicy = Name("Content-Security-Policy", lowercased: "content-security-policy")
        /// `ETag`
        public static let etag = Name("ETag", lowercased: "etag")
        /// `Forwarded`
        public static let forwarded = Name("Forwarded", lowercased: "forwarded")
        /// `If-Modified-Since`
        public static let ifModifiedSince = Name("If-Modified-Since", lowercased: "if-modified-since")
        /// `If-None-Match`
        public static let ifNoneMatch = Name("If-None-Match", lowercased: "if-none-match")
        /// `If-Range`
        public static let ifRange = Name("If-Range", lowercased: "if-range")
        /// `Last-Modified`
        public static let lastModified = Name("Last-Modified", lowercased: "last-modified")
        /// `Location`
        public static let location = Name("Location", lowercased: "location")
        /// `Range`
        public static let range = Name("Range", lowercased: "range")
        /// `Referrer-Policy`
        public static let referrerPolicy = Name("Referrer-Policy", lowercased: "referrer-policy")
        /// `Retry-After`
        public static let retryAfter = Name("Retry-After", lowercased: "retry-after")
        /// `Strict-Transport-Security`
        public static let strictTransportSecurity = Name("Strict-Transport-Security", lowercased: "strict-transport-security")
        /// `X-Content-Type-Options`
        public static let xContentTypeOptions = Name("X-Content-Type-Options", lowercased: "x-content-type-options")
        /// `X-Forwarded-Proto`
        public static let xForwardedProto = Name("X-Forwarded-Proto", lowercased: "x-forwarded-proto")
        /// `X-Frame-Options`
        public static let xFrameOptions = Name("X-Frame-Options", lowercased: "x-frame-options")
        /// `X-Request-ID`
        public static let xRequestID = Name("X-Request-ID", lowercased: "x-request-id")
    }
}

extension HTTPHeaders.Name {
    /// The field names most requests carry, each as written by browsers and common clients and in
    /// lower case, in an open-addressed table keyed by length and first eight bytes: a parser that
    /// finds one reuses it instead of building two strings per field, and later lookups compare
    /// shared storage.
    ///
    /// Unchecked for concurrency: written only while the lazy global is initialised, read-only after.
    nonisolated(unsafe) private static let commonRequestNames: CommonNameTable = {
        let names: [HTTPHeaders.Name] = [
            .host, .accept, .acceptEncoding, "Accept-Language", "User-Agent", .connection, .contentLength,
            .contentType, .origin, .cookie, .authorization, .cacheControl, .ifNoneMatch, .ifModifiedSince,
            "Referer", HTTPHeaders.Name("Upgrade-Insecure-Requests", lowercased: "upgrade-insecure-requests"), .accessControlRequestMethod, .accessControlRequestHeaders,
            .range, .ifRange, .expect, .transferEncoding, "Pragma", "Priority", "Sec-Fetch-Dest",
            "Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-User", .xForwardedProto, "X-Forwarded-For",
            .xRequestID, "Upgrade", "DNT",
        ]
        let table = CommonNameTable()
        for name in names {
            let lower = HTTPHeaders.Name(name.canonicalName, lowercased: name.canonicalName)
            for spelling in name.rawName == name.canonicalName ? [name] : [name, lower] {
                table.insert(spelling)
            }
        }
        return table
    }()

    /// A spelling as the table compares it: its length and four little-endian eight-byte words
    /// (zero-padded; every entry is shorter than 32 bytes, and most are matched whole by the first).
    private struct CommonNameKey: Equatable {
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
    private struct CommonNameTable {
        static let slotCount = 256
        let keys = UnsafeMutableBufferPointer<CommonNameKey>.allocate(capacity: slotCount)
        let names = UnsafeMutableBufferPointer<HTTPHeaders.Name>.allocate(capacity: slotCount)

        init() {
            keys.initialize(repeating: CommonNameKey())
            names.initialize(repeating: HTTPHeaders.Name("", lowercased: ""))
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
    private static func tableKey(in bytes: UnsafeBufferPointer<UInt8>, length: Int) -> CommonNameKey {
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
        common(in: bytes, length: bytes.count)
    }

    /// The shared name spelled exactly as `line[0..<length]`, if it is a common request field
    /// name (`line` is the whole field line: the bytes after the name let the first words be read
    /// whole).
    package static func common(in line: UnsafeBufferPointer<UInt8>, length: Int) -> HTTPHeaders.Name? {
        guard length > 0, length < 32, length <= line.count else { return nil }
        let wanted = tableKey(in: line, length: length)
        let table = commonRequestNames
        var index = CommonNameTable.slot(length: length, firstWord: wanted.words.0)
        while table.keys[index].length != 0 {
            if table.keys[index] == wanted { return table.names[index] }
            index = (index &+ 1) & (CommonNameTable.slotCount &- 1)
        }
        return nil
    }
}
