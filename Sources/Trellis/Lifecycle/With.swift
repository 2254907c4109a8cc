/// An input that carries a value a providing middleware (`Provide`, `BearerAuth`, `BasicAuth`, your
/// own `ProvidingMiddleware`) added on top of the input above it: `With<DBSession, Request>`,
/// `With<Identity<User>, With<DBSession, Request>>`, ….
///
/// Every value stays readable below its producer, whatever was added after it:
/// - by name: `input.user` (from `BearerAuth`/`BasicAuth`), or a name you give your own value with
///   one line, `extension With where Value == DBSession { var session: DBSession { value } }`;
/// - by type: `input[DBSession.self]` (up to six providers deep);
/// - the nearest one as `input.value`; request properties (`input.headers`, `input.query`) read through.
///
/// A handler that reads a value compiles only below the middleware that provides it.
///
/// ```swift
/// extension With where Value == DBSession { var session: DBSession { value } }
///
/// Router.taking(With<Identity<User>, With<DBSession, Request>>.self) {
///     Get("/orders") { input in try await input.session.orders(of: input.user) }
/// }
/// ```
@dynamicMemberLookup
public struct With<Value: Sendable, Base: RequestInput>: RequestInput {
    /// The input above the provider.
    public var base: Base
    /// The provided value.
    public let value: Value

    /// Adds `value` to `base`.
    ///
    /// ```swift
    /// let input = With(base: request, value: Session())
    /// ```
    @inlinable public init(base: Base, value: Value) {
        self.base = base
        self.value = value
    }

    /// The HTTP request, read and written through the base (lent, not copied).
    @inlinable public var request: Request {
        _read { yield base.request }
        _modify { yield &base.request }
    }

    /// Reads a property of the base: `input.user`, `input.headers`, `input.query`, ….
    @inlinable public subscript<T>(dynamicMember keyPath: KeyPath<Base, T>) -> T { base[keyPath: keyPath] }

    /// The provided value, by type.
    ///
    /// ```swift
    /// let session = input[Session.self]
    /// ```
    @inlinable public subscript(_ type: Value.Type) -> Value { value }

    /// A value provided one level further up, by type.
    @inlinable public subscript<V2, B2>(_ type: V2.Type) -> V2 where Base == With<V2, B2> { base.value }

    /// A value provided two levels further up, by type.
    @inlinable public subscript<V2, V3, B3>(_ type: V3.Type) -> V3 where Base == With<V2, With<V3, B3>> {
        base.base.value
    }

    /// A value provided three levels further up, by type.
    @inlinable public subscript<V2, V3, V4, B4>(_ type: V4.Type) -> V4
    where Base == With<V2, With<V3, With<V4, B4>>> {
        base.base.base.value
    }

    /// A value provided four levels further up, by type.
    @inlinable public subscript<V2, V3, V4, V5, B5>(_ type: V5.Type) -> V5
    where Base == With<V2, With<V3, With<V4, With<V5, B5>>>> {
        base.base.base.base.value
    }

    /// A value provided five levels further up, by type.
    @inlinable public subscript<V2, V3, V4, V5, V6, B6>(_ type: V6.Type) -> V6
    where Base == With<V2, With<V3, With<V4, With<V5, With<V6, B6>>>>> {
        base.base.base.base.base.value
    }
}
