/// A value flowing through a pipeline that carries the HTTP request: `Request` itself, or a richer
/// input a middleware produced from it, such as `Authenticated<User>`.
///
/// Routers and pass-through middleware (`ProcessTime`, `CORS`) work on any `RequestInput`, so they
/// can sit before or after a middleware that changes the input type.
///
/// ```swift
/// struct Traced: RequestInput {
///     var request: Request
///     let traceID: String
/// }
/// ```
public protocol RequestInput: Sendable {
    /// The HTTP request this input carries.
    var request: Request { get set }
}
