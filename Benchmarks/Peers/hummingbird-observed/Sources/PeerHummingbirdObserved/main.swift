// The Hummingbird 2 reference app (ProcessTime → CORS → routes) with Hummingbird's MetricsMiddleware
// and TracingMiddleware in front, a swift-log logger per request (Hummingbird gives every request
// one with its request id), and the backends Trellis's observed server uses.
import BenchmarkObservability
import Foundation
import HTTPTypes
import Hummingbird
import Instrumentation
import Logging
import Metrics

struct ProcessTimeMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        response.headers[HTTPField.Name("X-Process-Time")!] = String(seconds)
        return response
    }
}

struct Item: ResponseEncodable {
    let item_id: Int
    let q: String?

    enum CodingKeys: String, CodingKey { case item_id, q }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(item_id, forKey: .item_id)
        try container.encode(q, forKey: .q)
    }
}

let port = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 8086
MetricsSystem.bootstrap(CountingMetrics())
InstrumentationSystem.bootstrap(CountingTracer())
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = .info
    return handler
}

let router = Router()
router.add(middleware: MetricsMiddleware())
router.add(middleware: TracingMiddleware())
router.add(middleware: ProcessTimeMiddleware())
router.add(middleware: CORSMiddleware(
    allowOrigin: .oneOf("https://example.com", "http://localhost:3000"),
    allowHeaders: [.contentType, .authorization, HTTPField.Name("X-Requested-With")!],
    allowMethods: [.get, .post, .put, .delete, .options],
    allowCredentials: true,
    exposedHeaders: ["X-Process-Time"],
    maxAge: .seconds(600)
))
router.get("/") { _, context in
    context.logger.debug("hello")
    return "Hello, World!"
}
router.get("/items/{item_id}") { request, context -> Item in
    let id = try context.parameters.require("item_id", as: Int.self)
    return Item(item_id: id, q: request.uri.queryParameters.get("q"))
}

var logger = Logger(label: "peer-hummingbird-observed")
logger.logLevel = .info
let app = Application(
    router: router,
    configuration: .init(address: .hostname("127.0.0.1", port: port)),
    logger: logger
)
try await app.runService()
