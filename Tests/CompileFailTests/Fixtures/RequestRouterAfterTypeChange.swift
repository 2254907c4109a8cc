// expected-error: (aka 'InputMismatch<ThisLineTakes<Request>, LinesAboveHandOn<With<Identity<String>, Request>>>') conform to 'Responder'
// After Authenticate the router must take Authenticated<String>, not Request.
import Trellis
import TrellisMiddleware

let app = Pipeline {
    Authenticate { token in token }
    Router { Get("/") { _ in "x" } }
}
