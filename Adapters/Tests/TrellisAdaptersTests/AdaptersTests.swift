import Foundation
import HTTPTypes
import InMemoryLogging
import InMemoryTracing
import Logging
import MetricsTestKit
import SampleApp
import ServiceLifecycle
import Synchronization
import Testing
import Trellis
import TrellisHTTPTypes
import TrellisLogging
import TrellisMetrics
import TrellisMiddleware
import TrellisServer
import TrellisServiceLifecycle
import TrellisTesting
import TrellisTracing

#if canImport(Glibc)
import Glibc
#endif

/// One blocking HTTP/1.1 exchange over loopback (`Connection: close`), for tests that need the
/// server's observer path. Bounded by a 5 s socket timeout.
func fetch(port: Int, _ path: String, headers: String = "") throws -> String {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var timeout = timeval(tv_sec: 5, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    let request = Array("GET \(path) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\(headers)\r\n".utf8)
    _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    var received: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count <= 0 { break }
        received += chunk[0..<count]
    }
    return String(decoding: received, as: UTF8.self)
}

func quietConfiguration() -> ServerConfiguration {
    var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, threads: 1)
    configuration.announces = false
    return configuration
}

struct Product: Codable, Sendable { let name: String }

@Suite struct LoggingTests {
    @Test func eachRequestHasALoggerWithItsRequestID() async throws {
        let handler = InMemoryLogHandler()
        let logger = Logger(label: "shop") { _ in handler }
        let app = Pipeline {
            RequestID()
            RequestLogger(logger)
            Router.taking(With<Logger, Request>.self) {
                Get("/") { input in
                    input.logger.info("hello")
                    return "hi"
                }
            }
        }
        let response = try await app.test { try await $0.get("/") }
        let entry = try #require(handler.entries.first)
        #expect(entry.message == "hello")
        #expect(entry.metadata["request_id"] == .string(response.headers["X-Request-ID"] ?? "?"))
        #expect(entry.metadata["url.path"] == .string("/"))
    }

    @Test func errorsServerEventsAndTheAccessLogGoThroughSwiftLog() async throws {
        let handler = InMemoryLogHandler()
        let logger = Logger(label: "server") { _ in handler }
        struct Boom: Error {}
        let app = Pipeline(reporter: .logging(to: logger)) {
            Router {
                Get("/boom") { _ -> String in throw Boom() }
                Get("/items/{id}") { _ in "item" }
            }
        }
        var configuration = quietConfiguration()
        configuration.events = .logging(to: logger)
        configuration.observer = AccessLogging(logger)
        let server = try HTTPServer.start(app, configuration: configuration)
        _ = try fetch(port: server.port, "/items/3")
        _ = try fetch(port: server.port, "/boom")
        await server.shutdown()
        let entries = handler.entries
        #expect(entries.first?.message == "started 127.0.0.1:\(server.port) (1 loops)")
        #expect(entries.contains { $0.level == .error && $0.metadata["url.path"] == .string("/boom") })
        let access = try #require(entries.first { $0.message == "GET /items/3 200" })
        #expect(access.metadata["http.route"] == .string("/items/{id}"))
        #expect(entries.last?.message == "stopped")
    }
}

@Suite struct MetricsTests {
    @Test func countersTimersAndActiveRequestsCarryHummingbirdsNames() async throws {
        let metrics = TestMetrics()
        let app = Pipeline { Router { Get("/items/{id}") { _ in "item" } } }
        var configuration = quietConfiguration()
        configuration.observer = RequestMetrics(factory: metrics)
        let server = try HTTPServer.start(app, configuration: configuration)
        _ = try fetch(port: server.port, "/items/1")
        _ = try fetch(port: server.port, "/items/2")
        _ = try fetch(port: server.port, "/missing")
        await server.shutdown()
        let ok = [("http.route", "/items/{id}"), ("http.request.method", "GET"), ("http.response.status_code", "200")]
        #expect(try metrics.expectCounter("hb.requests", ok).totalValue == 2)
        #expect(try metrics.expectTimer("http.server.request.duration", ok).values.count == 2)
        let missing = [("http.route", "NotFound"), ("http.request.method", "GET"), ("error.type", "404")]
        #expect(try metrics.expectCounter("hb.request.errors", missing).totalValue == 1)
        let active = try metrics.expectMeter("http.server.active_requests", [("http.request.method", "GET")])
        #expect(active.lastValue == 0)
    }
}

@Suite struct TracingTests {
    @Test func aServerSpanPerRequestNamedByItsRouteAndChildOfTheCaller() async throws {
        let tracer = InMemoryTracer()
        let app = Pipeline {
            RequestTracing(tracer: tracer)
            Router { Get("/items/{id}") { _ in "item" } }
        }
        let response = try await app.test { client in
            try await client.get("/items/7?q=x", headers: [
                HTTPHeaders.Name(InMemoryTracer.traceIDKey): "trace-1", HTTPHeaders.Name(InMemoryTracer.spanIDKey): "span-0",
            ])
        }
        #expect(response.status == .ok)
        let span = try #require(tracer.finishedSpans.first)
        #expect(span.operationName == "GET /items/{id}")
        #expect(span.traceID == "trace-1")
        #expect(span.spanContext.parentSpanID == "span-0")
        #expect(span.attributes["http.route"]?.toSpanAttribute() == "/items/{id}")
        #expect(span.attributes["http.response.status_code"]?.toSpanAttribute() == 200)
        #expect(span.attributes["url.query"]?.toSpanAttribute() == "q=x")
    }
}

@Suite struct ServiceLifecycleTests {
    /// The server as a Service in a ServiceGroup that listens for SIGUSR2: raising it drains the
    /// server and the group returns (the signal path swift-service-lifecycle takes on Linux).
    @Test func aSignalToTheServiceGroupDrainsTheServer() async throws {
        let port = Atomic<Int>(0)
        let app = Pipeline { Router { Get("/") { _ in "up" } } }
        let service = HTTPServerService(app, configuration: quietConfiguration()) { server in
            port.store(server.port, ordering: .sequentiallyConsistent)
        }
        let group = ServiceGroup(services: [service], gracefulShutdownSignals: [.sigusr2], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var waited = 0
            while port.load(ordering: .sequentiallyConsistent) == 0 && waited < 500 {
                try await Task.sleep(for: .milliseconds(10))
                waited += 1
            }
            let served = try fetch(port: port.load(ordering: .sequentiallyConsistent), "/")
            #expect(served.hasSuffix("up"))
            try await Task.sleep(for: .milliseconds(50))  // the group's signal handler is installed
            kill(getpid(), SIGUSR2)
            try await tasks.next()
        }
        #expect(throws: (any Error).self) { try fetch(port: port.load(ordering: .sequentiallyConsistent), "/") }
    }
}

@Suite struct HTTPTypesTests {
    @Test func requestsAndResponsesRoundTripLosslessly() throws {
        var headers: HTTPHeaders = [.host: "example.com", .contentType: "application/json"]
        headers.append("X-Tag", "a")
        headers.append("X-Tag", "b")
        let request = Request(method: .patch, target: "/items/1?x=2", headers: headers, body: Array("{}".utf8))
        let head = HTTPRequest(request)
        #expect(head.method == .patch)
        #expect(head.path == "/items/1?x=2")
        #expect(head.authority == "example.com")
        #expect(head.headerFields[values: HTTPField.Name("X-Tag")!] == ["a", "b"])
        let back = Request(head, body: Array("{}".utf8))
        #expect(back.method == request.method)
        #expect(back.target == request.target)
        #expect(Array(back.headers.map { "\($0.name.rawName): \($0.value)" }) == Array(headers.map { "\($0.name.rawName): \($0.value)" }))

        let response = Response(status: .created, headers: [.location: "/items/1", "Set-Cookie": "a=1"], body: Array("ok".utf8))
        let responseHead = HTTPResponse(response)
        #expect(responseHead.status.code == 201)
        let backResponse = Response(responseHead, body: Array("ok".utf8))
        #expect(backResponse.status == .created)
        #expect(backResponse.headers[.location] == "/items/1")
        #expect(backResponse.headers["Set-Cookie"] == "a=1")
    }
}

/// The sample that uses the adapters together: a ServiceGroup running the server with logging,
/// metrics and tracing, over real sockets, then drained by the group.
@Suite struct SampleTests {
    @Test func theSampleLogsMeasuresAndTracesEachRequest() async throws {
        let handler = InMemoryLogHandler()
        let logger = Logger(label: "sample") { _ in handler }
        let metrics = TestMetrics()
        let tracer = InMemoryTracer()
        let port = Atomic<Int>(0)
        let service = makeSampleService(
            configuration: quietConfiguration(), logger: logger, tracer: tracer, metrics: RequestMetrics(factory: metrics)
        ) { server in port.store(server.port, ordering: .sequentiallyConsistent) }
        let group = ServiceGroup(services: [service], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var waited = 0
            while port.load(ordering: .sequentiallyConsistent) == 0 && waited < 500 {
                try await Task.sleep(for: .milliseconds(10))
                waited += 1
            }
            let items = try fetch(port: port.load(ordering: .sequentiallyConsistent), "/items/5")
            #expect(items.hasSuffix(#"{"id":5,"name":"item 5"}"#))
            _ = try fetch(port: port.load(ordering: .sequentiallyConsistent), "/")
            await group.triggerGracefulShutdown()
            try await tasks.next()
        }
        #expect(handler.entries.contains { $0.message == "greeting" && $0.metadata["request_id"] != nil })
        #expect(handler.entries.contains { $0.message == "GET /items/5 200" })
        let dimensions = [("http.route", "/items/{id}"), ("http.request.method", "GET"), ("http.response.status_code", "200")]
        #expect(try metrics.expectCounter("hb.requests", dimensions).totalValue == 1)
        #expect(tracer.finishedSpans.map(\.operationName).sorted() == ["GET /", "GET /items/{id}"])
    }
}
