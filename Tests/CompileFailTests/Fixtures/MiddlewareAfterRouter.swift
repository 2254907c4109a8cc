// expected-error: the Router (or other Responder) must be the last line of a Pipeline block
// Middleware below the router would never run.
import Trellis

let app = Pipeline {
    Router { Get("/") { _ in "hi" } }
    ProcessTime()
}
