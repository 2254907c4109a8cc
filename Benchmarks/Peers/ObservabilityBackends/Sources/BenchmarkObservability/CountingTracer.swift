public import Instrumentation
public import Tracing
import Synchronization

/// A tracer that records every span it is given — name, kind, attributes, status, events, errors —
/// in the span itself and, at `end`, counts it and drops it, as a batching exporter hands spans
/// off. Trace and span ids come from a counter; `traceparent` is read and written in W3C form.
/// Memory stays flat under any load.
public struct CountingTracer: Tracer {
    private let state: Counters

    public init() { state = Counters() }

    /// Spans ended so far.
    public var finishedSpans: Int { Int(state.finished.load(ordering: .relaxed)) }

    public func startSpan<Instant: TracerInstant>(
        _ operationName: String,
        context: @autoclosure () -> ServiceContext,
        ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant,
        function: String,
        file fileID: String,
        line: UInt
    ) -> CountingSpan {
        let parent = context()
        let spanID = state.nextID.wrappingAdd(1, ordering: .relaxed).newValue
        var spanContext = parent
        spanContext.countingTraceID = parent.countingTraceID ?? spanID
        spanContext.countingSpanID = spanID
        return CountingSpan(operationName: operationName, kind: kind, context: spanContext, startNanoseconds: instant().nanosecondsSinceEpoch, tracer: state)
    }

    public func forceFlush() {}

    public func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract)
    where Extract.Carrier == Carrier {
        // traceparent: 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>
        guard let header = extractor.extract(key: "traceparent", from: carrier) else { return }
        let parts = header.split(separator: "-")
        guard parts.count == 4, let trace = UInt64(parts[1].suffix(16), radix: 16), let span = UInt64(parts[2], radix: 16) else { return }
        context.countingTraceID = trace
        context.countingSpanID = span
    }

    public func inject<Carrier, Inject: Injector>(_ context: ServiceContext, into carrier: inout Carrier, using injector: Inject)
    where Inject.Carrier == Carrier {
        guard let trace = context.countingTraceID, let span = context.countingSpanID else { return }
        injector.inject("00-\(hex(0))\(hex(trace))-\(hex(span))-01", forKey: "traceparent", into: &carrier)
    }

    private func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

final class Counters: Sendable {
    let nextID = Atomic<UInt64>(0)
    let finished = Atomic<UInt64>(0)
}

/// A span of `CountingTracer`: everything set on it is kept until `end`.
public final class CountingSpan: Span {
    private struct State {
        var operationName: String
        var attributes = SpanAttributes()
        var status: SpanStatus?
        var events: [SpanEvent] = []
        var links: [SpanLink] = []
        var errors: [any Error] = []
        var ended = false
    }

    public let context: ServiceContext
    public let kind: SpanKind
    public let startNanoseconds: UInt64
    private let state: Mutex<State>
    private let tracer: Counters

    init(operationName: String, kind: SpanKind, context: ServiceContext, startNanoseconds: UInt64, tracer: Counters) {
        self.kind = kind
        self.context = context
        self.startNanoseconds = startNanoseconds
        self.state = Mutex(State(operationName: operationName))
        self.tracer = tracer
    }

    public var operationName: String {
        get { state.withLock { $0.operationName } }
        set { state.withLock { $0.operationName = newValue } }
    }

    public var attributes: SpanAttributes {
        get { state.withLock { $0.attributes } }
        set { state.withLock { $0.attributes = newValue } }
    }

    public var isRecording: Bool { state.withLock { !$0.ended } }

    public func setStatus(_ status: SpanStatus) { state.withLock { $0.status = status } }
    public func addEvent(_ event: SpanEvent) { state.withLock { $0.events.append(event) } }
    public func addLink(_ link: SpanLink) { state.withLock { $0.links.append(link) } }

    public func recordError<Instant: TracerInstant>(_ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant) {
        state.withLock { $0.errors.append(error) }
    }

    public func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        let first = state.withLock { state -> Bool in
            defer { state.ended = true }
            return !state.ended
        }
        if first { tracer.finished.wrappingAdd(1, ordering: .relaxed) }
    }
}

private enum CountingTraceIDKey: ServiceContextKey { typealias Value = UInt64 }
private enum CountingSpanIDKey: ServiceContextKey { typealias Value = UInt64 }

extension ServiceContext {
    var countingTraceID: UInt64? {
        get { self[CountingTraceIDKey.self] }
        set { self[CountingTraceIDKey.self] = newValue }
    }

    var countingSpanID: UInt64? {
        get { self[CountingSpanIDKey.self] }
        set { self[CountingSpanIDKey.self] = newValue }
    }
}
