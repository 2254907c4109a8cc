public import Logging
public import Trellis
public import TrellisServer
import TrellisLogging
public import TrellisMetrics
import TrellisMiddleware
import TrellisServiceLifecycle
public import ServiceLifecycle
public import Tracing
import TrellisTracing

struct Item: Encodable, Sendable {
    let id: Int
    let name: String
}

/// The ecosystem sample's app: request ids, a server span per request, timing, and a swift-log
/// `Logger` per request that handlers read as `input.logger`.
public func makeSampleApp(logger: Logger, tracer: any Tracer) -> some Responder<Request, Response> {
    Pipeline(reporter: .logging(to: logger)) {
        RequestID()
        RequestTracing(tracer: tracer)
        ProcessTime()
        RequestLogger(logger)
        Router.taking(With<Logger, Request>.self) {
            Get("/") { input in
                input.logger.info("greeting")
                return "Hello from Trellis with swift-log, swift-metrics and tracing"
            }
            Get("/items/{id}") { input in
                let id = try input.parameters.require("id", as: Int.self)
                input.logger.debug("item requested", metadata: ["item.id": .stringConvertible(id)])
                return Item(id: id, name: "item \(id)")
            }
        }
    }
}

/// The sample as a `Service`: access log and server events through `logger`, request metrics
/// through `metrics` (the bootstrapped `MetricsSystem.factory` by default).
public func makeSampleService(
    configuration: ServerConfiguration,
    logger: Logger,
    tracer: any Tracer,
    metrics: RequestMetrics = RequestMetrics(),
    onStart: @escaping @Sendable (HTTPServer) -> Void = { _ in }
) -> some Service {
    var configuration = configuration
    configuration.observer = RequestObservers([AccessLogging(logger), metrics])
    configuration.events = .logging(to: logger)
    return HTTPServerService(makeSampleApp(logger: logger, tracer: tracer), configuration: configuration, onStart: onStart)
}
