/// The cookies a request carries (RFC 6265 §5.4): every `Cookie` header's `name=value` pairs, in order.
///
/// Malformed pairs (no `=`, an empty or invalid name) are skipped, never an error; a value in
/// double quotes loses its quotes. With a repeated name, the first one wins for the subscript.
///
/// ```swift
/// Get("/me") { request in
///     guard let session = request.cookies["session"] else { throw HTTPError(.unauthorized) }
///     return "session \(session)"
/// }
/// ```
public struct Cookies: Sendable, Equatable, RandomAccessCollection {
    /// One `name=value` pair.
    public struct Pair: Sendable, Equatable {
        /// The cookie's name.
        public let name: String
        /// The cookie's value (without surrounding quotes).
        public let value: String
    }

    @usableFromInline let pairs: [Pair]

    /// Parses the `Cookie` fields of `headers`.
    ///
    /// ```swift
    /// let cookies = Cookies(headers: [.cookie: "a=1; b=2"])
    /// ```
    public init(headers: HTTPHeaders) {
        var pairs: [Pair] = []
        for header in headers.values(for: .cookie) {
            header.withContiguousUTF8 { bytes in
                Self.forEachPair(in: bytes) { name, value in
                    pairs.append(Pair(name: String(utf8: name), value: String(utf8: value)))
                }
            }
        }
        self.pairs = pairs
    }

    /// Calls `body` with each well-formed `name=value` pair of one `Cookie` field value, as bytes:
    /// pieces split at the byte `;` and trimmed (`HTTPSyntax.forEachElement`), the name ended by
    /// the first `=` byte. Not at characters: a `;` or `=` followed by a combining mark is one
    /// `Character` with it. A value in double quotes loses them.
    static func forEachPair(in field: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void) {
        HTTPSyntax.forEachElement(of: field, separatedBy: UInt8(ascii: ";")) { piece in
            guard let equals = piece.firstIndex(of: UInt8(ascii: "=")) else { return true }
            let name = HTTPSyntax.trimmingWhitespace(UnsafeBufferPointer(rebasing: piece[..<equals]))
            var value = HTTPSyntax.trimmingWhitespace(UnsafeBufferPointer(rebasing: piece[(equals + 1)...]))
            guard !name.isEmpty, name.allSatisfy(HTTPSyntax.isTokenChar) else { return true }
            if value.count >= 2, value[0] == UInt8(ascii: "\""), value[value.count - 1] == UInt8(ascii: "\"") {
                value = UnsafeBufferPointer(rebasing: value[1..<(value.count - 1)])
            }
            body(name, value)
            return true
        }
    }

    /// The value of the first cookie named `name`.
    ///
    /// ```swift
    /// request.cookies["theme"] ?? "light"
    /// ```
    public subscript(name: String) -> String? { pairs.first { $0.name == name }?.value }

    /// The index of the first pair.
    public var startIndex: Int { pairs.startIndex }
    /// One past the last pair.
    public var endIndex: Int { pairs.endIndex }
    /// The pair at `position`.
    public subscript(position: Int) -> Pair { pairs[position] }
}

extension Request {
    /// The cookies of the request's `Cookie` headers.
    ///
    /// ```swift
    /// request.cookies["session"]
    /// ```
    public var cookies: Cookies { Cookies(headers: headers) }
}

/// The byte rules of RFC 6265 §4.1.1.
package enum CookieSyntax {
    /// A `cookie-octet`: visible ASCII except `"`, `,`, `;` and `\`.
    package static func isCookieOctet(_ byte: UInt8) -> Bool {
        byte == 0x21 || (0x23...0x2B).contains(byte) || (0x2D...0x3A).contains(byte) || (0x3C...0x5B).contains(byte)
            || (0x5D...0x7E).contains(byte)
    }

    /// An attribute value (`Path`): any visible ASCII or space except `;`.
    static func isAttributeByte(_ byte: UInt8) -> Bool { (0x20...0x7E).contains(byte) && byte != UInt8(ascii: ";") }
}
