/// A `Host` value (or an authority) split into host and port (RFC 9110 §7.2, RFC 3986 §3.2.2):
/// the one parser `TrustedHost`, `HTTPSRedirect` and the server's `Host` check share.
///
/// ```swift
/// HostPort("[::1]:8080")?.name   // "::1"
/// HostPort("Example.com")?.port  // nil
/// ```
package struct HostPort {
    /// The host as written: an IP literal keeps its brackets (`[::1]`).
    package let host: Substring
    /// The port digits after `:`, when a port is given (not checked here: see `hasValidPort`).
    package let port: Substring?

    /// Splits `value`; `nil` when an IP literal's bracket is not closed or something other than
    /// `:port` follows it.
    package init?(_ value: Substring) {
        if value.hasPrefix("[") {
            guard let close = value.firstIndex(of: "]") else { return nil }
            host = value[...close]
            let rest = value[value.index(after: close)...]
            if rest.isEmpty {
                port = nil
            } else {
                guard rest.hasPrefix(":") else { return nil }
                port = rest.dropFirst()
            }
        } else if let colon = value.firstIndex(of: ":") {
            host = value[..<colon]
            port = value[value.index(after: colon)...]
        } else {
            host = value
            port = nil
        }
    }

    /// Splits a whole string.
    package init?(_ value: String) { self.init(value[...]) }

    /// The host name without an IP literal's brackets.
    package var name: Substring {
        host.hasPrefix("[") && host.hasSuffix("]") ? host.dropFirst().dropLast() : host
    }

    /// Whether the host is an IP literal (`[…]`).
    package var isIPLiteral: Bool { host.hasPrefix("[") }

    /// No port, or 1 to 5 digits no greater than 65535.
    package var hasValidPort: Bool {
        guard let port else { return true }
        guard !port.isEmpty, port.utf8.count <= 5, port.utf8.allSatisfy(HTTPSyntax.isDigit), let number = Int(port) else { return false }
        return number <= 65535
    }

    /// Whether every byte of `value` may appear in `uri-host [ ":" port ]`: reg-name, IPv4 or
    /// bracketed IP-literal characters (the server's check of `Host` and absolute-form authorities).
    /// One table load per byte (the `Host` of every request is checked).
    package static func hasAuthorityCharacters(_ value: String) -> Bool {
        value.withContiguousUTF8 { hasAuthorityCharacters($0) }
    }

    /// Whether every one of `bytes` may appear in `uri-host [ ":" port ]` (as above, on bytes
    /// where they lie).
    package static func hasAuthorityCharacters(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        authorityTable.containsAll(bytes)
    }

    /// `authorityCharacters` as a table, for the check every request's `Host` gets.
    private static let authorityTable = HTTPSyntax.ByteTable(authorityCharacters)

    /// Letters, digits and `-._~!$&'()*+,;=:[]%`. A test checks the set against those characters
    /// on all 256 bytes.
    static let authorityCharacters = HTTPSyntax.ByteSet(low: 0x2FFF_7FF2_0000_0000, high: 0x47FF_FFFE_AFFF_FFFE)

    /// The characters the masks stand for (for the test that checks them).
    package static func isAuthorityCharacter(_ byte: UInt8) -> Bool {
        HTTPSyntax.isLetter(byte) || HTTPSyntax.isDigit(byte) || "-._~!$&'()*+,;=:[]%".utf8.contains(byte)
    }
}
