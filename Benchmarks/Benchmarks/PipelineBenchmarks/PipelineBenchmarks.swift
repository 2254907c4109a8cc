// In-process benchmarks (no sockets) of the seed pipeline ProcessTime → CORS → Router, written three ways:
//   (a) composed: the Trellis `Pipeline` built by @MiddlewareBuilder;
//   (b) handwritten: the same ProcessTime and CORS logic written by hand as one function around the same router;
//   (c) existential: the same middleware chained through `any` values and closures, the way
//       Hummingbird's MiddlewareGroup and Vapor's responder chain do.
// Plus the HTTP/1.1 parser alone on a typical ~400-byte request with 8 headers. (Body decoding and
// the catalog rows are in `trellis-micro`.)
//   swift package --package-path Benchmarks benchmark
import Benchmark
import BenchmarkRequests
import Trellis
import TrellisServer

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        maxDuration: .seconds(3),
        maxIterations: 1_000_000
    )

    let composed = Fixtures.composed()
    let handwritten = Fixtures.handwritten()
    let existential = Fixtures.existential()

    for (name, request) in Fixtures.requests {
        Benchmark("(a) composed \(name)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(await composed.respond(to: request)) }
        }
        Benchmark("(b) handwritten \(name)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(await handwritten.respond(to: request)) }
        }
        Benchmark("(c) existential \(name)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(await existential.respond(to: request)) }
        }
    }

    let typical = BenchmarkRequests.typical
    Benchmark("HTTP/1.1 parser, \(typical.count)-byte request, 8 headers") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try HTTP1Parser.parse(typical)) }
    }
}
