// expected-error: value of type 'Request' has no member 'user'
// A group without Authenticate: its routes take Request, which has no user.
import Trellis
import TrellisMiddleware

let app = Pipeline {
    Router {
        Group("/admin") {
            Get("/") { input in input.user }
        }
    }
}
