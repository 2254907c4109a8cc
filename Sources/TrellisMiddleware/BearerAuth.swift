public import Trellis
/// The bearer-token middleware's first name; the same type as `BearerAuth`.
///
/// ```swift
/// Authenticate { token in token == "secret" ? User(name: "ada") : nil }
/// ```
public typealias Authenticate<User: Sendable> = BearerAuth<User>

/// Adds the `Identity` of the user whose `Authorization: Bearer <token>` `verify` accepts to the
/// input, whatever typed input reaches it (`Request`, `With<DBSession, Request>`, …).
///
/// A missing or malformed header, or a token `verify` does not accept (returns `nil`), gets
/// `401 Unauthorized` with `WWW-Authenticate: Bearer` (with `realm="…"` when given, plus
/// `error="invalid_token"` for a rejected token). Routes below it read `input.user`; a route that
/// reads it anywhere else fails to compile. Compare secrets with `ConstantTime.equals`, not `==`.
///
/// ```swift
/// Pipeline {
///     BearerAuth(realm: "api") { token in ConstantTime.equals(token, apiToken) ? User(name: "ada") : nil }
///     Router.taking(Authenticated<User>.self) { Get("/me") { input in input.user.name } }
/// }
/// ```
public struct BearerAuth<User: Sendable>: ProvidingMiddleware {
    @usableFromInline let verify: @Sendable (String) async throws -> User?
    @usableFromInline let challenge: String
    @usableFromInline let invalidChallenge: String

    /// Authenticates bearer tokens with `verify`, which returns the token's user or `nil`.
    ///
    /// ```swift
    /// BearerAuth { token in await sessions.user(for: token) }
    /// BearerAuth(realm: "api") { token in await sessions.user(for: token) }
    /// ```
    public init(realm: String? = nil, _ verify: @escaping @Sendable (_ token: String) async throws -> User?) {
        self.verify = verify
        let realmParameter = realm.map { "realm=" + ChallengeQuoting.quote($0) }
        challenge = "Bearer" + (realmParameter.map { " " + $0 } ?? "")
        invalidChallenge = "Bearer " + (realmParameter.map { $0 + ", " } ?? "") + "error=\"invalid_token\""
    }

    /// The identity of the request's bearer token, or a 401.
    @inlinable public func value(for request: Request) async throws -> Identity<User> {
        guard let token = Self.bearerToken(in: request.headers) else {
            throw HTTPError(.unauthorized, "Missing bearer token.", headers: [.wwwAuthenticate: challenge])
        }
        guard let user = try await verify(token) else {
            throw HTTPError(.unauthorized, "Invalid bearer token.", headers: [.wwwAuthenticate: invalidChallenge])
        }
        return Identity(user: user)
    }

    /// The token of the single `Authorization: Bearer <token>` field, or `nil`.
    @usableFromInline static func bearerToken(in headers: HTTPHeaders) -> String? {
        guard let token = AuthorizationHeader.credentials(scheme: "bearer", in: headers) else { return nil }
        return token.isEmpty || token.contains(" ") ? nil : String(token)
    }

    /// Lists `BearerAuth<User>`.
    public func describe(into description: inout PipelineDescription) {
        description.addStep("BearerAuth<\(User.self)>")
        description.declareSecurity(.bearer)
    }
}
