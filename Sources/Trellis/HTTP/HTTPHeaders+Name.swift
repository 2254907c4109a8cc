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
        @usableFromInline let key: UInt64

        /// The name's length in UTF-8 bytes, read from its key (names of 127 bytes and more read
        /// as 127).
        @inlinable package var utf8Count: Int { Int(truncatingIfNeeded: key >> 56 & 0x7F) }

        /// The key names are compared by first: equal keys mean equal names for names of at most
        /// seven bytes, and mean nothing otherwise (compare the names then).
        @inlinable package var comparisonKey: UInt64 { key }

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
            self.rawName = name
            let canonicalName = HTTPSyntax.lowercased(name)
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
        public static let accept = Name("Accept")
        /// `Access-Control-Allow-Credentials`
        public static let accessControlAllowCredentials = Name("Access-Control-Allow-Credentials")
        /// `Access-Control-Allow-Headers`
        public static let accessControlAllowHeaders = Name("Access-Control-Allow-Headers")
        /// `Access-Control-Allow-Methods`
        public static let accessControlAllowMethods = Name("Access-Control-Allow-Methods")
        /// `Access-Control-Allow-Origin`
        public static let accessControlAllowOrigin = Name("Access-Control-Allow-Origin")
        /// `Access-Control-Expose-Headers`
        public static let accessControlExposeHeaders = Name("Access-Control-Expose-Headers")
        /// `Access-Control-Max-Age`
        public static let accessControlMaxAge = Name("Access-Control-Max-Age")
        /// `Access-Control-Request-Headers`
        public static let accessControlRequestHeaders = Name("Access-Control-Request-Headers")
        /// `Access-Control-Request-Method`
        public static let accessControlRequestMethod = Name("Access-Control-Request-Method")
        /// `Allow`
        public static let allow = Name("Allow")
        /// `Authorization`
        public static let authorization = Name("Authorization")
        /// `Connection`
        public static let connection = Name("Connection")
        /// `Content-Length`
        public static let contentLength = Name("Content-Length")
        /// `Content-Type`
        public static let contentType = Name("Content-Type")
        /// `Cookie`
        public static let cookie = Name("Cookie")
        /// `Date`
        public static let date = Name("Date")
        /// `Expect`
        public static let expect = Name("Expect")
        /// `Host`
        public static let host = Name("Host")
        /// `Origin`
        public static let origin = Name("Origin")
        /// `Transfer-Encoding`
        public static let transferEncoding = Name("Transfer-Encoding")
        /// `Set-Cookie`
        public static let setCookie = Name("Set-Cookie")
        /// `Vary`
        public static let vary = Name("Vary")
        /// `WWW-Authenticate`
        public static let wwwAuthenticate = Name("WWW-Authenticate")
        /// `X-Process-Time`
        public static let xProcessTime = Name("X-Process-Time")
        /// `Accept-Encoding`
        public static let acceptEncoding = Name("Accept-Encoding")
        /// `Accept-Ranges`
        public static let acceptRanges = Name("Accept-Ranges")
        /// `Cache-Control`
        public static let cacheControl = Name("Cache-Control")
        /// `Content-Encoding`
        public static let contentEncoding = Name("Content-Encoding")
        /// `Content-Range`
        public static let contentRange = Name("Content-Range")
        /// `Content-Security-Policy`
        public static let contentSecurityPolicy = Name("Content-Security-Policy")
        /// `ETag`
        public static let etag = Name("ETag")
        /// `Forwarded`
        public static let forwarded = Name("Forwarded")
        /// `If-Modified-Since`
        public static let ifModifiedSince = Name("If-Modified-Since")
        /// `If-None-Match`
        public static let ifNoneMatch = Name("If-None-Match")
        /// `If-Range`
        public static let ifRange = Name("If-Range")
        /// `Last-Modified`
        public static let lastModified = Name("Last-Modified")
        /// `Location`
        public static let location = Name("Location")
        /// `Range`
        public static let range = Name("Range")
        /// `Referrer-Policy`
        public static let referrerPolicy = Name("Referrer-Policy")
        /// `Retry-After`
        public static let retryAfter = Name("Retry-After")
        /// `Strict-Transport-Security`
        public static let strictTransportSecurity = Name("Strict-Transport-Security")
        /// `X-Content-Type-Options`
        public static let xContentTypeOptions = Name("X-Content-Type-Options")
        /// `X-Forwarded-Proto`
        public static let xForwardedProto = Name("X-Forwarded-Proto")
        /// `X-Frame-Options`
        public static let xFrameOptions = Name("X-Frame-Options")
        /// `X-Request-ID`
        public static let xRequestID = Name("X-Request-ID")
    }
}

extension HTTPHeaders.Name {
    /// The field names most requests carry, each as written by browsers and common clients and in
    /// lower case, in an open-addressed table keyed by length and first eight bytes: a parser that
    /// finds one reuses it instead of building two strings per field, and later lookups compare
    /// shared storage.
    private static let commonRequestNames: CommonNameTable = {
        let names: [HTTPHeaders.Name] = [
            .host, .accept, .acceptEncoding, "Accept-Language", "User-Agent", .connection, .contentLength,
            .contentType, .origin, .cookie, .authorization, .cacheControl, .ifNoneMatch, .ifModifiedSince,
            "Referer", "Upgrade-Insecure-Requests", .accessControlRequestMethod, .accessControlRequestHeaders,
            .range, .ifRange, .expect, .transferEncoding, "Pragma", "Priority", "Sec-Fetch-Dest",
            "Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-User", .xForwardedProto, "X-Forwarded-For",
            .xRequestID, "Upgrade", "DNT",
        ]
        var table = CommonNameTable()
        for name in names {
            let lower = HTTPHeaders.Name(name.canonicalName)
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

    /// Keys (plain words, read without reference counting) and names in parallel slots; a slot with
    /// length 0 is empty. 256 slots for about 60 spellings: a lookup mostly reads one slot.
    private struct CommonNameTable {
        static let slotCount = 256
        var keys = [CommonNameKey](repeating: CommonNameKey(), count: slotCount)
        var names = [HTTPHeaders.Name](repeating: HTTPHeaders.Name(""), count: slotCount)

        @inline(__always) static func slot(length: Int, firstWord: UInt64) -> Int {
            Int(truncatingIfNeeded: ((firstWord &+ UInt64(truncatingIfNeeded: length)) &* 0x9E37_79B9_7F4A_7C15) &>> 56)
        }

        mutating func insert(_ name: HTTPHeaders.Name) {
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
        return commonRequestNames.keys.withUnsafeBufferPointer { keys in
            var index = CommonNameTable.slot(length: length, firstWord: wanted.words.0)
            while keys[index].length != 0 {
                if keys[index] == wanted { return commonRequestNames.names[index] }
                index = (index &+ 1) & (CommonNameTable.slotCount &- 1)
            }
            return nil
        }
    }
}
