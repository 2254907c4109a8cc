// expected-error: (aka 'InputMismatch<ThisLineTakes<Request>, LinesAboveHandOn<With<Session, Request>>>') conform to 'Responder'
// (e) `input.value` in a plain `Router { }` below `Provide`: the router takes Request, which carries no value.
import Trellis

struct Session: Sendable {}

let app = Pipeline {
    Provide { _ in Session() }
    Router {
        Get("/") { input in "\(input.value)" }
    }
}
