// expected-error: 'InputMismatch<Request, Authenticated<String>>') conform to 'Responder'
// After Authenticate the router must take Authenticated<String>, not Request.
import Trellis
import TrellisMiddleware

let app = Pipeline {
    Authenticate { token in token }
    Router { Get("/") { _ in "x" } }
}
