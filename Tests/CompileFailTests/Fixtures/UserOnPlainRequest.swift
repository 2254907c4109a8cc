// expected-error: exists only below the middleware that adds it (BearerAuth, BasicAuth, Provide, …): put it above the Router or in Group(_:middleware:)
// A handler of a plain router asking for the authenticated user.
import Trellis

let app = Pipeline {
    ProcessTime()
    Router {
        Get("/me") { request in request.user }
    }
}
