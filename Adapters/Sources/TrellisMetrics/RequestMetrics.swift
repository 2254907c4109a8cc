public import CoreMetrics
public import Trellis
import Synchronization

/// Request metrics through swift-metrics, named as Hummingbird's `MetricsMiddleware` names them so
/// dashboards carry over: `hb.requests` (counter), `http.server.request.duration` (timer, seconds),
/// `hb.request.errors` (counter, status ≥ 400), dimensioned by `http.route`, `http.request.method`
/// and `http.response.status_code` (`error.type` for errors), and `http.server.active_requests`
/// (meter, by method). A `RequestObserver`: set it on the server's configuration.
///
/// ```swift
/// var configuration = ServerConfiguration(port: 8080)
/// configuration.observer = RequestMetrics()
/// ```
public final class RequestMetrics: RequestObserver {
    private let factory: any MetricsFactory
    private let cache = Mutex<[Key: Instruments]>([:])
    private let active = Mutex<[String: Meter]>([:])

    private struct Key: Hashable {
        let route: String
        let method: String
        let status: Int
    }

    private struct Instruments {
        let counter: Counter
        let timer: Timer
        let errors: Counter?
    }

    /// Metrics made by `factory` (the bootstrapped `MetricsSystem.factory` by default).
    public init(factory: any MetricsFactory = MetricsSystem.factory) { self.factory = factory }

    /// Counts the request in flight.
    public func requestStarted(_ request: Request) { meter(for: request.method.rawValue).increment() }

    /// Counts and times the finished request.
    public func requestFinished(_ record: RequestRecord) {
        let key = Key(route: record.route ?? "NotFound", method: record.method.rawValue, status: record.status.code)
        let instruments = cache.withLock { cache in
            if let found = cache[key] { return found }
            let dimensions = [
                ("http.route", key.route), ("http.request.method", key.method),
                ("http.response.status_code", String(key.status)),
            ]
            let made = Instruments(
                counter: Counter(label: "hb.requests", dimensions: dimensions, factory: factory),
                timer: Timer(label: "http.server.request.duration", dimensions: dimensions, factory: factory),
                errors: key.status >= 400
                    ? Counter(
                        label: "hb.request.errors",
                        dimensions: [("http.route", key.route), ("http.request.method", key.method), ("error.type", String(key.status))],
                        factory: factory
                    ) : nil
            )
            cache[key] = made
            return made
        }
        instruments.counter.increment()
        let (seconds, attoseconds) = record.duration.components
        instruments.timer.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        instruments.errors?.increment()
        meter(for: record.method.rawValue).decrement()
    }

    private func meter(for method: String) -> Meter {
        active.withLock { meters in
            if let found = meters[method] { return found }
            let made = Meter(label: "http.server.active_requests", dimensions: [("http.request.method", method)], factory: factory)
            meters[method] = made
            return made
        }
    }
}
