// expected-error: value of type 'Request' has no member 'user'
// A handler of a plain router asking for the authenticated user.
import Trellis

let app = Pipeline {
    ProcessTime()
    Router {
        Get("/me") { request in request.user }
    }
}
