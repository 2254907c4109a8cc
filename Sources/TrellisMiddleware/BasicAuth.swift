public import Trellis
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Adds the `Identity` of the user whose `Authorization: Basic <base64(user:password)>` (RFC 7617)
/// `verify` accepts to the input, whatever typed input reaches it.
///
/// A missing or malformed header, or credentials `verify` rejects (returns `nil`), get
/// `401 Unauthorized` with `WWW-Authenticate: Basic realm="…", charset="UTF-8"`, which makes a
/// browser ask for a password. Compare the password with `ConstantTime.equals`, never `==`.
///
/// ```swift
/// Pipeline {
///     BasicAuth(realm: "admin") { user, password in
///         user == "admin" && ConstantTime.equals(password, adminPassword) ? Admin() : nil
///     }
///     Router.taking(Authenticated<Admin>.self) { Get("/") { _ in "welcome" } }
/// }
/// ```
public struct BasicAuth<User: Sendable>: ProvidingMiddleware {
    @usableFromInline let verify: @Sendable (String, String) async throws -> User?
    @usableFromInline let challenge: String
    /// The realm named in the challenge.
    public let realm: String

    /// Authenticates user names and passwords with `verify`.
    ///
    /// ```swift
    /// BasicAuth(realm: "staff") { user, password in await directory.check(user, password) }
    /// ```
    public init(realm: String = "Restricted", _ verify: @escaping @Sendable (_ user: String, _ password: String) async throws -> User?) {
        self.realm = realm
        self.verify = verify
        challenge = "Basic realm=" + ChallengeQuoting.quote(realm) + ", charset=\"UTF-8\""
    }

    /// The identity of the request's credentials, or a 401.
    @inlinable public func value(for request: Request) async throws -> Identity<User> {
        guard let (user, password) = Self.credentials(in: request.headers), let authenticated = try await verify(user, password) else {
            throw HTTPError(.unauthorized, "Authentication required.", headers: [.wwwAuthenticate: challenge])
        }
        return Identity(user: authenticated)
    }

    /// The user name and password of the single `Authorization: Basic …` field, or `nil` when it is
    /// missing, repeated, not base64, not UTF-8, or has no `:`.
    ///
    /// ```swift
    /// BasicAuth<String>.credentials(in: [.authorization: "Basic YWRhOnNlY3JldA=="]) // ("ada", "secret")
    /// ```
    public static func credentials(in headers: HTTPHeaders) -> (user: String, password: String)? {
        guard let encoded = AuthorizationHeader.credentials(scheme: "basic", in: headers), encoded.count <= 4096, let data = Data(base64Encoded: String(encoded)),
            let decoded = String(data: data, encoding: .utf8),
            // The first `:` byte: as a Character, a `:` followed by a combining mark (a password
            // that starts with one) would be one with it, and not found.
            let colon = decoded.utf8.firstIndex(of: UInt8(ascii: ":"))
        else { return nil }
        let user = String(decoded.utf8[..<colon]) ?? ""
        let password = String(decoded.utf8[decoded.utf8.index(after: colon)...]) ?? ""
        guard !user.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
        return (user, password)
    }

    /// Lists `BasicAuth<User>`.
    public func describe(into description: inout PipelineDescription) {
        description.addStep("BasicAuth<\(User.self)>")
        description.declareSecurity(.basic)
    }
}

/// Quoting for `WWW-Authenticate` parameters (RFC 9110 §5.6.4): backslash-escapes `"` and `\`,
/// drops control bytes.
enum ChallengeQuoting {
    static func quote(_ value: String) -> String {
        var quoted = "\""
        for character in value.unicodeScalars where character.value >= 0x20 && character.value != 0x7F {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.unicodeScalars.append(character)
        }
        return quoted + "\""
    }
}
