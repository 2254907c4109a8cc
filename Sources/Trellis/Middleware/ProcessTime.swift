/// Sets `X-Process-Time` to the seconds spent inside it, as a decimal string (e.g. `0.000012345`),
/// on every response, including error responses.
///
/// The time is measured with a monotonic clock around everything below this middleware; put it
/// first to time the whole pipeline, as FastAPI's classic example does.
///
/// ```swift
/// Pipeline {
///     ProcessTime()
///     CORS(expose: ["X-Process-Time"])
///     Router { Get("/") { _ in "Hello" } }
/// }
/// ```
public struct ProcessTime: PassThroughMiddleware {
    /// The header it sets.
    public let header: HTTPHeaders.Name

    /// Times the rest of the pipeline into `header` (`X-Process-Time` by default).
    ///
    /// ```swift
    /// ProcessTime(header: "Server-Timing-Seconds")
    /// ```
    public init(header: HTTPHeaders.Name = .xProcessTime) { self.header = header }

    /// Runs `next` and records how long it took. Always inlined: as a call of its own it would
    /// cost an async frame and an executor check per request, more than its own work.
    @inlinable @inline(__always) public func handle<Next: NextResponder>(_ input: Next.Input, next: Next) async throws -> Response {
        let start = MonotonicClock.nanoseconds()
        var response: Response
        do {
            response = try await next.respond(to: input)
        } catch {
            response = Response(error: error)
        }
        response.headers[header] = Self.seconds(nanoseconds: MonotonicClock.nanoseconds() &- start)
        return response
    }

    /// Formats a duration as seconds with nanosecond digits: `0.000012345`.
    @usableFromInline static func seconds(nanoseconds: UInt64) -> String {
        DurationText.string(nanoseconds: nanoseconds, unit: .seconds, fractionDigits: 9)
    }

    /// Lists `ProcessTime` and declares the header it sets.
    public func describe(into description: inout PipelineDescription) {
        description.addStep("ProcessTime(\(header.rawName))")
        description.declareSets(header)
    }
}
