// expected-error: (aka 'InputMismatch<ThisLineTakes<With<Session, Request>>, LinesAboveHandOn<Request>>') conform to 'Responder'
// A router whose handlers need a provided Session, with no Provide above it.
import Trellis

struct Session: Sendable {}

let app = Pipeline {
    ProcessTime()
    Router.taking(With<Session, Request>.self) {
        Get("/items") { input in "session \(input.value)" }
    }
}
