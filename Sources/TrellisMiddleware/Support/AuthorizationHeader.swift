import Trellis
/// Reads the credentials of an `Authorization` field (RFC 9110 §11.6.2): `<scheme> <credentials>`.
enum AuthorizationHeader {
    /// The credentials of the single `Authorization` field when its scheme is `scheme` (compared
    /// case-insensitively), trimmed; `nil` when the field is missing, repeated or of another scheme.
    static func credentials(scheme: String, in headers: HTTPHeaders) -> Substring? {
        guard headers.count(of: .authorization) == 1, let value = headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == scheme else { return nil }
        return parts[1].trimmingHTTPWhitespace()
    }
}
