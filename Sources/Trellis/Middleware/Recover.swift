/// Turns errors of one type into responses of your choosing, wherever below it they are thrown:
/// a typed error handler, composed like any middleware (FastAPI's `@app.exception_handler`).
///
/// It handles a `Failure` thrown through `next`, and also a `Failure` that already became a
/// response below it (an `HTTPResponseError`'s own response carries its error), so a `Recover`
/// can restyle those too. Other errors and responses pass through unchanged.
///
/// ```swift
/// Pipeline {
///     Recover { (error: PaymentError, request) in
///         Response.text("Payment declined: \(error.reason)", status: .paymentRequired)
///     }
///     Router { Post("/pay") { _ in throw PaymentError(reason: "card expired") } }
/// }
/// ```
public struct Recover<Failure: Error>: PassThroughMiddleware {
    /// Makes the response for an error and the request it happened in.
    public typealias Handler = @Sendable (_ error: Failure, _ request: Request) async throws -> Response

    @usableFromInline let handler: Handler

    /// Recovers from `Failure` errors with `handler`.
    ///
    /// ```swift
    /// Recover { (error: DatabaseError, _) in Response.text("Try again later.", status: .serviceUnavailable) }
    /// ```
    public init(_ handler: @escaping Handler) { self.handler = handler }

    /// Runs `next`; a `Failure`, thrown or carried by the response, gets the handler's response.
    @inlinable public func handle<Next: NextResponder>(_ input: Next.Input, next: Next) async throws -> Response {
        let response: Response
        do {
            response = try await next.respond(to: input)
        } catch let error as Failure {
            return try await handler(error, input.request)
        }
        if response.failure != nil, let error = response.error as? Failure {
            return try await handler(error, input.request)
        }
        return response
    }

    /// Lists `Recover<Failure>`.
    public func describe(into description: inout PipelineDescription) { description.addStep("Recover<\(Failure.self)>") }
}
