/// Collects the routes of a `Router` or `Group` block. Every line is a `RouteComponent` whose handlers
/// take `Input`, so a handler's parameter type is known without annotation.
///
/// ```swift
/// Router {
///     Get("/") { _ in "Hello" }
///     if enableAdmin { Group("/admin") { Get("/stats") { _ in "…" } } }
///     for name in ["a", "b"] { Get("/\(name)") { _ in name } }
/// }
/// ```
@resultBuilder
public enum RouteBuilder<Input: RequestInput> {
    /// A route or group whose handlers take the block's input.
    @inlinable public static func buildExpression<C: RouteComponent>(_ component: C) -> [Route<Input>]
    where C.Input == Input {
        component.routes
    }

    /// The routes of every line, in order.
    @inlinable public static func buildBlock(_ components: [Route<Input>]...) -> [Route<Input>] {
        components.flatMap { $0 }
    }

    /// `if` without `else`.
    @inlinable public static func buildOptional(_ component: [Route<Input>]?) -> [Route<Input>] { component ?? [] }
    /// The `if` branch.
    @inlinable public static func buildEither(first component: [Route<Input>]) -> [Route<Input>] { component }
    /// The `else` branch.
    @inlinable public static func buildEither(second component: [Route<Input>]) -> [Route<Input>] { component }
    /// `for … in`.
    @inlinable public static func buildArray(_ components: [[Route<Input>]]) -> [Route<Input>] { components.flatMap { $0 } }
    /// `if #available`.
    @inlinable public static func buildLimitedAvailability(_ component: [Route<Input>]) -> [Route<Input>] { component }
}
