import Trellis

extension RequestHeadParser {
    /// The fields that frame and steer the exchange, which the framer notes as their lines arrive.
    package enum FramingField: Equatable {
        case connection, contentLength, expect, host, transferEncoding, upgrade

        /// The framing field a field line's name (`line[0..<nameLength]`, a token) is, in any case.
        @inline(__always)
        package init?(_ line: UnsafeBufferPointer<UInt8>, nameLength: Int) {
            /// Whether the name spells `lowercased` in any case: a token byte ORed with 0x20 is
            /// one of these lower-case letters or `-` only when it is that letter in either case
            /// (or `-`).
            @inline(__always) func spells(_ lowercased: StaticString) -> Bool {
                for index in 0..<nameLength where line[index] | 0x20 != lowercased.utf8Start[index] { return false }
                return true
            }
            switch nameLength {
            case 4 where spells("host"): self = .host
            case 6 where spells("expect"): self = .expect
            case 7 where spells("upgrade"): self = .upgrade
            case 10 where spells("connection"): self = .connection
            case 14 where spells("content-length"): self = .contentLength
            case 17 where spells("transfer-encoding"): self = .transferEncoding
            default: return nil
            }
        }

        /// The framing field a common name is (`HTTPHeaders.Name.common`: one of the spellings of
        /// its table), from the name's `key` alone: its length and first seven lower-cased bytes.
        /// Exact for the names of that table, no two of which share a key with a framing field's
        /// (a name outside it is matched byte by byte by `init?(_:nameLength:)`). One compare per
        /// candidate, where matching the bytes took about 27 instructions a field.
        @inline(__always)
        package init?(commonNameKey key: UInt64) {
            // The keys of the lower-cased names, without the token bit (bit 63).
            switch key & 0x7FFF_FFFF_FFFF_FFFF {
            case 0x0400_0000_7473_6F68: self = .host  // 4, "host"
            case 0x0600_7463_6570_7865: self = .expect  // 6, "expect"
            case 0x0765_6461_7267_7075: self = .upgrade  // 7, "upgrade"
            case 0x0A74_6365_6E6E_6F63: self = .connection  // 10, "connect"
            case 0x0E74_6E65_746E_6F63: self = .contentLength  // 14, "content"
            case 0x1165_6673_6E61_7274: self = .transferEncoding  // 17, "transfe"
            default: return nil
            }
        }

        /// The framing field of the common name in each slot of `HTTPHeaders.Name.CommonNames`
        /// (`init?(commonNameKey:)` on each, made once): a parser that found a name's slot reads
        /// its framing field there, one load where the key's compares cost about 20 instructions.
        package static let ofCommonNameSlots: [FramingField?] = HTTPHeaders.Name.CommonNames().names.map {
            FramingField(commonNameKey: $0.key)
        }
    }

    /// What `interpret` reads from a request's fields, noted by the framer as each field line
    /// arrives (`note(_:value:at:isHTTP1_0:)`), so no second pass over the fields compares names.
    struct FramingFields {
        var hasHost = false
        var hasUpgrade = false
        /// The one `Content-Length`, checked and parsed as its line arrived.
        var contentLength: Int?
        /// Where the `Transfer-Encoding` and `Expect` fields are among the head's fields (rare: their
        /// values are read once the head is complete). `nil` rather than empty: a request without
        /// them copies and destroys these fields with no retain or release.
        var transferCodingFields: [Int]?
        var expectationFields: [Int]?
        /// Some `Connection` field lists `close`.
        var connectionClose = false
        /// Some `Connection` field lists `keep-alive` (looked for only in HTTP/1.0 requests).
        var connectionKeepAlive = false

        /// Notes a field (not `Host` or `Content-Length`, which the framer checks itself) whose
        /// value's bytes are `value`, the field at `index` among the head's fields.
        mutating func note(_ field: FramingField, value: UnsafeBufferPointer<UInt8>, at index: Int, isHTTP1_0: Bool) {
            switch field {
            case .connection:
                if HTTPSyntax.list(value, containsIgnoringCase: "close") { connectionClose = true }
                if isHTTP1_0, HTTPSyntax.list(value, containsIgnoringCase: "keep-alive") { connectionKeepAlive = true }
            case .expect: expectationFields = (expectationFields ?? []) + [index]
            case .transferEncoding: transferCodingFields = (transferCodingFields ?? []) + [index]
            case .upgrade: hasUpgrade = true
            case .contentLength, .host: break
            }
        }
    }
}
