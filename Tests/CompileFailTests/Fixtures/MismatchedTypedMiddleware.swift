// expected-error: 'InputMismatch<Request, Authenticated<String>>') conform to 'Responder'
// The second Authenticate needs a Request, but the first hands on Authenticated<String>.
import Trellis
import TrellisMiddleware

let app = Pipeline {
    Authenticate { token in token }
    Authenticate { token in token }
    Router.taking(Authenticated<String>.self) { Get("/") { input in input.user } }
}
