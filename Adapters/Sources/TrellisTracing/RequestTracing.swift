public import Trellis
public import Tracing
import Instrumentation

/// A server span per request through swift-distributed-tracing: the caller's trace context is
/// extracted from the request headers (W3C `traceparent`/`tracestate` with an OpenTelemetry tracer
/// such as swift-otel's; whatever the bootstrapped instrument propagates otherwise), the span is
/// named `METHOD /route/{pattern}` once the router has matched, and carries OpenTelemetry's HTTP
/// server attributes: `http.request.method`, `url.path`, `url.query`, `url.scheme`,
/// `user_agent.original`, `client.address`, `http.route`, `http.response.status_code`; a 5xx or a
/// thrown error sets the span's status to error. Handlers below run with the span's context as
/// `ServiceContext.current`, so their own spans become its children.
///
/// ```swift
/// Pipeline {
///     RequestTracing()              // InstrumentationSystem.tracer
///     Router { Get("/items/{id}") { _ in "…" } }
/// }
/// ```
public struct RequestTracing: PassThroughMiddleware {
    @usableFromInline let tracer: any Tracer

    /// Spans from `tracer` (the bootstrapped `InstrumentationSystem.tracer` by default).
    public init(tracer: any Tracer = InstrumentationSystem.tracer) { self.tracer = tracer }

    /// Runs the rest of the pipeline inside the request's server span.
    @inlinable public func handle<Next: NextResponder>(_ input: Next.Input, next: Next) async throws -> Response {
        let request = input.request
        var context = ServiceContext.current ?? .topLevel
        tracer.extract(request.headers, into: &context, using: HTTPHeadersExtractor())
        let span = tracer.startSpan(request.method.rawValue, context: context, ofKind: .server)
        // One read and one write of the span's attributes per batch (a tracer's span keeps them
        // behind a lock; each `span.attributes[key] = value` would copy them twice).
        span.updateAttributes { attributes in
            attributes["http.request.method"] = request.method.rawValue
            attributes["url.path"] = request.path
            attributes["url.scheme"] = "http"
            if let query = request.target.split(separator: "?", maxSplits: 1).dropFirst().first { attributes["url.query"] = String(query) }
            if let agent = request.headers["User-Agent"] { attributes["user_agent.original"] = agent }
            if let client = request.clientAddress { attributes["client.address"] = client.host }
        }
        defer { span.end() }
        let response: Response
        do {
            response = try await ServiceContext.$current.withValue(span.context) { try await next(input) }
        } catch {
            span.recordError(error)
            span.updateAttributes { $0["http.response.status_code"] = 500 }
            span.setStatus(SpanStatus(code: .error))
            throw error
        }
        if let route = request.route { span.operationName = "\(request.method.rawValue) \(route)" }
        span.updateAttributes { attributes in
            if let route = request.route { attributes["http.route"] = route }
            attributes["http.response.status_code"] = response.status.code
        }
        if response.status.code >= 500 { span.setStatus(SpanStatus(code: .error)) }
        return response
    }

    /// Lists `RequestTracing`.
    public func describe(into description: inout PipelineDescription) { description.addStep("RequestTracing") }
}

/// Reads trace-context fields from a request's headers.
@usableFromInline struct HTTPHeadersExtractor: Extractor {
    @inlinable init() {}
    @inlinable func extract(key: String, from carrier: HTTPHeaders) -> String? { carrier[HTTPHeaders.Name(key)] }
}
