public import Trellis

/// What an authentication middleware (`BearerAuth`, `BasicAuth`, your own) adds to the input: the
/// user it established. Routes below read it as `input.user`, at any depth.
///
/// ```swift
/// Router.taking(With<Identity<User>, With<DBSession, Request>>.self) {
///     Get("/me") { input in input.user.name }
/// }
/// ```
public struct Identity<User: Sendable>: UserIdentity {
    /// Who sent the request.
    public let user: User

    /// The identity of `user`.
    ///
    /// ```swift
    /// let identity = Identity(user: User(name: "ada"))
    /// ```
    @inlinable public init(user: User) { self.user = user }
}

/// A value that names an authenticated user: an input that carries one offers `input.user`.
/// `Identity` is the one the catalog's middleware add; conform your own value to get the same name.
///
/// ```swift
/// struct Staff: UserIdentity { let user: Employee; let roles: [String] }
/// ```
public protocol UserIdentity: Sendable {
    /// The user's type.
    associatedtype User: Sendable
    /// The user.
    var user: User { get }
}

extension With where Value: UserIdentity {
    /// The authenticated user, from the nearest authentication middleware above.
    ///
    /// ```swift
    /// Get("/me") { input in input.user.name }
    /// ```
    @inlinable public var user: Value.User { value.user }
}

/// The input of routes directly below `BearerAuth`/`BasicAuth` on a plain `Request`: the request
/// plus the `Identity` the middleware established.
///
/// ```swift
/// Router.taking(Authenticated<User>.self) { Get("/me") { input in input.user.name } }
/// ```
public typealias Authenticated<User: Sendable> = With<Identity<User>, Request>
