// expected-error: (aka 'InputMismatch<ThisLineTakes<With<Identity<String>, Request>>, LinesAboveHandOn<Request>>') conform to 'Responder'
// A router that needs Authenticated<String> below middleware that only hand on Request.
import Trellis
import TrellisMiddleware

let app = Pipeline {
    ProcessTime()
    CORS()
    Router.taking(Authenticated<String>.self) {
        Get("/me") { input in input.user }
    }
}
