public import CoreMetrics
import Synchronization

/// A metrics backend that aggregates in memory, as a Prometheus or StatsD client does before it
/// exports: one handler per label and dimensions (looked up under a lock), atomic sums per handler.
/// Memory stays flat under any load.
public final class CountingMetrics: MetricsFactory {
    private let handlers = Mutex<[String: Aggregate]>([:])

    public init() {}

    /// The sum of everything recorded under `label` (all dimensions).
    public func total(_ label: String) -> Int64 {
        handlers.withLock { $0.filter { $0.key.hasPrefix(label + "|") }.values.reduce(0) { $0 + $1.sum.load(ordering: .relaxed) } }
    }

    private func handler(_ label: String, _ dimensions: [(String, String)]) -> Aggregate {
        var key = label + "|"
        for (name, value) in dimensions { key += name + "=" + value + ";" }
        return handlers.withLock { handlers in
            if let found = handlers[key] { return found }
            let made = Aggregate()
            handlers[key] = made
            return made
        }
    }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler { handler(label, dimensions) }
    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler { handler(label, dimensions) }
    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler { handler(label, dimensions) }
    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler { handler(label, dimensions) }
    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler { handler(label, dimensions) }
    public func destroyCounter(_ handler: any CounterHandler) {}
    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
    public func destroyMeter(_ handler: any MeterHandler) {}
    public func destroyRecorder(_ handler: any RecorderHandler) {}
    public func destroyTimer(_ handler: any TimerHandler) {}
}

/// One metric's running count and sum.
final class Aggregate: CounterHandler, FloatingPointCounterHandler, MeterHandler, RecorderHandler, TimerHandler, Sendable {
    let count = Atomic<Int64>(0)
    let sum = Atomic<Int64>(0)

    private func add(_ value: Int64) {
        count.wrappingAdd(1, ordering: .relaxed)
        sum.wrappingAdd(value, ordering: .relaxed)
    }

    func increment(by amount: Int64) { add(amount) }
    func increment(by amount: Double) { add(Int64(amount)) }
    func decrement(by amount: Double) { add(-Int64(amount)) }
    func reset() { sum.store(0, ordering: .relaxed) }
    func set(_ value: Int64) { sum.store(value, ordering: .relaxed) }
    func set(_ value: Double) { sum.store(Int64(value), ordering: .relaxed) }
    func record(_ value: Int64) { add(value) }
    func record(_ value: Double) { add(Int64(value)) }
    func recordNanoseconds(_ duration: Int64) { add(duration) }
}
