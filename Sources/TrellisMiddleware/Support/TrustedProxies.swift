public import Trellis
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The proxies whose `X-Forwarded-Proto` and `Forwarded` headers are believed: addresses or CIDR
/// ranges (`"127.0.0.1"`, `"10.0.0.0/8"`, `"::1"`, `"fd00::/8"`). A request from anyone else is
/// judged by its own connection, whatever headers it sends, so a client cannot claim HTTPS.
///
/// ```swift
/// let proxies = TrustedProxies(["10.0.0.0/8", "::1"])
/// HTTPSRedirect(proxies: proxies)
/// ```
public struct TrustedProxies: Sendable {
    struct Range: Sendable {
        let bytes: [UInt8]
        let prefix: Int
    }

    let ranges: [Range]
    /// Entries that did not parse (listed in a pipeline's description; they match nothing).
    public let invalidEntries: [String]

    /// Trust nobody: only the connection decides (the default).
    public static let none = TrustedProxies([])

    /// Trusts the listed addresses and ranges.
    ///
    /// ```swift
    /// TrustedProxies(["127.0.0.1", "192.168.0.0/16"])
    /// ```
    public init(_ entries: [String]) {
        var ranges: [Range] = []
        var invalid: [String] = []
        for entry in entries {
            let parts = entry.split(separator: "/", maxSplits: 1)
            guard let address = parts.first.flatMap({ IPAddress.parse(String($0)) }) else {
                invalid.append(entry)
                continue
            }
            var prefix = address.count * 8
            if parts.count == 2 {
                guard let given = Int(parts[1]), (0...prefix).contains(given) else {
                    invalid.append(entry)
                    continue
                }
                prefix = given
            }
            ranges.append(Range(bytes: address, prefix: prefix))
        }
        self.ranges = ranges
        invalidEntries = invalid
    }

    /// Whether `client` is one of the trusted proxies.
    ///
    /// ```swift
    /// proxies.contains(request.clientAddress)
    /// ```
    public func contains(_ client: ClientAddress?) -> Bool {
        guard !ranges.isEmpty, let client, let address = IPAddress.parse(client.host) else { return false }
        return ranges.contains { range in
            guard range.bytes.count == address.count else { return false }
            var remaining = range.prefix
            for index in 0..<address.count where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if range.bytes[index] & mask != address[index] & mask { return false }
                remaining -= bits
            }
            return true
        }
    }

    /// The scheme the client used: `https` when a trusted proxy says so (`Forwarded: proto=https`
    /// or `X-Forwarded-Proto: https`, the first hop's value), else `http` (this server speaks plain HTTP).
    ///
    /// ```swift
    /// if proxies.scheme(of: request) == "https" { … }
    /// ```
    public func scheme(of request: Request) -> String {
        guard contains(request.clientAddress) else { return "http" }
        if let forwarded = request.headers[.forwarded] {
            let firstHop = forwarded.split(separator: ",", maxSplits: 1).first ?? ""
            for pair in firstHop.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingHTTPWhitespace().lowercased() == "proto" {
                    let value = parts[1].trimmingHTTPWhitespace().trimming { $0 == "\"" }.lowercased()
                    return value == "https" ? "https" : "http"
                }
            }
        }
        if let proto = request.headers[.xForwardedProto] {
            let first = proto.split(separator: ",", maxSplits: 1).first?.trimmingHTTPWhitespace().lowercased()
            return first == "https" ? "https" : "http"
        }
        return "http"
    }
}

/// IPv4 and IPv6 addresses in binary form.
enum IPAddress {
    /// 4 or 16 bytes, or `nil` when `text` is not an IP address (IPv6 may be in brackets).
    static func parse(_ text: String) -> [UInt8]? {
        var text = Substring(text)
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        if let percent = text.firstIndex(of: "%") { text = text[..<percent] }  // zone id
        var v4 = in_addr()
        if inet_pton(AF_INET, String(text), &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, String(text), &v6) == 1 {
            let bytes = withUnsafeBytes(of: &v6) { Array($0) }
            // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is that IPv4 address.
            if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF { return Array(bytes[12..<16]) }
            return bytes
        }
        return nil
    }
}
