// expected: success
// The shortest spelling of a pass-through middleware: `Next: NextResponder`, no `where` clause.
import Trellis

struct Stamp: PassThroughMiddleware {
    func handle<Next: NextResponder>(_ input: Next.Input, next: Next) async throws -> Response {
        var response = try await next(input)
        response.headers["X-Stamp"] = "1"
        return response
    }
}

struct Session: Sendable {}

let app = Pipeline {
    Stamp()
    Provide { _ in Session() }
    Stamp()
    Router.taking(With<Session, Request>.self) { Get("/") { _ in "stamped twice" } }
}
