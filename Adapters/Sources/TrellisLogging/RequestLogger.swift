public import Logging
public import Trellis

/// Gives every request its own swift-log `Logger`, carrying the request's id (from `RequestID`
/// above it) as `request_id` metadata, plus its method and path. Routes below read it as
/// `input.logger`, composed like any other provided value.
///
/// ```swift
/// Pipeline {
///     RequestID()
///     RequestLogger(Logger(label: "shop"))
///     Router.taking(With<Logger, Request>.self) {
///         Get("/") { input in
///             input.logger.info("hello")      // request_id=… http.method=GET url.path=/
///             return "hi"
///         }
///     }
/// }
/// ```
public struct RequestLogger: ProvidingMiddleware {
    @usableFromInline let logger: Logger

    /// Request loggers made from `logger` (its label, level, handler and metadata).
    public init(_ logger: Logger) { self.logger = logger }

    /// `logger` with this request's metadata.
    @inlinable public func value(for request: Request) async throws -> Logger {
        var logger = self.logger
        // One write of the handler's metadata, not one per key: a handler may do work on each
        // (swift-log's StreamLogHandler re-renders all of its metadata).
        var metadata = logger.handler.metadata
        if let id = request.id { metadata["request_id"] = .string(id) }
        metadata["http.method"] = .string(request.method.rawValue)
        metadata["url.path"] = .string(request.path)
        logger.handler.metadata = metadata
        return logger
    }

    /// Lists `RequestLogger(label)`.
    public func describe(into description: inout PipelineDescription) {
        description.addStep("RequestLogger(\(logger.label))")
    }
}

extension With where Value == Logger {
    /// The request's logger, from the `RequestLogger` above (at any depth).
    ///
    /// ```swift
    /// Get("/orders") { input in input.logger.info("listing"); return "[]" }
    /// ```
    @inlinable public var logger: Logger { value }
}
