// expected: success
// The control fixture: the same shapes, correct, must type-check (proves the harness itself works).
import Trellis
import TrellisMiddleware

let app = Pipeline {
    ProcessTime()
    CORS(expose: ["X-Process-Time"])
    Authenticate { token in token }
    Router.taking(Authenticated<String>.self) {
        Get("/me") { input in input.user }
        Group("/admin", middleware: ProcessTime()) { Get("/") { input in input.user } }
    }
}
