// expected-error: (aka 'InputMismatch<ThisLineTakes<With<Session, Request>>, LinesAboveHandOn<Request>>') conform to 'Responder'
// A middleware that needs the provided Session, placed above the Provide that makes it.
import Trellis

struct Session: Sendable {}

struct UsesSession: Middleware {
    typealias Input = With<Session, Request>
    func handle<Next: Responder>(_ input: Input, next: Next) async throws -> Response
    where Next.Input == Input, Next.Output == Response {
        try await next(input)
    }
}

let app = Pipeline {
    ProcessTime()
    UsesSession()
    Provide { _ in Session() }
    Router.taking(With<Session, With<Session, Request>>.self) {
        Get("/items") { _ in "items" }
    }
}
