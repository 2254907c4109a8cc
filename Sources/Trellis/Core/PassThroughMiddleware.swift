/// A middleware that works on whatever input flows through it and passes the same type on, such as
/// `ProcessTime` or `CORS`.
///
/// Write it as a plain (non-generic) struct with a generic `handle`; the `@MiddlewareBuilder` binds
/// it to the input type at its position, so users never spell a generic parameter.
///
/// ```swift
/// struct ServerHeader: PassThroughMiddleware {
///     func handle<Next: Responder>(_ input: Next.Input, next: Next) async throws -> Response
///     where Next.Input: RequestInput, Next.Output == Response {
///         var response = try await next(input)
///         response.headers["Server"] = "Trellis"
///         return response
///     }
/// }
/// ```
public protocol PassThroughMiddleware: Sendable {
    /// Handles `input`, calling `next` to run the rest of the pipeline.
    func handle<Next: Responder>(_ input: Next.Input, next: Next) async throws -> Response
    where Next.Input: RequestInput, Next.Output == Response

    /// Adds this middleware's lines to a pipeline's description (its name by default).
    func describe(into description: inout PipelineDescription)
}

extension PassThroughMiddleware {
    /// Lists the type's name.
    public func describe(into description: inout PipelineDescription) {
        description.addStep(String(describing: Self.self))
    }
}
