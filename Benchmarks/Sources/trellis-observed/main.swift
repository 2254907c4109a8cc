// The reference app (ProcessTime → CORS → routes) with the ecosystem adapters on the request path —
// RequestTracing (a server span per request), RequestLogger (a swift-log logger per request with
// its request id), RequestMetrics as the server's observer (Hummingbird's metric names) — and the
// backends Hummingbird's observed peer uses (Peers/ObservabilityBackends). The Trellis side of
// Benchmarks/compare-observed.sh.
//
//   trellis-observed [--port 8087] [--threads 1]
import BenchmarkObservability
import Instrumentation
import Logging
import Metrics
import Trellis
import TrellisLogging
import TrellisMetrics
import TrellisMiddleware
import TrellisReferenceApp
import TrellisServer
import TrellisTracing

#if canImport(Glibc)
import Glibc
#endif

var configuration = ServerConfiguration(host: "127.0.0.1", port: 8087, threads: 1)
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    switch (flag, arguments.popFirst().flatMap { Int($0) }) {
    case ("--port", let number?): configuration.port = number
    case ("--threads", let number?): configuration.threads = number
    default:
        print("usage: trellis-observed [--port N] [--threads N]")
        exit(2)
    }
}

MetricsSystem.bootstrap(CountingMetrics())
InstrumentationSystem.bootstrap(CountingTracer())
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = .info
    return handler
}
var logger = Logger(label: "trellis-observed")
logger.logLevel = .info

let app = Pipeline {
    RequestID()
    RequestTracing()
    ProcessTime()
    ReferenceApp.cors()
    RequestLogger(logger)
    Router.taking(With<Logger, Request>.self) {
        Get("/") { input in
            input.logger.debug("hello")
            return "Hello, World!"
        }
        Get("/items/{item_id}") { input in
            Item(itemID: try input.request.parameters.require("item_id", as: Int.self), q: input.request.query["q"])
        }
    }
}
configuration.observer = RequestMetrics()
configuration.announces = false
let server = try HTTPServer.start(app, configuration: configuration)
server.stopOnSignals()
await server.waitUntilStopped()
