public import Trellis
/// A lower request-body limit for everything below it (a group, or the whole pipeline), on top of
/// the server's `maxBodyBytes` ceiling.
///
/// - A body announced larger (`Content-Length`) is answered `413` at once, before a byte of it is
///   read and without `100 Continue`; the server then closes the connection (lingering, so the
///   client reads the answer): a refused body is never read to keep the connection.
/// - A chunked body that grows past the limit mid-way fails the handler's read with `413`
///   (`collect()`, `decode(_:)`, iteration).
/// - `requireLength: true` answers a chunked body (no `Content-Length`) with `411 Length Required`.
///
/// ```swift
/// Router {
///     Group("/upload", middleware: BodyLimit(maxBytes: 10 << 20)) { Post("/") { request in "\(try await request.body.collect().count)" } }
/// }
/// ```
public struct BodyLimit: PassThroughMiddleware {
    /// The most bytes a body may have.
    public let maxBytes: Int
    /// Whether a body without a `Content-Length` is refused with 411.
    public let requireLength: Bool

    /// Limits bodies below it to `maxBytes` (negative counts as 0).
    ///
    /// ```swift
    /// BodyLimit(maxBytes: 64 * 1024)
    /// BodyLimit(maxBytes: 1 << 20, requireLength: true)
    /// ```
    public init(maxBytes: Int, requireLength: Bool = false) {
        self.maxBytes = max(0, maxBytes)
        self.requireLength = requireLength
    }

    /// Refuses what is announced too large (or unannounced, with `requireLength`); lowers the limit for the rest.
    @inlinable public func handle<Next: NextResponder>(_ input: Next.Input, next: Next) async throws -> Response {
        var input = input
        input.request.body.limit(to: maxBytes)
        if let length = input.request.body.expectedLength {
            if length > maxBytes {
                // Tell the server the body is not wanted, so it is neither invited nor read.
                await input.request.body.refuse()
                return Response(error: HTTPError(.contentTooLarge, "Request body larger than \(maxBytes) bytes."))
            }
        } else if requireLength {
            await input.request.body.refuse()
            return Response(error: HTTPError(.lengthRequired, "Send the body with a Content-Length."))
        }
        return try await next(input)
    }

    /// Lists `BodyLimit(N bytes)`.
    public func describe(into description: inout PipelineDescription) {
        description.addStep("BodyLimit(\(maxBytes) bytes\(requireLength ? ", length required" : ""))")
        description.declareResponse(.contentTooLarge, "The body is larger than \(maxBytes) bytes.")
        if requireLength { description.declareResponse(.lengthRequired, "The request has no Content-Length.") }
    }
}
