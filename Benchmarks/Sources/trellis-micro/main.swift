// In-process microbenchmarks with no harness: each row runs its operation in rounds of a fixed
// count, times every round with the monotonic clock and prints the median ns per operation (and
// the fastest and slowest round), so rows measured in one run can be compared as ratios.
//   swift run -c release --package-path Benchmarks trellis-micro [filter]
import BenchmarkRequests
import Foundation
import Trellis
import TrellisMiddleware
import TrellisReferenceApp
import TrellisServer
import Logging
import Tracing
import TrellisLogging
import TrellisMetrics
import TrellisTracing

/// A 1 KiB JSON order, for the body-decoding rows.
struct Order: Decodable, Sendable {
    struct Line: Decodable, Sendable {
        let sku: String
        let name: String
        let quantity: Int
        let price: Double
    }
    let id: Int
    let customer: String
    let email: String
    let paid: Bool
    let lines: [Line]
    let note: String?
}

let orderJSON: [UInt8] = {
    let lines = (0..<11).map { index in
        #"{"sku":"SKU-\#(1000 + index)","name":"Item number \#(index) with a name","quantity":\#(index + 1),"price":\#(Double(index) * 3.25 + 0.99)}"#
    }
    let text = #"{"id":421337,"customer":"Ada Lovelace","email":"ada@example.com","paid":true,"lines":["#
        + lines.joined(separator: ",") + #"],"note":"Leave the parcel with the neighbour if nobody answers."}"#
    return Array(text.utf8)
}()

/// The reference app of the brief, the same definition the example server and the tests use.
func makeSeed() -> some PipelineRunning { ReferenceApp.make() }

struct Listing: Encodable, Sendable {
    struct Entry: Encodable, Sendable {
        let id: Int
        let name: String
        let price: Double
    }
    let entries: [Entry]
}

/// About 2 KiB of JSON.
let listing = Listing(entries: (0..<36).map { Listing.Entry(id: $0, name: "catalog entry \($0)", price: Double($0) * 1.25) })

func makeCatalog() -> some PipelineRunning {
    Pipeline {
        RequestID()
        AccessLog(sink: .discarding)
        GZip()
        Router { Get("/listing") { _ in listing } }
    }
}

/// The seed pipeline with the ecosystem adapters on the request path: request ids, a server span
/// (no-op tracer), and a swift-log logger per request (no-op handler), as a service wired for
/// observability would run it.
func makeObservedSeed() -> some PipelineRunning {
    let logger = Logger(label: "micro") { _ in SwiftLogNoOpLogHandler() }
    return Pipeline {
        RequestID()
        RequestTracing(tracer: NoOpTracer())
        ProcessTime()
        CORS(allowOrigins: ["https://example.com", "http://localhost:3000"], allowCredentials: true, expose: ["X-Process-Time"])
        RequestLogger(logger)
        Router.taking(With<Logger, Request>.self) { Get("/") { _ in "Hello, World!" } }
    }
}

struct ItemPath: Decodable, Sendable { let item_id: Int }
struct ItemQuery: Decodable, Sendable { let q: String? }
struct ItemLookup: Decodable, Sendable { let item_id: Int; let q: String? }

/// `GET /items/{item_id}` alone, reading its parameter and query by hand (`parameters.require`,
/// `query["q"]`), declaring them as types (`path:` and `query:`, or one type with `inputs:`), or
/// declaring each parameter (`.path("item_id", as: Int.self)`).
// Four functions, not one returning `any`: through an existential the pipeline would run its
// unspecialised generic code, which is not what a server runs.
func makeHandWrittenItemRoute() -> some PipelineRunning {
    Pipeline {
        Router {
            Get("/items/{item_id}") { request in Item(itemID: try request.parameters.require("item_id", as: Int.self), q: request.query["q"]) }
        }
    }
}

func makeDeclaredItemRoute() -> some PipelineRunning {
    Pipeline {
        Router {
            Get("/items/{item_id}", path: ItemPath.self, query: ItemQuery.self) { _, path, query in Item(itemID: path.item_id, q: query.q) }
        }
    }
}

func makeDeclaredInputsItemRoute() -> some PipelineRunning {
    Pipeline {
        Router {
            Get("/items/{item_id}", inputs: ItemLookup.self) { _, lookup in Item(itemID: lookup.item_id, q: lookup.q) }
        }
    }
}

func makeDeclaredParametersItemRoute() -> some PipelineRunning {
    Pipeline {
        Router {
            Get("/items/{item_id}", .path("item_id", as: Int.self), .query("q", as: String?.self)) { _, itemID, q in Item(itemID: itemID, q: q) }
        }
    }
}

/// Hides the pipeline's long type behind `some`.
protocol PipelineRunning: Sendable {
    func respond(to request: Request) async -> Response
}

extension Pipeline: PipelineRunning {}

@inline(never) func consume<T>(_ value: T) { withExtendedLifetime(value) {} }

/// Times `operation` `count` times per round over `rounds` rounds; prints median ns per operation.
func row(_ name: String, count: Int = 20_000, rounds: Int = 15, _ operation: () async throws -> Void) async rethrows {
    let filter = CommandLine.arguments.dropFirst().first
    if let filter, !name.localizedCaseInsensitiveContains(filter) { return }
    // `TRELLIS_MICRO_OPERATIONS=N`: run the operation exactly N times, print nothing (for counting
    // instructions under callgrind: the difference of two counts is N operations' worth).
    if let fixed = ProcessInfo.processInfo.environment["TRELLIS_MICRO_OPERATIONS"].flatMap({ Int($0) }) {
        for _ in 0..<fixed { try await operation() }
        return
    }
    for _ in 0..<(count / 10) { try await operation() }  // warm-up
    var perOperation: [Double] = []
    for _ in 0..<rounds {
        let start = ContinuousClock.now
        for _ in 0..<count { try await operation() }
        let elapsed = ContinuousClock.now - start
        let (seconds, attoseconds) = elapsed.components
        perOperation.append((Double(seconds) * 1e9 + Double(attoseconds) / 1e9) / Double(count))
    }
    perOperation.sort()
    let median = perOperation[perOperation.count / 2]
    let line = "\(name.padding(toLength: 52, withPad: " ", startingAt: 0)) "
        + String(format: "%9.1f ns  (rounds %.1f…%.1f)", median, perOperation.first ?? 0, perOperation.last ?? 0)
    print(line)
}

/// Everything runs inside one nonisolated function, so the timed closures run on the task's
/// executor (no hop to the main actor per call, which top-level code would add).
func runAll() async throws {
    let seed = makeSeed()
    let root = Request(method: .get, target: "/", headers: [.host: "localhost"])
    let items = Request(method: .get, target: "/items/42?q=x", headers: [.host: "localhost"])
    let withOrigin = Request(method: .get, target: "/", headers: [.host: "localhost", .origin: "http://localhost:3000"])
    let order = Request(method: .post, target: "/orders", headers: [.host: "localhost", .contentType: "application/json"], body: orderJSON)

    print("median ns per operation, \(orderJSON.count)-byte JSON body for the decode rows")
    await row("seed pipeline GET /") { consume(await seed.respond(to: root)) }
    await row("seed pipeline GET /items/42?q=x") { consume(await seed.respond(to: items)) }
    let handwritten = makeHandWrittenItemRoute()
    let declared = makeDeclaredItemRoute()
    await row("route only, GET /items/42?q=x, hand-written reads") { consume(await handwritten.respond(to: items)) }
    await row("route only, GET /items/42?q=x, declared path+query") { consume(await declared.respond(to: items)) }
    let declaredInputs = makeDeclaredInputsItemRoute()
    await row("route only, GET /items/42?q=x, declared inputs") { consume(await declaredInputs.respond(to: items)) }
    let declaredParameters = makeDeclaredParametersItemRoute()
    await row("route only, GET /items/42?q=x, declared parameters") { consume(await declaredParameters.respond(to: items)) }
    try await row("HTTP/1.1 parser, \(BenchmarkRequests.typical.count)-byte request, 8 headers") { consume(try HTTP1Parser.parse(BenchmarkRequests.typical)) }
    // The same bytes through one parser, reused as a connection reuses its framer and context.
    var parser = HTTP1Parser()
    try await row("HTTP/1.1 parser reused, \(BenchmarkRequests.typical.count)-byte request, 8 headers") {
        consume(try parser.parseRequest(BenchmarkRequests.typical))
    }
    await row("seed pipeline GET / +Origin") { consume(await seed.respond(to: withOrigin)) }
    let observed = makeObservedSeed()
    await row("seed + RequestID, RequestTracing, RequestLogger GET /") { consume(await observed.respond(to: root)) }
    let metrics = RequestMetrics()
    let record = RequestRecord(
        method: .get, path: "/", route: "/", status: .ok, duration: .microseconds(20), bytesIn: 38, bytesOut: 120,
        requestID: nil, clientAddress: nil, isComplete: true
    )
    await row("RequestMetrics: start + finish (no-op backend)") {
        metrics.requestStarted(root)
        metrics.requestFinished(record)
    }
    await row("seed + logging, tracing and metrics adapters GET / (no-op backends)") {
        metrics.requestStarted(root)
        consume(await observed.respond(to: root))
        metrics.requestFinished(record)
    }
    let catalog = makeCatalog()
    let listingRequest = Request(method: .get, target: "/listing", headers: [.host: "localhost", .acceptEncoding: "gzip, deflate, br"])
    let plainListing = Request(method: .get, target: "/listing", headers: [.host: "localhost"])
    try await row("Response.json, 2 KiB listing", count: 5_000) { consume(try Response.json(listing)) }
    await row("RequestID+AccessLog+GZip, 2 KiB JSON, gzip", count: 5_000) { consume(await catalog.respond(to: listingRequest)) }
    await row("RequestID+AccessLog+GZip, 2 KiB JSON, identity", count: 5_000) { consume(await catalog.respond(to: plainListing)) }
    try await row("decode JSON body: request.decode(Order.self)", count: 2_000) { consume(try await order.decode(Order.self)) }
    try await row("decode JSON body: JSONDecoder alone, same bytes", count: 2_000) {
        consume(try JSONDecoder().decode(Order.self, from: Data(orderJSON)))
    }
}

// The main thread waits on a semaphore rather than a top-level `await`, which would park it in
// Dispatch's main loop (`sigsuspend` with a read-only mask that valgrind 3.19 aborts on), so the rows
// run under `valgrind --tool=callgrind` too.
let finished = DispatchSemaphore(value: 0)
Task.detached {
    do {
        try await runAll()
    } catch {
        print("error: \(error)")
    }
    finished.signal()
}
finished.wait()
