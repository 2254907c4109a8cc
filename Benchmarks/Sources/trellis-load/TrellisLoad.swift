import ArgumentParser
import Foundation
import Histogram

/// `trellis-load`: a keep-alive HTTP/1.1 load generator with an HDR latency histogram.
///
/// Closed loop by default (each connection keeps `--pipeline` requests outstanding); with `--rate`
/// it is open loop: requests are scheduled at a constant total rate and each latency counts from
/// the request's *intended* send time, so a stalled server cannot hide behind fewer requests
/// (coordinated omission), as wrk2 does.
@main
struct TrellisLoad: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trellis-load",
        abstract: "Keep-alive HTTP/1.1 load generator with HDR latency percentiles."
    )

    @Argument(help: "Target URL, e.g. http://127.0.0.1:8080/items/42?q=x") var url: String
    @Option(name: .shortAndLong, help: "Open connections.") var connections = 64
    @Option(name: .shortAndLong, help: "Threads (each with its own epoll).") var threads = 1
    @Option(name: .shortAndLong, help: "Measured duration in seconds.") var duration = 10.0
    @Option(help: "Warm-up seconds before measuring.") var warmup = 2.0
    @Option(help: "Open loop: total requests per second (latency from intended send time).") var rate: Double?
    @Option(name: .shortAndLong, help: "Request method.") var method = "GET"
    @Option(name: [.customShort("H"), .long], help: "Extra request header 'Name: value' (repeatable).") var header: [String] = []
    @Option(help: "Request body (sets Content-Length).") var body: String?
    @Option(help: "Requests in flight per connection (closed loop).") var pipeline = 1
    @Option(help: "Seconds before an unanswered request counts as a timeout.") var timeout = 2.0
    @Option(help: "A label for the JSON output.") var label = ""
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() throws {
        let (host, port, path) = try parseURL(url)
        let options = LoadOptions(
            host: host, port: port, path: path, connections: connections, threads: max(1, threads),
            duration: duration, warmup: warmup, rate: rate, method: method, headers: header, body: body,
            pipeline: max(1, pipeline), timeout: timeout
        )
        let threadCount = min(options.threads, options.connections)
        let workers = (0..<threadCount).map { index in
            LoadWorker(
                options: options,
                connectionCount: options.connections / threadCount + (index < options.connections % threadCount ? 1 : 0)
            )
        }
        let start = LoadWorker.now()
        let recordFrom = start + UInt64(options.warmup * 1e9)
        let stopAt = recordFrom + UInt64(options.duration * 1e9)
        let group = DispatchGroup()
        for worker in workers {
            group.enter()
            Thread {
                worker.run(recordFrom: recordFrom, stopAt: stopAt)
                group.leave()
            }.start()
        }
        group.wait()
        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        var totals = LoadWorker.Counters()
        for worker in workers {
            histogram.add(worker.histogram)
            totals.completed += worker.counters.completed
            totals.non2xx += worker.counters.non2xx
            totals.errors += worker.counters.errors
            totals.timeouts += worker.counters.timeouts
            totals.bytes += worker.counters.bytes
        }
        let report = LoadReport(
            label: label, url: url, connections: options.connections, threads: threadCount, duration: options.duration,
            rate: options.rate, pipeline: options.pipeline, requests: totals.completed,
            requestsPerSecond: Double(totals.completed) / options.duration,
            latencyMicroseconds: .init(
                p50: histogram.valueAtPercentile(50), p90: histogram.valueAtPercentile(90),
                p99: histogram.valueAtPercentile(99), p999: histogram.valueAtPercentile(99.9),
                max: histogram.max, mean: histogram.mean
            ),
            non2xx: totals.non2xx, errors: totals.errors, timeouts: totals.timeouts,
            megabytesPerSecond: Double(totals.bytes) / options.duration / 1_048_576
        )
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.table)
        }
    }
}

/// The outcome of one load run.
struct LoadReport: Codable {
    struct Latency: Codable {
        let p50: UInt64
        let p90: UInt64
        let p99: UInt64
        let p999: UInt64
        let max: UInt64
        let mean: Double
    }

    let label: String
    let url: String
    let connections: Int
    let threads: Int
    let duration: Double
    let rate: Double?
    let pipeline: Int
    let requests: Int
    let requestsPerSecond: Double
    let latencyMicroseconds: Latency
    let non2xx: Int
    let errors: Int
    let timeouts: Int
    let megabytesPerSecond: Double

    var table: String {
        func ms(_ micros: UInt64) -> String { String(format: "%.3f ms", Double(micros) / 1000) }
        let mode = rate.map { "open loop at \(Int($0)) req/s" } ?? "closed loop, pipeline \(pipeline)"
        return """
            \(url)  (\(connections) connections, \(threads) thread(s), \(Int(duration)) s, \(mode))
              requests/s   \(String(format: "%.0f", requestsPerSecond))   (\(requests) requests, \(String(format: "%.1f", megabytesPerSecond)) MiB/s)
              latency      p50 \(ms(latencyMicroseconds.p50))   p90 \(ms(latencyMicroseconds.p90))   p99 \(ms(latencyMicroseconds.p99))   p99.9 \(ms(latencyMicroseconds.p999))   max \(ms(latencyMicroseconds.max))
              non-2xx \(non2xx)   errors \(errors)   timeouts \(timeouts)
            """
    }
}
