// expected-error: cannot convert value of type 'Request' to expected argument type 'With<Identity<String>, Request>'
// A middleware that declares it hands on Authenticated<String> but passes the bare Request.
import Trellis
import TrellisMiddleware

struct ForgetsToAuthenticate: Middleware {
    typealias Input = Request
    typealias NextInput = Authenticated<String>

    func handle<Next: Responder>(_ request: Request, next: Next) async throws -> Response
    where Next.Input == Authenticated<String>, Next.Output == Response {
        try await next(request)
    }
}
