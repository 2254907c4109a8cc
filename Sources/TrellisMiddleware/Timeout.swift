public import Trellis
/// A deadline for everything below it: when `next` has not answered within `duration`, the
/// handler's task is cancelled and the client gets `503 Service Unavailable` (or the status you
/// choose, e.g. `504`), with a `{"detail"}`/text body per the pipeline's error format.
///
/// Cancellation is cooperative: `Task.sleep`, `request.body` reads from another task and most
/// async APIs stop at once; a handler that computes without awaiting runs on and the answer waits
/// for it. Cleanups (`Provide` releases, `addCleanup`) still run after the timeout response.
/// Costs a task group (two child tasks) per request, only where it is used.
///
/// ```swift
/// Router {
///     Group("/reports", middleware: Timeout(.seconds(5))) { Get("/") { _ in try await slowReport() } }
/// }
/// ```
public struct Timeout: PassThroughMiddleware {
    /// How long `next` may take.
    public let duration: Duration
    /// The status of the timeout answer.
    public let status: HTTPStatus

    /// A deadline of `duration`, answered with `status` (`503` by default; `504` suits a gateway).
    ///
    /// ```swift
    /// Timeout(.milliseconds(800), status: .gatewayTimeout)
    /// ```
    public init(_ duration: Duration, status: HTTPStatus = .serviceUnavailable) {
        self.duration = duration
        self.status = status
    }

    /// Races `next` against the deadline.
    @inlinable public func handle<Next: NextResponder>(_ input: Next.Input, next: Next) async throws -> Response {
        let duration = duration
        let outcome: Result<Response, any Error>? = await withTaskGroup(of: Result<Response, any Error>?.self) { group in
            group.addTask {
                do { return .success(try await next.respond(to: input)) } catch { return .failure(error) }
            }
            group.addTask {
                try? await Task.sleep(for: duration)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        switch outcome {
        case .success(let response)?:
            return response
        case .failure(let error)?:
            throw error
        case nil:
            return Response(error: HTTPError(status, "The request took longer than \(Self.describe(duration)).", headers: [.retryAfter: "1"]))
        }
    }

    @usableFromInline static func describe(_ duration: Duration) -> String {
        let milliseconds = Int(DurationText.string(duration, unit: .milliseconds, fractionDigits: 0)) ?? 0
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
    }

    /// Lists `Timeout(…)`.
    public func describe(into description: inout PipelineDescription) {
        description.addStep("Timeout(\(Self.describe(duration)))")
        description.declareResponse(status, "The request took longer than \(Self.describe(duration)).", headers: [.retryAfter])
    }
}
