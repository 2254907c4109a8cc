// expected-error: exists only below the middleware that adds it (BearerAuth, BasicAuth, Provide, …): put it above the Router or in Group(_:middleware:)
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
