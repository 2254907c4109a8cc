// expected-error: a Pipeline block must end in a Router or another Responder
// Middleware only: nothing would answer the request.
import Trellis

let app = Pipeline {
    ProcessTime()
    CORS()
}
