// expected-error: 'RoutesMustBeInsideRouter' conform to 'Responder'
// (a) A pipeline that is nothing but a route.
import Trellis

let app = Pipeline {
    Get("/") { _ in "Hello" }
}
