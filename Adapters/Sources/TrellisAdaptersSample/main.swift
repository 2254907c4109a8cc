import Logging
import SampleApp
import ServiceLifecycle
import Tracing
import TrellisServer

// `swift run -c release --package-path Adapters TrellisAdaptersSample [PORT]`: the sample on
// 127.0.0.1 (8082 by default), stopped by SIGTERM or SIGINT through the ServiceGroup.
LoggingSystem.bootstrap(StreamLogHandler.standardOutput)
let logger = Logger(label: "trellis.sample")
let port = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 8082
let service = makeSampleService(
    configuration: ServerConfiguration(host: "127.0.0.1", port: port, threads: 1),
    logger: logger,
    tracer: InstrumentationSystem.tracer
)
let group = ServiceGroup(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
try await group.run()
