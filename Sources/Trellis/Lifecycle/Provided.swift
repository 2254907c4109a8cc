/// A `ProvidingMiddleware` bound to the input flowing at its position: takes `Base`, hands on
/// `With<Provider.Value, Base>`.
///
/// The `@MiddlewareBuilder` makes one from a `Provide`, `BearerAuth`, … line, so no generic
/// parameter is spelled out.
///
/// ```swift
/// let app = Pipeline { Provide { _ in 42 }; Router.taking(With<Int, Request>.self) { Get("/") { input in "\(input.value)" } } }
/// // Pipeline<Applied<Provided<Provide<Int>, Request>, Router<With<Int, Request>>>>
/// ```
public struct Provided<Provider: ProvidingMiddleware, Base: RequestInput>: Middleware {
    /// What this step takes.
    public typealias Input = Base
    /// What this step returns.
    public typealias Output = Response
    /// What this step hands on.
    public typealias NextInput = With<Provider.Value, Base>
    /// What `next` returns.
    public typealias NextOutput = Response

    @usableFromInline let provider: Provider

    /// Binds `provider` to `Base`.
    @inlinable init(_ provider: Provider) { self.provider = provider }

    /// Makes the value and runs the rest of the pipeline with it; a refusal the provider throws
    /// (`HTTPError`, …) comes back as its response.
    @inlinable public func handle<Next: Responder>(_ input: Base, next: Next) async throws -> Response
    where Next.Input == With<Provider.Value, Base>, Next.Output == Response {
        let value: Provider.Value
        do {
            value = try await provider.value(for: input.request)
        } catch let error as any HTTPResponseError {
            return Response(error: error)
        }
        return try await next.respond(to: With(base: input, value: value))
    }

    /// Describes the provider.
    public func describe(into description: inout PipelineDescription) { provider.describe(into: &description) }
}
