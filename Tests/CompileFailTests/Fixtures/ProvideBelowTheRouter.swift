// expected-error: (aka 'InputMismatch<ThisLineTakes<With<Session, Request>>, LinesAboveHandOn<Request>>') conform to 'Responder'
// (f) `Provide` written below the router that needs its value.
import Trellis

struct Session: Sendable {}

let app = Pipeline {
    ProcessTime()
    Router.taking(With<Session, Request>.self) {
        Get("/") { input in "\(input.value)" }
    }
    Provide { _ in Session() }
}
