/// A middleware that works on whatever input flows through it and passes the same type on, such as
/// `ProcessTime` or `CORS`.
///
/// Write it as a plain (non-generic) struct with a generic `handle`; the `@MiddlewareBuilder` binds
/// it to the input type at its position, so users never spell a generic parameter.
///
/// ```swift
/// struct ServerHeader: PassThroughMiddleware {
///     func handle<Next: NextResponder>(_ input: Next.Input, next: Next) async throws -> Response {
///         var response = try await next(input)
///         response.headers["Server"] = "Trellis"
///         return response
///     }
/// }
/// ```
public protocol PassThroughMiddleware: Sendable {
    /// Handles `input`, calling `next` to run the rest of the pipeline.
    ///
    /// (An implementation may also spell it `func handle<Next: Responder>(…) where Next.Input:
    /// RequestInput, Next.Output == Response`, as earlier versions required.)
    func handle<Next: NextResponder>(_ input: Next.Input, next: Next) async throws -> Response

    /// Adds this middleware's lines to a pipeline's description (its name by default).
    func describe(into description: inout PipelineDescription)
}

extension PassThroughMiddleware {
    /// Lists the type's name.
    public func describe(into description: inout PipelineDescription) {
        description.addStep(String(describing: Self.self))
    }
}
