/// Confirms, on a middleware's path that answers without calling `next`, that the code after it
/// runs on the caller's executor: one executor check on that (rare) path, so that the middleware
/// around this one needs none after its `next` returns.
///
/// Swift's optimiser removes an executor check that follows another on every path. A path that
/// answers without an `await` has none, so without this call the middleware around (timing,
/// logging: anything with work after `next`) keeps its own check, on every request. The check
/// costs about sixty instructions on a server's connection task, a few hundred on a task with an
/// executor preference (the runtime looks that up under a lock). (`@concurrent`, so that the
/// optimiser keeps the check after it; inlined, nothing else of the call is left. Unoptimised, it
/// is a real call to the global executor and back.)
///
/// ```swift
/// if isPreflight {
///     await settleOnCallerExecutor()
///     return preflightResponse(for: request)
/// }
/// return try await next.respond(to: input)
/// ```
@inlinable @concurrent package func settleOnCallerExecutor() async {}
