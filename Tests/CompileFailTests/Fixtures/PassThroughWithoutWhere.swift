// expected-error: write `func handle<Next: NextResponder>(_ input: Next.Input, next: Next)`, or add `where Next.Input: RequestInput, Next.Output == Response`
// (d) A pass-through middleware whose handle has no `where` clause: `next` is not known to return a Response.
import Trellis

struct Stamp: PassThroughMiddleware {
    func handle<Next: Responder>(_ input: Next.Input, next: Next) async throws -> Response {
        var response = try await next(input)
        response.headers["X-Stamp"] = "1"
        return response
    }
}
