/// An input that carries a value a `Provide` step produced, on top of the input above it:
/// `With<Session, Request>`, `With<Session, Authenticated<User>>`, `With<Cache, With<Session, Request>>`.
///
/// Read the value with `input.value`, or by type (`input[Session.self]`, up to four levels deep);
/// everything the base offers (`input.user`, `input.headers`, …) reads through. A handler that takes
/// a `With<Session, …>` only compiles below the `Provide` that makes one.
///
/// ```swift
/// Router.taking(With<Session, Authenticated<User>>.self) {
///     Get("/orders") { input in try await input.value.orders(of: input.user) }
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

    /// The HTTP request, read and written through the base.
    @inlinable public var request: Request {
        get { base.request }
        set { base.request = newValue }
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
}
