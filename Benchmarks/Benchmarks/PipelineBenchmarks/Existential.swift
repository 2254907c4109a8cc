import Trellis

/// (c) The same middleware chained the way Hummingbird's `MiddlewareGroup` and Vapor's responder
/// chain do: an array of `any` middleware folded into nested closures at start-up, so every link is
/// an existential call through a closure and the middleware's generic code runs unspecialised.
protocol DynamicMiddleware: Sendable {
    func handle(_ request: Request, next: @Sendable (Request) async throws -> Response) async throws -> Response
}

/// Adapts a `next` closure to the `Responder` the built-in middleware expect.
struct ClosureResponder: NextResponder {
    let closure: @Sendable (Request) async throws -> Response
    func respond(to input: Request) async throws -> Response { try await closure(input) }
}

/// Wraps a pass-through middleware as a dynamic one (its generic `handle` sees only `ClosureResponder`).
struct DynamicPassThrough<Wrapped: PassThroughMiddleware>: DynamicMiddleware {
    let wrapped: Wrapped
    func handle(_ request: Request, next: @Sendable (Request) async throws -> Response) async throws -> Response {
        try await withoutActuallyEscaping(next) { escapable in
            try await wrapped.handle(request, next: ClosureResponder(closure: escapable))
        }
    }
}

struct ExistentialChain: Sendable {
    let responder: @Sendable (Request) async throws -> Response

    init(middleware: [any DynamicMiddleware], router: Router<Request>) {
        var next: @Sendable (Request) async throws -> Response = { try await router.respond(to: $0) }
        for link in middleware.reversed() {
            let downstream = next
            next = { request in try await link.handle(request, next: downstream) }
        }
        responder = next
    }

    func respond(to request: Request) async -> Response {
        do { return try await responder(request) } catch { return Response(error: error) }
    }
}

extension Fixtures {
    static func existential() -> ExistentialChain {
        ExistentialChain(
            middleware: [DynamicPassThrough(wrapped: ProcessTime()), DynamicPassThrough(wrapped: cors())],
            router: router()
        )
    }
}
